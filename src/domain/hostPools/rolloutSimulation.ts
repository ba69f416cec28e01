/**
 * A rollout played forward: each step is one `pulumi up` ({@link planRollout} on the observed
 * fleet, its result applied), then time passes (sessions end, new hosts come up). Used by the
 * property tests and the benchmark, and to answer "how many ups will this rollout take?".
 */
import {
  HostObservation,
  RolloutInput,
  RolloutPlan,
  RolloutSettings,
  SessionHostStatus,
  planRollout,
} from "./rollout";
import { resolveRollout } from "./rolloutSettings";

/** How the simulated world behaves between steps. */
export interface SimulationWorld {
  /** Sessions on a host after a step (default: a drained host loses half, others keep theirs). */
  readonly sessionsAfter?: (host: HostObservation, step: number) => number;
  /** The status a host created or replaced in `step` reports from the next step (default Available). */
  readonly newHostStatus?: (name: string, step: number) => string;
}

/** A rollout to simulate. */
export interface SimulationInput extends Omit<RolloutInput, "now"> {
  /** The time of the first step (RFC 3339). */
  readonly start: string;
  /** Minutes between two ups. */
  readonly stepMinutes: number;
  /** Give up after this many ups. */
  readonly maxSteps: number;
  readonly world?: SimulationWorld;
}

/** One up: what it observed and what it planned. */
export interface SimulationStep {
  readonly now: string;
  readonly observed: HostObservation[];
  readonly plan: RolloutPlan;
}

/** The whole simulated rollout. */
export interface SimulationResult {
  readonly steps: SimulationStep[];
  /** The last plan said done. */
  readonly done: boolean;
  /** A plan halted. */
  readonly halted?: string;
  /** The fewest hosts accepting sessions (Available, not drained) after any step. */
  readonly minAccepting: number;
}

/** Plays a rollout forward until done, halted or `maxSteps`. */
export function simulateRollout(input: SimulationInput): SimulationResult {
  resolveRollout(input.settings, "settings"); // bad settings fail before the first step
  const steps: SimulationStep[] = [];
  let hosts = [...input.hosts];
  let minAccepting = accepting(hosts);
  const start = Date.parse(input.start);
  for (let i = 0; i < input.maxSteps; i++) {
    const now = new Date(start + i * input.stepMinutes * 60_000).toISOString();
    const plan = planRollout({ ...input, hosts, now });
    steps.push({ now, observed: hosts, plan });
    if (plan.done || plan.halted)
      return { steps, done: plan.done, halted: plan.halted, minAccepting };
    hosts = applyPlan(hosts, plan, now);
    minAccepting = Math.min(minAccepting, accepting(hosts));
    hosts = passTime(hosts, i, input.world ?? {});
  }
  return { steps, done: false, minAccepting };
}

/** The fleet right after an up applied `plan` (new hosts not registered yet). */
export function applyPlan(
  hosts: readonly HostObservation[],
  plan: RolloutPlan,
  now: string,
): HostObservation[] {
  const before = new Map(hosts.map((h) => [h.name, h]));
  const after: HostObservation[] = [];
  for (const p of plan.hosts) {
    const old = before.get(p.name);
    if (p.action === "remove") continue;
    if (p.action === "create" || p.action === "replace" || !old) {
      after.push(fresh(p.name, p.version));
    } else if (p.action === "drain") {
      after.push({ ...old, allowNewSession: false, drainingSince: now });
    } else {
      const drainingSince = p.allowNewSession ? undefined : old.drainingSince;
      after.push({ ...old, allowNewSession: p.allowNewSession, drainingSince });
    }
  }
  return after;
}

/** A host just created: registering, no sessions. */
function fresh(name: string, version: string): HostObservation {
  return {
    name,
    version,
    sessions: 0,
    status: SessionHostStatus.NotRegistered,
    allowNewSession: true,
  };
}

function passTime(hosts: HostObservation[], step: number, world: SimulationWorld) {
  const sessionsAfter =
    world.sessionsAfter ??
    ((h: HostObservation) => (h.allowNewSession ? h.sessions : Math.floor(h.sessions / 2)));
  const statusOf = world.newHostStatus ?? (() => SessionHostStatus.Available);
  return hosts.map((h) => ({
    ...h,
    sessions: Math.max(0, sessionsAfter(h, step)),
    status: h.status === SessionHostStatus.NotRegistered ? statusOf(h.name, step) : h.status,
  }));
}

function accepting(hosts: readonly HostObservation[]): number {
  return hosts.filter((h) => h.allowNewSession && h.status === "Available").length;
}

/** A pool of `count` healthy hosts `<prefix>-0...` on `version`, with `sessions` each. */
export function healthyFleet(
  prefix: string,
  count: number,
  version: string,
  sessions = 0,
): HostObservation[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}-${i}`,
    version,
    sessions,
    status: SessionHostStatus.Available,
    allowNewSession: true,
  }));
}

export type { RolloutSettings };
