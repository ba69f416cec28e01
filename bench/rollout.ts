/**
 * Section 7: rolling re-image, simulated up after up (src/domain/rolloutSimulation.ts): how many
 * ups a rollout takes and how much capacity it keeps, against replacing every host at once (what
 * the package did before) and Azure's session host update as documented (one host first, then
 * batches of N, each drained, logged off after a delay, deleted and recreated).
 */
import { performance } from "node:perf_hooks";
import { HostObservation, RolloutSettings } from "../src/domain/rollout";
import { resolveRollout } from "../src/domain/rolloutSettings";
import { SimulationWorld, healthyFleet, simulateRollout } from "../src/domain/rolloutSimulation";

/** Minutes between two scheduled ups, and a drain's grace period. */
export const STEP_MINUTES = 15;
export const GRACE_MINUTES = 60;

export interface RolloutRow {
  readonly hosts: number;
  readonly batch: string;
  readonly surge: boolean;
  readonly ups: number;
  /** Wall-clock time the rollout takes at one up every STEP_MINUTES. */
  readonly hours: number;
  /** The least share of `hosts` accepting sessions after any up. */
  readonly minCapacity: number;
  /** Hosts replaced while users were still on them (grace period over). */
  readonly forcedHosts: number;
  /** Mean time of one planRollout call. */
  readonly planMs: number;
}

/** A seeded world: users on open hosts come and go, a drained host's users leave over time. */
function world(seed: number): SimulationWorld {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    sessionsAfter: (h: HostObservation) =>
      h.allowNewSession ? Math.floor(next() * 9) : Math.floor(h.sessions * next() * 0.8),
  };
}

/** One of our rollouts, measured. */
export function measureRollout(
  hosts: number,
  batchSize: number | string,
  surge: boolean,
): RolloutRow {
  const settings: RolloutSettings = { batchSize, surge, drainGraceMinutes: GRACE_MINUTES };
  const fleet = healthyFleet("avd", hosts, "1.0.0", 4);
  const started = performance.now();
  const result = simulateRollout({
    target: "2.0.0",
    count: hosts,
    hosts: fleet,
    settings,
    namePrefix: "avd",
    start: "2026-12-01T00:00:00Z",
    stepMinutes: STEP_MINUTES,
    maxSteps: 20 * hosts + 100,
    world: world(hosts),
  });
  const ms = performance.now() - started;
  if (!result.done) throw new Error(`${hosts} hosts, batch ${batchSize}: no convergence`);
  let forced = 0;
  for (const step of result.steps) {
    const seen = new Map(step.observed.map((h) => [h.name, h]));
    for (const p of step.plan.hosts)
      if (
        (p.action === "replace" || p.action === "remove") &&
        (seen.get(p.name)?.sessions ?? 0) > 0
      )
        forced++;
  }
  const ups = result.steps.length;
  return {
    hosts,
    batch: String(batchSize),
    surge,
    ups,
    hours: ((ups - 1) * STEP_MINUTES) / 60,
    minCapacity: result.minAccepting / hosts,
    forcedHosts: forced,
    planMs: ms / ups,
  };
}

/** Azure's session host update as documented: a canary host, then batches of `batch` hosts. */
export function azureUpdate(hosts: number, batchSize: number | string) {
  const batch = resolveRollout({ batchSize }).batchFor(hosts);
  const batches = 1 + Math.ceil((hosts - 1) / batch);
  return { batches, minCapacity: (hosts - batch) / hosts };
}
