/**
 * Rolling re-image of a pool's session hosts, decided by one pure function: given what exists
 * (hosts, their versions, sessions, health, drain state) and the clock, {@link planRollout}
 * returns the next safe step. A Pulumi program is stateless, so every `pulumi up` observes the
 * fleet, plans one step and declares its result; repeated ups converge on the target version.
 */
import { requireInteger, requireString } from "../common/checks";
import { GlobalImageError, invalid } from "../common/errors";
import { RolloutSettings, resolveRollout } from "./rolloutSettings";
import { HostFacts, classify, compareNames, isOutOfService } from "./rolloutHosts";
import { decideStep } from "./rolloutStep";
import { parseRfc3339 } from "../common/time";

export type { RolloutSettings } from "./rolloutSettings";

/** AVD session host statuses, plus `NotRegistered` for a VM the pool does not know (yet). */
export const SessionHostStatus = {
  Available: "Available",
  Unavailable: "Unavailable",
  Shutdown: "Shutdown",
  Disconnected: "Disconnected",
  Upgrading: "Upgrading",
  UpgradeFailed: "UpgradeFailed",
  NoHeartbeat: "NoHeartbeat",
  NotJoinedToDomain: "NotJoinedToDomain",
  DomainTrustRelationshipLost: "DomainTrustRelationshipLost",
  SxSStackListenerNotReady: "SxSStackListenerNotReady",
  FSLogixNotHealthy: "FSLogixNotHealthy",
  NeedsAssistance: "NeedsAssistance",
  NotRegistered: "NotRegistered",
} as const;
export type SessionHostStatus = (typeof SessionHostStatus)[keyof typeof SessionHostStatus];

/** What a step does to one host. */
export const RolloutAction = {
  /** Leave it (its `allowNewSession` may still change: a drained host on the target is reopened). */
  Keep: "keep",
  /** Stop new sessions (`allowNewSession: false`); existing sessions continue. */
  Drain: "drain",
  /** Delete the host and create it again, same name, on the target version. */
  Replace: "replace",
  /** Create a new host on the target version. */
  Create: "create",
  /** Delete the host (surplus over `count`, or an old host after surge). */
  Remove: "remove",
} as const;
export type RolloutAction = (typeof RolloutAction)[keyof typeof RolloutAction];

/** One session host as observed before a step. */
export interface HostObservation {
  /** The host's name (the VM's computer name). */
  readonly name: string;
  /** The image version the host runs. */
  readonly version: string;
  /** User sessions on the host (active and disconnected). */
  readonly sessions: number;
  /** The AVD session host status, e.g. "Available" (see {@link SessionHostStatus}). */
  readonly status: string;
  /** Whether the host takes new sessions (false = drained). */
  readonly allowNewSession: boolean;
  /** When the rollout drained it (RFC 3339); absent when not drained by a rollout. */
  readonly drainingSince?: string;
}

/** Everything one step depends on. */
export interface RolloutInput {
  /** The version every host should run (the pool's bound version). */
  readonly target: string;
  /** How many hosts the pool should have. */
  readonly count: number;
  /** Every host that exists. */
  readonly hosts: readonly HostObservation[];
  readonly settings: RolloutSettings;
  /** The current time (RFC 3339). */
  readonly now: string;
  /**
   * Names of hosts to create are `<namePrefix>-<n>`, lowest free `n` first.
   * @default "host"
   */
  readonly namePrefix?: string;
}

/** One host after the step. */
export interface PlannedHost {
  readonly name: string;
  /** The version the host runs after the step. */
  readonly version: string;
  /** Whether it takes new sessions after the step. */
  readonly allowNewSession: boolean;
  readonly action: RolloutAction;
}

/** The next step of a rollout. */
export interface RolloutPlan {
  /** Every observed host and every host to create, ordered by name. */
  readonly hosts: PlannedHost[];
  /** True when every host runs the target, the count is right, none is drained or unhealthy. */
  readonly done: boolean;
  /** Why the rollout stopped, naming the host; the step then changes nothing. */
  readonly halted?: string;
  /** One sentence on what this step does or waits for. */
  readonly summary: string;
}

