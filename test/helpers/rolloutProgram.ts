/**
 * One ImageHostPool program run up after up against its own simulated pool (FleetWorld), with
 * the rollout invariants asserted at every step. Shared by the rolling re-image suites.
 */
import { promiseOf, settle } from "./mocks";
import type { Recorder } from "./mocks";
import { SUBNET, poolArgs } from "../fixtures/hostPool";
import { FleetWorld, RunEffects } from "./fleetWorld";
import { assertStepInvariants } from "./rolloutInvariants";
import { ImageHostPool } from "../../src/consumers/imageHostPool";
import type { RolloutSettings } from "../../src/domain/hostPools/rollout";
import type { RolloutStatus } from "../../src/consumers/rolloutDeclare";

export const DEF =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/g/images/win11";
export const id = (v: string) => `${DEF}/versions/${v}`;
const START = Date.parse("2026-12-01T08:00:00Z");

/** The simulated clock: every up advances it by 15 minutes. */
export const clock = { now: START };

export interface Program {
  active: string;
  staged?: string;
  count: number;
  rollout?: RolloutSettings;
  validation?: boolean;
  personal?: boolean;
}

let pools = 0;
/** One program, run up after up against its own simulated pool. */
export function fleet(
  recorder: Recorder,
  count: number,
  version: string,
  sessions = 1,
  prefix = "avd",
) {
  const name = `pool${++pools}`;
  // VM names are unique in a resource group: a new pool starts from a group without its hosts.
  for (const vm of Object.keys(recorder.live.vms))
    if (vm.startsWith(`${prefix}-`)) delete recorder.live.vms[vm];
  const world = new FleetWorld(recorder, name, prefix);
  world.seed(count, id(version), sessions);
  recorder.live.hostPools[name] = { tags: {} };
  const log: { status: RolloutStatus; effects: RunEffects }[] = [];

  async function up(p: Program): Promise<{ status: RolloutStatus; effects: RunEffects }> {
    recorder.reset();
    const observed = world.observe();
    const image = {
      imageName: "win11",
      imageDefinitionId: DEF,
      activeVersion: p.active,
      activeVersionId: id(p.active),
      stagedVersion: p.staged,
      stagedVersionId: p.staged ? id(p.staged) : undefined,
    };
    const pool = new ImageHostPool(
      name,
      poolArgs(image, (a) => {
        a.validationEnvironment = p.validation;
        if (p.personal) a.hostPoolType = "Personal";
        a.vmTemplate = { namePrefix: prefix };
        a.sessionHosts = { count: p.count, subnetId: SUBNET, rollout: p.rollout };
        a.registrationTokenExpiration = "2026-12-20T00:00:00Z";
      }),
      recorder.opts,
    );
    const status = (await promiseOf(pool.rollout))!;
    await promiseOf(pool.sessionHostIds);
    await settle();
    const target = p.validation && p.staged ? p.staged : p.active;
    const now = new Date(clock.now).toISOString();
    const input = {
      target,
      count: p.count,
      hosts: observed,
      settings: p.rollout ?? {},
      now,
      namePrefix: prefix,
    };
    assertStepInvariants(input, { ...status, hosts: status.hosts as never });
    // The pool's template names the target from the first up on.
    const template = JSON.parse(
      recorder.registered("azure-native:desktopvirtualization:HostPool")[0].inputs.vmTemplate,
    );
    expect(template.customImageId).toBe(id(target));
    const effects = world.applyRun();
    for (const name of effects.replaced) {
      const before = observed.find((h) => h.name === name)!;
      expect(before.drainingSince).toBeDefined(); // drained in an earlier up
      expect(effects.ops.remove).toContain(name); // its registration went first: no ghost
    }
    world.passTime();
    clock.now += 15 * 60_000;
    log.push({ status, effects });
    return { status, effects };
  }

  /** Ups until the rollout is done or halted (or `max` ups). */
  async function converge(p: Program, max = 60) {
    for (let i = 0; i < max; i++) {
      const { status } = await up(p);
      if (status.done || status.halted) return { ups: i + 1, status };
    }
    throw new Error(`no convergence in ${max} ups: ${log[log.length - 1].status.summary}`);
  }

  const versions = () => world.observe().map((h) => h.version);
  const accepting = () =>
    world.observe().filter((h) => h.allowNewSession && h.status === "Available").length;
  return { name, world, up, converge, versions, accepting, log };
}
