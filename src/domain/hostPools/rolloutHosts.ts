/** What a rollout step needs to know of each observed host, derived once. */
import type { HostObservation, PlannedHost } from "./rollout";
import { parseRfc3339 } from "../common/time";

/** Statuses a host passes through on its way to Available: the rollout waits, it does not fail. */
const WAITING_STATUSES: ReadonlySet<string> = new Set(["Upgrading", "Shutdown"]);

/** An observed host, classified against the target. */
export interface HostFacts {
  readonly host: HostObservation;
  /** Runs the target version. */
  readonly onTarget: boolean;
  /** Status Available. */
  readonly healthy: boolean;
  /** On the target and in a passing status (Upgrading, Shutdown): neither healthy nor failed. */
  readonly waiting: boolean;
  /** On the target and in any other status (not registered included): a failed new host. */
  readonly failed: boolean;
  /** Takes no new sessions. */
  readonly drained: boolean;
  /** Drained by a rollout (its drain time is known). */
  readonly ours: boolean;
  /** Minutes since the rollout drained it (0 when not drained by a rollout). */
  readonly drainedMinutes: number;
  /** Takes sessions and is Available: capacity users can get. */
  readonly accepting: boolean;
}

/** Classifies `host` against `target` at time `now` (ms since the epoch). */
export function classify(host: HostObservation, target: string, now: number): HostFacts {
  const onTarget = host.version === target;
  const healthy = host.status === "Available";
  const waiting = onTarget && !healthy && WAITING_STATUSES.has(host.status);
  const since = host.drainingSince === undefined ? undefined : parseRfc3339(host.drainingSince);
  const drained = !host.allowNewSession;
  return {
    host,
    onTarget,
    healthy,
    waiting,
    failed: onTarget && !healthy && !waiting,
    drained,
    ours: drained && since !== undefined,
    drainedMinutes: since === undefined ? 0 : Math.max(0, (now - since) / 60_000),
    accepting: healthy && !drained,
  };
}

/** True when a drained host may be replaced or removed: empty, or past its grace period. */
export function drainComplete(f: HostFacts, graceMinutes: number): boolean {
  return f.ours && (f.host.sessions === 0 || f.drainedMinutes >= graceMinutes);
}

/** True when a planned host gives users no capacity after the step. */
export function isOutOfService(planned: PlannedHost, observed?: HostObservation): boolean {
  if (!planned.allowNewSession || planned.action !== "keep") return true;
  return observed === undefined || observed.status !== "Available";
}

/**
 * Names for new hosts: `<prefix>-<n>` with the lowest `n` no existing or planned host uses, so
 * a host deleted by hand comes back under its own name.
 */
export function freeNames(prefix: string, taken: Iterable<string>, howMany: number): string[] {
  const used = new Set(taken);
  const names: string[] = [];
  for (let n = 0; names.length < howMany; n++) {
    const name = `${prefix}-${n}`;
    if (!used.has(name)) names.push(name);
  }
  return names;
}

const NAMES = new Intl.Collator("en", { numeric: true });

/** Orders `p-2` before `p-10`: names compared with their numbers as numbers. */
export function compareNames(a: string, b: string): number {
  return NAMES.compare(a, b);
}
