/**
 * planRollout's invariants over random fleets, session patterns, failures and clock steps: one
 * step from any observation, and whole rollouts (up after up) from any healthy fleet.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
  HostObservation,
  RolloutInput,
  RolloutSettings,
  planRollout,
} from "../../../src/domain/hostPools/rollout";
import { SimulationWorld, simulateRollout } from "../../../src/domain/hostPools/rolloutSimulation";
import { assertStepInvariants } from "../../helpers/rolloutInvariants";

const RUNS = 10_000;
const START = Date.parse("2026-12-01T00:00:00Z");
const VERSIONS = ["1.0.0", "2.0.0", "3.0.0"];
const STATUSES = [
  "Available",
  "Available",
  "Available",
  "Unavailable",
  "Upgrading",
  "Shutdown",
  "NeedsAssistance",
  "NotRegistered",
];

const settingsArb: fc.Arbitrary<RolloutSettings> = fc.record({
  batchSize: fc.oneof(
    fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 1, max: 100 }).map((p) => `${p}%`),
  ),
  drainGraceMinutes: fc.integer({ min: 0, max: 180 }),
  surge: fc.boolean(),
  maxFailedHosts: fc.integer({ min: 0, max: 2 }),
});

/** Hosts h-<n> with distinct numbers. */
function fleetArb(
  host: (name: string) => fc.Arbitrary<HostObservation>,
  max = 12,
): fc.Arbitrary<HostObservation[]> {
  return fc
    .uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: max })
    .chain((ns) =>
      ns.length === 0
        ? fc.constant<HostObservation[]>([])
        : fc.tuple(...ns.map((n) => host(`h-${n}`))),
    );
}

const anyHost = (name: string): fc.Arbitrary<HostObservation> =>
  fc
    .record({
      version: fc.constantFrom(...VERSIONS),
      sessions: fc.integer({ min: 0, max: 20 }),
      status: fc.constantFrom(...STATUSES),
      allowNewSession: fc.boolean(),
      drainedMinutesAgo: fc.option(fc.integer({ min: 0, max: 300 })),
    })
    .map(({ drainedMinutesAgo, ...h }) => ({
      name,
      ...h,
      drainingSince:
        h.allowNewSession || drainedMinutesAgo === null
          ? undefined
          : new Date(START - drainedMinutesAgo * 60_000).toISOString(),
    }));

const healthyHost = (name: string): fc.Arbitrary<HostObservation> =>
  fc.record({
    name: fc.constant(name),
    version: fc.constantFrom(...VERSIONS),
    sessions: fc.integer({ min: 0, max: 20 }),
    status: fc.constant("Available"),
    allowNewSession: fc.constant(true),
  });

describe("planRollout properties", () => {
  it("every step from any observation keeps the invariants", () => {
    fc.assert(
      fc.property(
        fleetArb(anyHost),
        fc.integer({ min: 0, max: 12 }),
        settingsArb,
        fc.constantFrom(...VERSIONS),
        (hosts, count, settings, target) => {
          const input: RolloutInput = {
            target,
            count,
            hosts,
            settings,
            now: new Date(START).toISOString(),
            namePrefix: "h",
          };
          assertStepInvariants(input, planRollout(input));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("up after up, any healthy fleet converges to done with every host on the target, keeping the invariants", () => {
    fc.assert(
      fc.property(
        fleetArb(healthyHost, 8),
        fc.integer({ min: 0, max: 8 }),
        settingsArb,
        fc.integer({ min: 1, max: 90 }),
        fc.integer(),
        (hosts, count, settings, stepMinutes, seed) => {
          // node:assert, not expect, in 10,000 runs: Jest builds every matcher at each expect()
          // (a sixth of this suite's time); fast-check reports the failing fleet either way.
          const result = simulateChecked(hosts, count, settings, stepMinutes, randomSessions(seed));
          assert.equal(result.halted, undefined, "halted");
          assert.equal(result.done, true, "done");
          const last = result.steps[result.steps.length - 1].observed;
          assert.equal(last.length, count, "hosts at the end");
          assert.ok(
            last.every((h) => h.version === "2.0.0" && h.allowNewSession),
            "every host on the target and open",
          );
          if (settings.surge)
            assert.ok(
              result.minAccepting >= Math.min(count, hosts.length),
              `accepting hosts fell to ${result.minAccepting} with surge`,
            );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("a new host that fails halts the rollout, and nothing more is touched", () => {
    fc.assert(
      fc.property(
        fleetArb(healthyHost, 8),
        settingsArb,
        fc.integer({ min: 0, max: 6 }),
        fc.integer(),
        (hosts, settings, failAt, seed) => {
          const count = hosts.length;
          let failures = 0;
          const world: SimulationWorld = {
            ...randomSessions(seed),
            newHostStatus: (_name, step) =>
              step >= failAt && failures++ <= (settings.maxFailedHosts ?? 0)
                ? "NeedsAssistance"
                : "Available",
          };
          const result = simulateChecked(hosts, count, settings, 30, world, 120);
          if (result.halted) {
            const failed = result.steps[result.steps.length - 1].observed.filter(
              (h) => h.status === "NeedsAssistance",
            );
            expect(failed.length).toBeGreaterThan(settings.maxFailedHosts ?? 0);
            expect(result.halted).toContain(`"${failed[0].name}"`);
          }
        },
      ),
      { numRuns: RUNS / 20 },
    );
  });
});

/** A simulated rollout to 2.0.0 whose every step is checked against the invariants. */
function simulateChecked(
  hosts: HostObservation[],
  count: number,
  settings: RolloutSettings,
  stepMinutes: number,
  world: SimulationWorld,
  maxSteps = 400,
) {
  const common = { target: "2.0.0", count, settings, namePrefix: "h" };
  const start = new Date(START).toISOString();
  const result = simulateRollout({ ...common, hosts, start, stepMinutes, maxSteps, world });
  for (const step of result.steps)
    assertStepInvariants({ ...common, hosts: step.observed, now: step.now }, step.plan);
  return result;
}

/** Sessions that come and go at random (a seeded generator: runs replay exactly). */
function randomSessions(seed: number): SimulationWorld {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    sessionsAfter: (h) =>
      h.allowNewSession ? Math.floor(next() * 21) : Math.floor(h.sessions * next() * 0.9),
  };
}
