/**
 * Session host VMs of an ImageHostPool, rolled from version to version one step per `pulumi up`:
 * observe the fleet, plan the step ({@link planRollout}), declare it. Each host is a network
 * interface, a Microsoft Entra joined VM booting its planned version, and the AVD agent (DSC
 * extension) registering it with the pool's token; the session host control applies the step's
 * registration changes (drain, reopen, remove) before any VM is replaced.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as desktopvirtualization from "@pulumi/azure-native/desktopvirtualization";
import * as random from "@pulumi/random";
import { VmTemplatePlan } from "../domain/hostPools/hostPool";
import { RolloutPlan, planRollout } from "../domain/hostPools/rollout";
import { resolveRollout, summarizeRollout } from "../domain/hostPools/rolloutSettings";
import { ImageHostPoolArgs, SessionHostsArgs } from "./args";
import { TagKey } from "../domain/common/tags";
import { currentTime } from "../component/clock";
import { ObservedHost, observeFleet } from "./rolloutObserve";
import type { UnmanagedHost } from "../domain/hostPools/fleetObservation";
import { RolloutStatus, hostTags, stepOps, versionIdFor } from "./rolloutDeclare";
import { HostSecrets, createHost } from "./sessionHostVm";
import { SessionHostControl, armEndpoint } from "./sessionHostControl";
import { ConsumerBinding } from "./vmImageReference";

export { DEFAULT_AGENT_CONFIGURATION_URL } from "./sessionHostVm";

/** What the rollout step is planned from. */
export interface FleetPlanContext {
  readonly name: string;
  readonly args: ImageHostPoolArgs;
  readonly hosts: SessionHostsArgs;
  readonly count: number;
  readonly template: VmTemplatePlan;
  readonly bound: ConsumerBinding;
  readonly parent: pulumi.Resource;
}

/** Everything a pool's session hosts are made from. */
export interface SessionHostContext extends FleetPlanContext {
  readonly pool: desktopvirtualization.HostPool;
  /** The pool's tags without the version (each host carries its own). */
  readonly tags: Record<string, pulumi.Input<string>>;
}

/** A planned step, with what it was planned from. */
export interface PlannedStep {
  readonly plan: RolloutPlan;
  readonly observed: ObservedHost[];
  readonly target: string;
  /** The time the step was planned at (drain times are recorded as this). */
  readonly now: string;
  /** Registrations and VMs of the pool the step leaves alone (reported). */
  readonly unmanaged: UnmanagedHost[];
}

/** What one step declared. */
export interface FleetStep {
  readonly status: RolloutStatus;
  /** The VMs' ids, in host-name order. */
  readonly vmIds: pulumi.Output<string>[];
}

/** Observes the live fleet and plans the step (no resource is registered yet). */
export function planFleet(ctx: FleetPlanContext): pulumi.Output<PlannedStep> {
  const { parent, args } = ctx;
  const poolName = pulumi.output(args.hostPoolName ?? ctx.name);
  const endpoint = armEndpoint(new pulumi.Config("azure-native").get("environment"));
  return (
    pulumi
      // Planned from names, not ids: a version created in this same up (its id unknown during a
      // preview) does not hide the step.
      .all([args.resourceGroupName, poolName, ctx.bound.version])
      .apply(async ([resourceGroup, pool, target]) => {
        // azure-native's own credentials and subscription (the provider the pool is created with).
        const [config, token] = await Promise.all([
          authorization.getClientConfig({ parent }),
          authorization.getClientToken({}, { parent }),
        ]);
        const now = currentTime();
        const prefix = ctx.template.namePrefix;
        const fleet = await observeFleet(
          {
            subscriptionId: config.subscriptionId,
            resourceGroup,
            poolName: pool,
            prefix,
            domain: ctx.template.domain,
          },
          { endpoint, token: token.token },
        );
        for (const u of fleet.unmanaged)
          void pulumi.log.warn(`host pool ${pool}: ${u.name} is left alone: ${u.reason}`, parent);
        const plan = planRollout({
          target,
          count: ctx.count,
          hosts: fleet.hosts,
          settings: ctx.hosts.rollout ?? {},
          now,
          namePrefix: prefix,
        });
        return { plan, observed: fleet.hosts, target, now, unmanaged: fleet.unmanaged };
      })
  );
}

/** Declares the planned step: the session host control first, then every host that stays. */
export function declareFleet(
  ctx: SessionHostContext,
  planned: pulumi.Output<PlannedStep>,
): pulumi.Output<FleetStep> {
  const secrets = hostSecrets(ctx);
  const endpoint = armEndpoint(new pulumi.Config("azure-native").get("environment"));
  const armToken = authorization.getClientTokenOutput({}, { parent: ctx.parent }).token;
  return planned.apply((step) => declareStep(ctx, { ...step, secrets, endpoint, armToken }));
}

interface StepContext extends PlannedStep {
  readonly secrets: HostSecrets;
  readonly endpoint: string;
  readonly armToken: pulumi.Output<string>;
}

function declareStep(ctx: SessionHostContext, step: StepContext): FleetStep {
  const { plan, observed, target, now } = step;
  const control = new SessionHostControl(
    `${ctx.name}-session-control`,
    {
      hostPoolId: ctx.pool.id,
      endpoint: step.endpoint,
      token: step.armToken,
      ops: stepOps(plan, observed, ctx.template.domain),
      message: ctx.hosts.rollout?.message,
    },
    { parent: ctx.parent },
  );
  const byName = new Map(observed.map((h) => [h.name, h]));
  const vmIds: pulumi.Output<string>[] = [];
  for (const planned of plan.hosts) {
    if (planned.action === "remove") continue; // not declared: the up deletes it
    const seen = byName.get(planned.name);
    const tags = hostTags(planned, seen, target, now);
    const vm = createHost(ctx, {
      slot: planned.name.slice(ctx.template.namePrefix.length + 1),
      vmName: planned.name,
      versionId:
        planned.version === target
          ? ctx.bound.versionId
          : ctx.bound.versionId.apply((id) => versionIdFor(planned.version, id, seen)),
      tags: { ...ctx.tags, ...tags },
      generation: tags[TagKey.CreatedAt],
      secrets: step.secrets,
      dependsOn: [control],
    });
    vmIds.push(vm.id);
  }
  const status: RolloutStatus = {
    target,
    done: plan.done,
    halted: plan.halted,
    summary: plan.summary,
    hosts: plan.hosts.map((h) => ({ ...h })),
    ...(step.unmanaged.length > 0 ? { unmanaged: step.unmanaged.map((u) => ({ ...u })) } : {}),
    settings: summarizeRollout(
      resolveRollout(ctx.hosts.rollout, "sessionHosts.rollout"),
      ctx.count,
    ),
  };
  return { status, vmIds };
}

function hostSecrets(ctx: SessionHostContext): HostSecrets {
  const { name, parent } = ctx;
  const password = new random.RandomPassword(
    `${name}-admin-password`,
    {
      length: 24,
      minLower: 1,
      minUpper: 1,
      minNumeric: 1,
      minSpecial: 1,
      overrideSpecial: "!#%*-_=+?",
    },
    { parent },
  );
  const token = desktopvirtualization.getHostPoolRegistrationTokenOutput(
    { hostPoolName: ctx.pool.name, resourceGroupName: ctx.args.resourceGroupName },
    { parent },
  );
  return { adminPassword: pulumi.secret(password.result), token: pulumi.secret(token.token) };
}
