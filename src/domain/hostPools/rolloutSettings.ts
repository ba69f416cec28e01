/**
 * The settings of a rolling session host update (`sessionHosts.rollout`), validated once and
 * shared by the component, the root project's config reader and {@link planRollout}.
 */
import { optionalBoolean, optionalString, requireIntegerIn } from "../common/checks";
import { invalid, joinField } from "../common/errors";
import { printableLines } from "../common/text";

/** How a pool's session hosts move to a new image version; every key has a default. */
export interface RolloutSettings {
  /**
   * Hosts changed per step: a number, or a percentage of the pool's host count such as `"25%"`.
   * A percentage is a ceiling on capacity: without surge, at most ⌊N % × count⌋ hosts (at least
   * 1) are out of service at once; with surge, ⌈N % × count⌉ extra hosts are added per batch. The
   * first batch of every rollout is a canary of one host, whatever this says.
   * @default 1
   */
  readonly batchSize?: number | string;
  /**
   * Minutes a drained host may keep user sessions before it is replaced anyway; 0 replaces a
   * host in the step after it was drained.
   * @default 60
   */
  readonly drainGraceMinutes?: number;
  /**
   * Add new hosts before old ones are removed, so hosts accepting sessions never drop below the
   * pool's count (needs room for `batchSize` extra VMs in quota and subnet). Not for personal pools.
   * @default false
   */
  readonly surge?: boolean;
  /**
   * Text sent to every user session of a host when it starts draining (AVD's "send message").
   * @default no message
   */
  readonly message?: string;
  /**
   * New hosts that may fail to become healthy before the rollout halts; 0 halts at the first.
   * @default 0
   */
  readonly maxFailedHosts?: number;
}

/** {@link RolloutSettings} with every default applied. */
export interface ResolvedRollout {
  /**
   * Hosts per batch once the canary is healthy, for a pool of the given host count (≥ 1): without
   * surge the hosts taken out of service at once (a percentage rounded down, at least 1), with
   * surge the extra hosts added at once (a percentage rounded up).
   */
  readonly batchFor: (count: number) => number;
  readonly drainGraceMinutes: number;
  readonly surge: boolean;
  readonly message?: string;
  readonly maxFailedHosts: number;
}

/** The defaults {@link resolveRollout} applies. */
export const ROLLOUT_DEFAULTS = {
  batchSize: 1,
  drainGraceMinutes: 60,
  surge: false,
  maxFailedHosts: 0,
} as const;

/** The longest `message` AVD's send-message operation takes. */
export const MAX_ROLLOUT_MESSAGE = 1000;

const PERCENT = /^(\d{1,3})%$/;

/**
 * Validates `settings` (any value: JavaScript, YAML or stack config) and applies the defaults.
 * `field` is the argument path errors name, e.g. `sessionHosts.rollout`.
 */
export function resolveRollout(settings: unknown, field = "rollout"): ResolvedRollout {
  if (settings !== undefined && (typeof settings !== "object" || settings === null)) {
    throw invalid(
      field,
      settings,
      "must be an object",
      `Give "${field}" as { batchSize, drainGraceMinutes, surge, message, maxFailedHosts } or leave it out for the defaults.`,
    );
  }
  const s = (settings ?? {}) as Record<string, unknown>;
  const at = (key: string) => joinField(field, key);
  const message = optionalString(at("message"), s.message, "Give a short text, or leave it out.");
  if (
    message !== undefined &&
    (message.length > MAX_ROLLOUT_MESSAGE || printableLines(message) !== message)
  ) {
    throw invalid(
      at("message"),
      message,
      `must be printable text of at most ${MAX_ROLLOUT_MESSAGE} characters`,
      "Shorten it and remove control characters (new lines are fine).",
    );
  }
  const surge = optionalBoolean(at("surge"), s.surge, ROLLOUT_DEFAULTS.surge);
  return {
    batchFor: batchSizer(at("batchSize"), s.batchSize, surge),
    drainGraceMinutes: requireIntegerIn(
      at("drainGraceMinutes"),
      s.drainGraceMinutes,
      0,
      MAX_DRAIN_GRACE_MINUTES,
      ROLLOUT_DEFAULTS.drainGraceMinutes,
    ),
    surge,
    message,
    maxFailedHosts: requireIntegerIn(
      at("maxFailedHosts"),
      s.maxFailedHosts,
      0,
      MAX_SESSION_HOSTS,
      ROLLOUT_DEFAULTS.maxFailedHosts,
    ),
  };
}

