/**
 * Section 7: rolling re-image, simulated up after up (src/domain/hostPools/rolloutSimulation.ts): how many
 * ups a rollout takes and how much capacity it keeps, against replacing every host at once (what
 * the package did before) and Azure's session host update as documented (one host first, then
 * batches of N, each drained, logged off after a delay, deleted and recreated).
 */
import { performance } from "node:perf_hooks";
import { HostObservation, RolloutSettings } from "../src/domain/hostPools/rollout";
import { replaceSection } from "./spawn";
import { resolveRollout } from "../src/domain/hostPools/rolloutSettings";
import {
  SimulationWorld,
  healthyFleet,
  simulateRollout,
} from "../src/domain/hostPools/rolloutSimulation";

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

const fmt = (n: number, digits = 0) => n.toFixed(digits);

const ROLLOUT_HEADING = "## 7. Rolling re-image of session hosts";

/** Section 7 (see bench/rollout.ts). */
export function rolloutSection(say: (t?: string) => void): void {
  say(ROLLOUT_HEADING);
  say();
  say(
    `Simulated up after up (planRollout on the observed fleet, its step applied, then ${STEP_MINUTES} ` +
      `minutes pass: users on open hosts come and go, a drained host's users leave over time). ` +
      `Every host starts on the old version with 4 sessions; drainGraceMinutes ${GRACE_MINUTES}. ` +
      `"ups" = scheduled \`pulumi up\` runs until done (one every ${STEP_MINUTES} min). ` +
      `"forced" = hosts replaced with users still on them (their grace was over). ` +
      `Baselines, same pool: replace all at once (this package before): 1 up, 0 % capacity ` +
      `while every host rebuilds, every user thrown out; Azure's session host update as documented ` +
      `(one host, then batches of N, each logged off after a delay and rebuilt): its batches and ` +
      `its capacity floor.`,
  );
  say();
  say(
    `| hosts | batchSize | surge | ups | hours | least capacity | forced | ms per plan | replace-all least capacity | Azure update batches | Azure update least capacity |`,
  );
  say(`| ---: | ---: | :---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
  const pct = (x: number) => `${fmt(x * 100, 1)} %`;
  for (const hosts of [10, 100, 1000])
    for (const [batch, surge] of [
      [1, false],
      ["10%", false],
      ["25%", false],
      ["25%", true],
    ] as const) {
      const r = measureRollout(hosts, batch, surge);
      const azure = azureUpdate(hosts, batch);
      say(
        `| ${hosts} | ${batch} | ${surge ? "yes" : "no"} | ${r.ups} | ${fmt(r.hours, 1)} | ${pct(r.minCapacity)} | ` +
          `${r.forcedHosts} | ${fmt(r.planMs, 2)} | 0 % | ${azure.batches} | ${pct(azure.minCapacity)} |`,
      );
    }
  say();
  say(
    `A rollout needs about 2 ups per batch (drain; replace once empty or past grace), plus the ` +
      `waits for sessions to end; the next up checks the new hosts are Available and drains the ` +
      `next batch. So batchSize and the schedule set its time: batches of 1 host in a ` +
      `1,000-host pool take three weeks of 15-minute ups, 10 % or 25 % a working day. ` +
      `Without surge the floor is count − batch (the canary step takes one host); with surge ` +
      `it never drops below the pool's count. ms per plan: planRollout's cost on the whole fleet.`,
  );
}

/** `BENCH_ONLY=rollout`: section 7 alone, replacing it in the last full run's RESULTS.md. */
export function rolloutOnly(lines: string[], say: (t?: string) => void): void {
  rolloutSection(say);
  replaceSection(ROLLOUT_HEADING, lines);
}
