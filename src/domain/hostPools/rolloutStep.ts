/**
 * One step of a rollout, in three phases: settle what is in flight (drained hosts), restore
 * missing capacity, and, only when nothing is in flight, start the next batch.
 */
import type { PlannedHost, RolloutAction } from "./rollout";
import { HostFacts, compareNames, drainComplete, freeNames } from "./rolloutHosts";
import type { ResolvedRollout } from "./rolloutSettings";

/** The inputs of a step, validated and classified. */
export interface StepInput {
  readonly target: string;
  readonly count: number;
  readonly facts: readonly HostFacts[];
  readonly settings: ResolvedRollout;
  readonly now: number;
  readonly prefix: string;
}

/** The planned hosts (unordered) and a sentence on what the step does. */
export interface Step {
  readonly hosts: PlannedHost[];
  readonly summary: string;
}

type Plan = Map<string, PlannedHost>;

/** Decides the step (the caller has already ruled out a halt). */
export function decideStep(input: StepInput): Step {
  const plan: Plan = new Map(
    input.facts.map((f) => [f.host.name, set(f, f.host.version, f.host.allowNewSession, "keep")]),
  );
  const notes: string[] = [];
  settleDrained(input, plan, notes);
  createMissing(input, plan, notes);
  if (gateOpen(input, plan)) startBatch(input, plan, notes);
  const summary = notes.length > 0 ? notes.join("; ") : waitingFor(input);
  return { hosts: [...plan.values()], summary };
}

function set(
  f: HostFacts | { host: { name: string } },
  version: string,
  allowNewSession: boolean,
  action: RolloutAction,
): PlannedHost {
  return { name: f.host.name, version, allowNewSession, action };
}

/** Old hosts before hosts on the target, then by name: old hosts are the first to go. */
function oldFirst(a: HostFacts, b: HostFacts): number {
  if (a.onTarget !== b.onTarget) return a.onTarget ? 1 : -1;
  return compareNames(a.host.name, b.host.name);
}

function settleDrained({ facts, count, target, settings }: StepInput, plan: Plan, notes: string[]) {
  let surplus = facts.length - count;
  const counts = { replace: 0, remove: 0, reopen: 0, adopt: 0 };
  for (const f of facts.filter((x) => x.drained).sort(oldFirst)) {
    if (!f.ours) {
      // Drained by someone else: an old host is adopted (its drain time recorded, so its grace
      // starts now); a host already on the target is left as its owner set it.
      if (!f.onTarget) {
        plan.set(f.host.name, set(f, f.host.version, false, "drain"));
        counts.adopt++;
      }
      continue;
    }
    const complete = drainComplete(f, settings.drainGraceMinutes);
    if (surplus > 0) {
      surplus--;
      if (complete) plan.set(f.host.name, set(f, f.host.version, false, "remove"));
      if (complete) counts.remove++;
    } else if (f.onTarget) {
      plan.set(f.host.name, set(f, f.host.version, true, "keep"));
      counts.reopen++;
    } else if (complete) {
      plan.set(f.host.name, set(f, target, true, "replace"));
      counts.replace++;
    }
  }
  if (counts.replace) notes.push(`replacing ${counts.replace} drained host(s) with ${target}`);
  if (counts.remove) notes.push(`removing ${counts.remove} drained host(s)`);
  if (counts.reopen) notes.push(`reopening ${counts.reopen} drained host(s) already on ${target}`);
  if (counts.adopt) notes.push(`recording the drain of ${counts.adopt} host(s) drained by hand`);
}

function createMissing({ count, target, prefix }: StepInput, plan: Plan, notes: string[]) {
  const staying = [...plan.values()].filter((p) => p.action !== "remove").length;
  if (staying >= count) return;
  for (const name of freeNames(prefix, plan.keys(), count - staying)) {
    plan.set(name, set({ host: { name } }, target, true, "create"));
  }
  notes.push(`creating ${count - staying} missing host(s) on ${target}`);
}

/** Nothing in flight: no change planned, no host drained by a rollout, every new host healthy. */
function gateOpen({ facts }: StepInput, plan: Plan): boolean {
  if (plan.size !== facts.length) return false; // hosts are being created
  return facts.every((f) => {
    const p = plan.get(f.host.name)!;
    const changed = p.action !== "keep" || p.allowNewSession !== f.host.allowNewSession;
    const handDrainedNew = f.drained && !f.ours && f.onTarget;
    return !changed && !f.waiting && (!f.drained || handDrainedNew);
  });
}

function startBatch(input: StepInput, plan: Plan, notes: string[]) {
  const { facts, count, settings, target } = input;
  const canary = !facts.some((f) => f.onTarget && f.healthy);
  const batch = canary ? 1 : settings.batchFor(count);
  const accepting = facts.filter((f) => f.accepting).length;
  const floor = settings.surge ? count : count - batch;
  let capacityToSpare = Math.max(0, accepting - floor);
  const surplus = Math.max(0, facts.length - count);
  const candidates = facts
    .filter((f) => !f.drained && !f.failed && (!f.onTarget || surplus > 0))
    .sort(drainOrder)
    .slice(0, facts.filter((f) => !f.onTarget).length + surplus);
  let drained = 0;
  for (const f of candidates) {
    if (drained === batch) break;
    const cost = f.accepting ? 1 : 0;
    if (cost > capacityToSpare) continue;
    capacityToSpare -= cost;
    plan.set(f.host.name, set(f, f.host.version, false, "drain"));
    drained++;
  }
  const label = canary ? "canary" : `batch of ${batch}`;
  if (drained > 0) {
    notes.push(`draining ${drained} host(s) (${label}) for ${target}`);
    return;
  }
  const old = facts.filter((f) => !f.onTarget).length;
  if (settings.surge && old > 0 && surplus === 0) {
    const names = freeNames(input.prefix, plan.keys(), Math.min(batch, old));
    for (const name of names) plan.set(name, set({ host: { name } }, target, true, "create"));
    notes.push(`adding ${names.length} host(s) on ${target} before removing old ones (${label})`);
  }
}

/** Hosts that give users nothing first (no capacity lost), then the emptiest, then by name. */
function drainOrder(a: HostFacts, b: HostFacts): number {
  if (a.onTarget !== b.onTarget) return a.onTarget ? 1 : -1;
  if (a.accepting !== b.accepting) return a.accepting ? 1 : -1;
  if (a.host.sessions !== b.host.sessions) return a.host.sessions - b.host.sessions;
  return compareNames(a.host.name, b.host.name);
}

function waitingFor({ facts, target, settings }: StepInput): string {
  const waiting = facts.find((f) => f.waiting);
  if (waiting)
    return `waiting for ${waiting.host.name} (${waiting.host.status}) to become Available`;
  const draining = facts.find((f) => f.drained && f.ours);
  if (draining) {
    const left = Math.max(0, Math.ceil(settings.drainGraceMinutes - draining.drainedMinutes));
    return `waiting for ${draining.host.name} to drain (${draining.host.sessions} session(s), gone in at most ${left} min)`;
  }
  const failed = facts.find((f) => f.failed);
  if (failed) return `continuing around failed host ${failed.host.name}; no capacity to spare`;
  const hand = facts.find((f) => f.drained && f.onTarget);
  if (hand)
    return `${hand.host.name} is on ${target} but drained by hand; allow new sessions on it`;
  return `waiting: not enough hosts accepting sessions to take one out of service`;
}