/** Azure Virtual Desktop's limit of session hosts in one host pool (service limits). */
export const MAX_SESSION_HOSTS = 10_000;
/** The longest drain grace: a week. Beyond it a rollout would wait on a host for good. */
export const MAX_DRAIN_GRACE_MINUTES = 7 * 24 * 60;

function batchSizer(field: string, value: unknown, surge: boolean): (count: number) => number {
  if (value === undefined) return () => ROLLOUT_DEFAULTS.batchSize;
  if (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= 1 &&
    value <= MAX_SESSION_HOSTS
  )
    return () => value;
  const m = typeof value === "string" ? PERCENT.exec(value) : null;
  const percent = m ? Number(m[1]) : NaN;
  if (!(percent >= 1 && percent <= 100)) {
    throw invalid(
      field,
      value,
      `must be a whole number from 1 to ${MAX_SESSION_HOSTS} or a percentage from "1%" to "100%"`,
      'Set it to a host count such as 2, or a share of the pool such as "25%".',
    );
  }
  return (count) => percentOf(count, percent, surge ? "up" : "down");
}

/**
 * `percent` % of `count` hosts, at least 1: rounded down for hosts taken out of service (a share of
 * unavailable capacity is a ceiling, as Kubernetes' `maxUnavailable`), up for extra hosts added
 * (as its `maxSurge`). Integer arithmetic: 29 % of 100 is 29, never 28.999….
 */
export function percentOf(count: number, percent: number, round: "up" | "down"): number {
  const hundredths = count * percent;
  const hosts = round === "down" ? Math.floor(hundredths / 100) : Math.ceil(hundredths / 100);
  return Math.max(1, hosts);
}

/**
 * What a pool's rollout settings resolve to for its host count: "how many hosts go at once",
 * answered in hosts (what `check` and `status` print, and the pool's `rollout.settings` output).
 */
export interface RolloutSettingsSummary {
  /** Hosts in the pool. */
  readonly hosts: number;
  /**
   * Hosts per batch after the one-host canary: without surge, taken out of service at once (a
   * percentage rounded down, at least 1); with surge, added at once (rounded up).
   */
  readonly batchHosts: number;
  /** Minutes a drained host waits for its sessions to end before it is replaced. */
  readonly drainGraceMinutes: number;
  /** New hosts are added before old ones go, so accepting hosts never drop below the count. */
  readonly surge: boolean;
  /** Failed hosts tolerated before the rollout halts (0: the first failure halts it). */
  readonly maxFailedHosts: number;
}

/** The settings resolved for a pool of `count` hosts. */
export function summarizeRollout(resolved: ResolvedRollout, count: number): RolloutSettingsSummary {
  return {
    hosts: count,
    batchHosts: Math.min(resolved.batchFor(Math.max(count, 1)), Math.max(count, 1)),
    drainGraceMinutes: resolved.drainGraceMinutes,
    surge: resolved.surge,
    maxFailedHosts: resolved.maxFailedHosts,
  };
}

/** One line a person reads: `8 hosts: 1 canary, then 2 at a time; drain grace 60 min; ...`. */
export function describeRollout(s: RolloutSettingsSummary): string {
  const halt =
    s.maxFailedHosts === 0
      ? "halts at the first failed host"
      : `halts after ${s.maxFailedHosts + 1} failed hosts`;
  return `${s.hosts} hosts: 1 canary, then ${s.batchHosts} at a time; drain grace ${s.drainGraceMinutes} min; surge ${s.surge ? "on (new hosts first)" : "off"}; ${halt}`;
}
