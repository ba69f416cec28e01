import * as pulumi from "@pulumi/pulumi";
import * as desktopvirtualization from "@pulumi/azure-native/desktopvirtualization";
import { warnIfInputsSkipped } from "../component/componentInputs";
import { GUARDRAILS_SCHEMA, PoolGuardrails } from "../domain/guardrails/guardrails";
import { ConsumerRole, HostPoolPlan, planHostPool } from "../domain/hostPools/hostPool";
import { TagKey } from "../domain/common/tags";
import { ImageHostPoolArgs } from "./args";
import { RolloutStatus } from "./rolloutDeclare";
import { declareFleet, planFleet } from "./sessionHosts";
import { currentTime } from "../component/clock";
import { RingBinding, ringBinding } from "./ringBinding";
import { ConsumerBinding, consumerBinding } from "./vmImageReference";
import { vmTemplateJson } from "./vmTemplate";

/**
 * An AVD host pool bound to one version of an image: a production pool to the active version, a
 * validation pool (`validationEnvironment: true`) to the staged one (the active one when nothing
 * is staged). The pool's `vmTemplate`, which the portal's "Add session hosts" and scaling tools
 * read, names that exact version, so it changes only when the bound version changes. Optional
 * session hosts follow it by a rolling update: each `pulumi up` observes them and moves the
 * rollout at most one safe step (drain a batch, replace drained hosts, check the new ones).
 */
export class ImageHostPool extends pulumi.ComponentResource {
  /** The ARM id of the host pool. */
  public readonly hostPoolId: pulumi.Output<string>;
  /** The host pool's name. */
  public readonly hostPoolName: pulumi.Output<string>;
  /** The image version the pool uses. */
  public readonly imageVersion: pulumi.Output<string>;
  /** The ARM id of the image version the pool uses. */
  public readonly imageVersionId: pulumi.Output<string>;
  /** The pool's `vmTemplate` JSON document. */
  public readonly vmTemplate: pulumi.Output<string>;
  /** The ARM ids of the session hosts this component created (empty when none). */
  public readonly sessionHostIds: pulumi.Output<string[]>;
  /** Where the session hosts' rollout stands (undefined without `sessionHosts`). */
  public readonly rollout: pulumi.Output<RolloutStatus | undefined>;
  /**
   * What the `global-image-guardrails` policy pack reads of this pool (schema
   * `global-image.guardrails/v1`): the image and version it is bound to, and its ring.
   */
  public readonly guardrails: pulumi.Output<PoolGuardrails>;

  constructor(name: string, args: ImageHostPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate first: a bad argument registers nothing, not even this component.
    const plan = planHostPool(name, args);
    const role = plan.validationEnvironment ? ConsumerRole.Staged : ConsumerRole.Active;
    // In a ring, the version the ring may run now (the clock read once); else the role's version.
    const bound =
      plan.ring === undefined
        ? consumerBinding(args.image, role)
        : ringBinding(args.image, plan.ring, currentTime());
    // The engine (and policies) see the binding, not the image: a production pool's inputs hold
    // nothing of the staged version, so a pending staged version cannot hold this pool up.
    // Version names and regions only beside the bound id: what policies need in a customer stack.
    const { image: _image, ...rest } = args;
    super("global-image:index:ImageHostPool", name, { ...rest, image: bound }, opts);
    warnIfInputsSkipped(this, "ImageHostPool", name);

    // A plain map: the engine resolves each Output value in it (the names are plain strings when
    // the image was declared in this program), so no combined Output is made per pool.
    const imageTag = { [TagKey.Image]: bound.imageName };
    const tags = { ...args.tags, ...imageTag, [TagKey.Version]: bound.version };
    const vmTemplate = bound.versionId.apply((id) => vmTemplateJson(plan.vmTemplate, id));
    // With session hosts, the step is planned from the live fleet first.
    const hosts = args.sessionHosts && {
      name,
      args,
      hosts: args.sessionHosts,
      count: plan.sessionHostCount,
      template: plan.vmTemplate,
      bound,
      parent: this,
    };
    const planned = hosts && planFleet(hosts);
    const pool = hostPool(this, name, args, plan, vmTemplate, tags);
    // Each host names its pool: a rollout sees it in the resource group's VM list.
    const hostTags = { ...args.tags, ...imageTag, [TagKey.HostPool]: args.hostPoolName ?? name };
    const fleet = hosts && planned && declareFleet({ ...hosts, pool, tags: hostTags }, planned);
    this.hostPoolId = pool.id;
    this.hostPoolName = pool.name;
    this.imageVersion = pulumi.output(bound.version);
    this.imageVersionId = bound.versionId;
    this.vmTemplate = vmTemplate;
    this.sessionHostIds = fleet ? fleet.apply((f) => pulumi.all(f.vmIds)) : pulumi.output([]);
    this.rollout = fleet ? fleet.apply((f) => f.status) : pulumi.output(undefined);
    this.guardrails = poolGuardrails(bound, plan.validationEnvironment);
    this.registerOutputs({
      hostPoolId: this.hostPoolId,
      hostPoolName: this.hostPoolName,
      imageVersion: bound.version, // the same value; plain when known
      imageVersionId: this.imageVersionId,
      vmTemplate: this.vmTemplate,
      sessionHostIds: this.sessionHostIds,
      rollout: this.rollout,
      guardrails: this.guardrails,
    });
  }
}

/** The pool's guardrails record: its binding as plain values. */
function poolGuardrails(
  bound: ConsumerBinding | RingBinding,
  validation: boolean,
): pulumi.Output<PoolGuardrails> {
  const ring: Partial<RingBinding> = "ring" in bound ? bound : {};
  return pulumi.output({
    schema: GUARDRAILS_SCHEMA,
    imageName: bound.imageName,
    version: bound.version,
    activeVersion: bound.activeVersion,
    stagedVersion: bound.stagedVersion,
    regions: bound.regions,
    validation,
    ring: ring.ring,
    versionRole: ring.versionRole,
    ringSource: ring.ringSource,
  }) as unknown as pulumi.Output<PoolGuardrails>;
}

/** The host pool resource: the pool's own arguments, the template and the binding's tags. */
function hostPool(
  parent: ImageHostPool,
  name: string,
  args: ImageHostPoolArgs,
  plan: HostPoolPlan,
  vmTemplate: pulumi.Output<string>,
  tags: Record<string, pulumi.Input<string>>,
): desktopvirtualization.HostPool {
  return new desktopvirtualization.HostPool(
    `${name}-pool`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      hostPoolName: args.hostPoolName ?? name,
      hostPoolType: args.hostPoolType,
      loadBalancerType: args.loadBalancerType,
      preferredAppGroupType: args.preferredAppGroupType,
      maxSessionLimit: args.maxSessionLimit,
      startVMOnConnect: args.startVMOnConnect,
      personalDesktopAssignmentType: args.personalDesktopAssignmentType,
      customRdpProperty: args.customRdpProperty,
      friendlyName: args.friendlyName,
      description: args.description,
      validationEnvironment: plan.validationEnvironment,
      vmTemplate,
      registrationInfo:
        plan.registrationTokenExpiration === undefined
          ? undefined
          : {
              expirationTime: plan.registrationTokenExpiration,
              registrationTokenOperation: "Update",
            },
      tags,
    },
    { parent },
  );
}
