/**
 * The rollout invariants of issue #13, checked on one step (observation → plan). Shared by the
 * property tests of planRollout and the simulated fleet under the Pulumi mocks.
 */
import type {
  HostObservation,
  RolloutInput,
  RolloutPlan,
} from "../../src/domain/hostPools/rollout";
import { resolveRollout } from "../../src/domain/hostPools/rolloutSettings";
import { parseRfc3339 } from "../../src/domain/common/time";

/** Hosts accepting sessions after the step: kept open, and Available when observed. */
export function acceptingAfter(plan: RolloutPlan, observed: readonly HostObservation[]): number {
  const byName = new Map(observed.map((h) => [h.name, h]));
  return plan.hosts.filter(
    (p) => p.action === "keep" && p.allowNewSession && byName.get(p.name)?.status === "Available",
  ).length;
}

function acceptingBefore(observed: readonly HostObservation[]): number {
  return observed.filter((h) => h.allowNewSession && h.status === "Available").length;
}

/** Throws naming the broken invariant; returns nothing when the step is safe. */
export function assertStepInvariants(input: RolloutInput, plan: RolloutPlan): void {
  const fail = (what: string) => {
    throw new Error(`${what}\ninput: ${JSON.stringify(input)}\nplan: ${JSON.stringify(plan)}`);
  };
  const settings = resolveRollout(input.settings);
  const observed = new Map(input.hosts.map((h) => [h.name, h]));
  const now = parseRfc3339(input.now)!;
  // Every observed host is planned exactly once.
  const names = plan.hosts.map((p) => p.name);
  if (new Set(names).size !== names.length) fail("a host is planned twice");
  for (const h of input.hosts) if (!names.includes(h.name)) fail(`${h.name} is not planned`);
  if (plan.halted) {
    for (const p of plan.hosts) {
      const h = observed.get(p.name);
      if (!h || p.action !== "keep" || p.version !== h.version)
        fail("a halted plan changes a host");
      if (p.allowNewSession !== h!.allowNewSession) fail("a halted plan changes a drain");
    }
    return;
  }
  for (const p of plan.hosts) {
    const h = observed.get(p.name);
    if (p.action === "create" && h) fail(`create of existing ${p.name}`);
    if (p.action !== "create" && !h) fail(`${p.name} planned ${p.action} but does not exist`);
    if ((p.action === "create" || p.action === "replace") && p.version !== input.target)
      fail(`${p.name} is built on ${p.version}, not the target`);
    if ((p.action === "keep" || p.action === "drain") && h && p.version !== h.version)
      fail(`${p.name} changes version without a replacement`);
    if (p.action === "replace" || p.action === "remove") {
      // Never without a drain in an earlier step, never with sessions inside the grace period.
      if (!h || h.allowNewSession || h.drainingSince === undefined)
        fail(`${p.name} ${p.action}d without being drained first`);
      const minutes = (now - parseRfc3339(h!.drainingSince)!) / 60_000;
      if (h!.sessions > 0 && minutes < settings.drainGraceMinutes)
        fail(`${p.name} ${p.action}d with sessions inside the grace period`);
    }
  }
  const staying = plan.hosts.filter((p) => p.action !== "remove").length;
  if (staying < input.count) fail("the plan leaves fewer hosts than count");
  checkCapacity(input, plan, fail);
}

function checkCapacity(input: RolloutInput, plan: RolloutPlan, fail: (what: string) => void) {
  const settings = resolveRollout(input.settings);
  const newDrains = plan.hosts.filter((p) => {
    const h = input.hosts.find((x) => x.name === p.name);
    return p.action === "drain" && h?.allowNewSession === true;
  });
  const inFlight =
    input.hosts.some(
      (h) => h.version === input.target && ["Upgrading", "Shutdown"].includes(h.status),
    ) ||
    input.hosts.some((h) => !h.allowNewSession && h.drainingSince !== undefined) ||
    plan.hosts.some((p) => ["replace", "create", "remove"].includes(p.action));
  if (newDrains.length > 0 && inFlight)
    fail("a new batch starts while the previous one is in flight");
  const canary = !input.hosts.some((h) => h.version === input.target && h.status === "Available");
  const batch = canary ? 1 : settings.batchFor(input.count);
  if (newDrains.length > batch) fail(`${newDrains.length} hosts drained in a batch of ${batch}`);
  const before = acceptingBefore(input.hosts);
  const after = acceptingAfter(plan, input.hosts);
  const floor = settings.surge ? input.count : input.count - batch;
  if (after < Math.min(before, floor))
    fail(`accepting hosts fall from ${before} to ${after} (floor ${floor})`);
}