/**
 * The next step of a rolling update. Rules, in order: too many unhealthy hosts on the target
 * halt it (nothing changes); drained hosts are reopened when already on the target, replaced or
 * removed once empty or past their grace (never in the step that drained them), missing hosts are
 * created; only when nothing is in flight does the next batch start (one host while no host on
 * the target is healthy, `batchSize` after), draining hosts (or, with surge, creating new ones
 * first) without taking more than a batch out of service.
 */
export function planRollout(input: RolloutInput): RolloutPlan {
  const { target, count, now, prefix, hosts } = readInput(input);
  const settings = resolveRollout(input.settings, "settings");
  const facts = hosts.map((h) => classify(h, target, now));
  const failed = facts.filter((f) => f.failed);
  if (failed.length > settings.maxFailedHosts) {
    return {
      hosts: facts.map((f) => keep(f.host)),
      done: false,
      halted: haltReason(target, failed, settings.maxFailedHosts),
      summary: `halted: ${failed.length} failed host(s) on ${target}`,
    };
  }
  const step = decideStep({ target, count, facts, settings, now, prefix });
  const planned = [...step.hosts].sort((a, b) => compareNames(a.name, b.name));
  const done =
    planned.length === count &&
    facts.every((f) => f.onTarget && f.healthy && f.host.allowNewSession) &&
    planned.every((p) => p.action === RolloutAction.Keep);
  return { hosts: planned, done, summary: done ? `converged on ${target}` : step.summary };
}

/** The plan's hosts that are out of service after the step (for checks and reports). */
export function outOfService(plan: RolloutPlan, observed: readonly HostObservation[]): string[] {
  const byName = new Map(observed.map((h) => [h.name, h]));
  return plan.hosts.filter((p) => isOutOfService(p, byName.get(p.name))).map((p) => p.name);
}

function keep(host: HostObservation): PlannedHost {
  return {
    name: host.name,
    version: host.version,
    allowNewSession: host.allowNewSession,
    action: RolloutAction.Keep,
  };
}

function haltReason(target: string, failed: HostFacts[], maxFailed: number): string {
  const first = failed[0].host;
  const more = failed.length > 1 ? ` and ${failed.length - 1} more` : "";
  return (
    `Rollout to ${target} halted: session host "${first.name}"${more} did not become healthy on ` +
    `${target} (status ${first.status}); ${failed.length} failed, maxFailedHosts is ${maxFailed}. ` +
    `No further host is touched. Roll back to the previous version, or fix or remove the host, ` +
    `or raise rollout.maxFailedHosts to continue.`
  );
}

interface ReadInput {
  target: string;
  count: number;
  now: number;
  prefix: string;
  hosts: HostObservation[];
}

function readInput(input: RolloutInput): ReadInput {
  const target = requireString("target", input.target, "Give the version hosts should run.");
  const count = requireInteger("count", input.count, 0);
  const now = parseRfc3339(input.now);
  if (now === undefined) {
    throw invalid("now", input.now, "must be an RFC 3339 date-time", "Pass the clock's ISO time.");
  }
  const seen = new Set<string>();
  const hosts = (input.hosts ?? []).map((h, i) => {
    const field = `hosts[${i}]`;
    requireString(`${field}.name`, h.name, "Give the host's name.");
    requireString(`${field}.version`, h.version, "Give the version the host runs.");
    requireInteger(`${field}.sessions`, h.sessions, 0);
    if (seen.has(h.name)) {
      throw new GlobalImageError(`${field}.name`, `"${field}.name" repeats host "${h.name}".`);
    }
    seen.add(h.name);
    if (h.drainingSince !== undefined && parseRfc3339(h.drainingSince) === undefined) {
      throw invalid(`${field}.drainingSince`, h.drainingSince, "must be RFC 3339", "Fix it.");
    }
    return h;
  });
  return { target, count, now, prefix: input.namePrefix ?? "host", hosts };
}

export { compareNames };
