/**
 * Which version a ring may run at a given time: a pure function of the rings, the versions' roles
 * and activation times, the active version and the clock. Stateless on purpose: the activation
 * times recorded in the stack config are the history, and the same inputs always give the same
 * answer, so a scheduled `pulumi up` delivers "activate in broad after 7 days, on a weekend".
 *
 * A version reaches ring k at `eligibleAt(v, k)`: ring 0 when it was activated (`activatedAt`),
 * ring k once `soakDays` of ring k have passed since it reached ring k-1, moved to the next
 * opening of ring k's window when it has one. A ring runs the newest kept version (active or
 * backup, not above the active version) that has reached it. A rollback lowers the active
 * version, so every ring drops back at once: rollbacks are never held by soak times or windows.
 */
import { GlobalImageError, invalid, keyField } from "../common/errors";
import { ImageRole } from "../images/roles";
import { Ring, RingWindow, WEEKDAYS, luxon } from "./ringSettings";
import { parseRfc3339 } from "../common/time";
import { compareVersions, sortVersions } from "../images/version";

/** The input of {@link ringVersion} (a public contract). */
export interface RingVersionInput {
  readonly rings: readonly Ring[];
  /** The ring asked about. */
  readonly ring: string;
  readonly versions: { readonly [version: string]: { activatedAt?: string; role: ImageRole } };
  readonly activeVersion: string;
  /** The clock: an RFC 3339 date-time. */
  readonly now: string;
}

/** The answer of {@link ringVersion}. */
export interface RingVersionResult {
  readonly version: string;
  /** A sentence a person reads: why this version, and what the ring waits for. */
  readonly reason: string;
  /** When the answer will change (a newer version reaches the ring), if one is on its way. */
  readonly nextChangeAt?: string;
}

const KEPT: readonly ImageRole[] = [ImageRole.Active, ImageRole.Backup];
const DAY_MS = 86_400_000;

/**
 * How far ahead of the clock an activation time may lie: `promote` records it on one machine and a
 * scheduled `pulumi up` reads it on another, whose clocks differ a little. Beyond this, a time is
 * in the future and refused: a later ring would count its soak from a time not reached yet.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Checks the activation times of an image with rings, at `now` (RFC 3339; undefined skips the
 * clock's part): each is an RFC 3339 date-time not ahead of the clock, and the active version has
 * one, unless the image was rolled back to a version activated before times were recorded (a
 * declared version above the active one has a time: see {@link isRollbackWithoutTime}). `field`
 * names where a version's time is written. Throws a GlobalImageError naming that field.
 */
export function checkActivationTimes(
  versions: { readonly [version: string]: { readonly activatedAt?: unknown } },
  activeVersion: string,
  now: string | undefined,
  field: (version: string) => string,
): void {
  const clockMs = now === undefined ? undefined : clock(now);
  for (const [version, { activatedAt }] of Object.entries(versions))
    if (activatedAt !== undefined) activationTime(field(version), activatedAt, clockMs);
  if (
    versions[activeVersion]?.activatedAt === undefined &&
    !isRollbackWithoutTime(versions, activeVersion)
  )
    throw invalid(
      field(activeVersion),
      undefined,
      "is required on the active version when rings are declared: later rings count their soak time from it",
      '`global-image promote` records it; for a version already live, set it to when it went live, e.g. "2026-12-01T10:00:00Z".',
    );
}

/**
 * True when the active version may go without an activation time: a declared version above it has
 * one, so the image was rolled back to a version activated before times were recorded. Every ring
 * then runs the active version at once (a time never recorded counts as long reached): a rollback is
 * never held by rings, and needs no invented timestamp.
 */
export function isRollbackWithoutTime(
  versions: { readonly [version: string]: { readonly activatedAt?: unknown } },
  activeVersion: string,
): boolean {
  return Object.entries(versions).some(
    ([v, d]) => d.activatedAt !== undefined && compareVersions(v, activeVersion) > 0,
  );
}

/** `2026-12-09T10:00Z`: minutes are precise enough for people. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + "Z";
}

/** The version ring `input.ring` may run at `input.now`, why, and when that changes. */
export function ringVersion(input: RingVersionInput): RingVersionResult {
  const index = input.rings.findIndex((r) => r.name === input.ring);
  if (index < 0) {
    const names = input.rings.map((r) => `"${r.name}"`).join(", ") || "none declared";
    throw new GlobalImageError(
      "ring",
      `"ring" names no ring of the image (received "${input.ring}"). Use one of ${names}.`,
    );
  }
  const now = clock(input.now);
  const active = input.activeVersion;
  if (index === 0) {
    const at = activation(input, active);
    const since = at === -Infinity ? "" : ` (activated ${formatTime(at)})`;
    return {
      version: active,
      reason: `${active} is the active version${since}; ${input.ring} is the first ring and runs it.`,
    };
  }
  const kept = sortVersions(
    Object.keys(input.versions).filter(
      (v) => KEPT.includes(input.versions[v].role) && compareVersions(v, active) <= 0,
    ),
  ).reverse();
  if (!kept.includes(active)) kept.unshift(active);
  const arrivals = new Map(
    kept.map((v) => [v, eligibleAt(input.rings, index, activation(input, v))]),
  );
  const arrival = (v: string) => arrivals.get(v)!;
  const chosen = kept.find((v) => arrival(v) <= now);
  const newer = kept.filter((v) => chosen === undefined || compareVersions(v, chosen) > 0);
  const pending = newer.map((v) => ({ v, at: arrival(v) })).sort((a, b) => a.at - b.at)[0];
  const waiting = pending && ` ${describeWait(input, index, pending.v)}`;
  if (chosen === undefined) {
    const oldest = kept[kept.length - 1];
    return {
      version: oldest,
      reason: `No kept version has reached ${input.ring} yet; it keeps ${oldest}, the oldest kept version.${waiting ?? ""}`,
      nextChangeAt: pending && formatTime(pending.at),
    };
  }
  const since = arrival(chosen) === -Infinity ? "" : ` since ${formatTime(arrival(chosen))}`;
  return {
    version: chosen,
    reason: `${chosen} is in ${input.ring}${since}.${waiting ?? ""}`,
    nextChangeAt: pending && formatTime(pending.at),
  };
}

/** Every ring's answer at `now`, in ring order (what `global-image rings` prints). */
export function ringSchedule(
  input: Omit<RingVersionInput, "ring">,
): Array<RingVersionResult & { ring: string }> {
  return input.rings.map((r) => ({ ring: r.name, ...ringVersion({ ...input, ring: r.name }) }));
}

/**
 * When a version activated at `activatedAt` (ms; -Infinity when it was activated before times
 * were recorded) reaches ring `index`: -Infinity means it always has.
 */
export function eligibleAt(rings: readonly Ring[], index: number, activatedAt: number): number {
  let at = activatedAt;
  for (let k = 1; k <= index && at !== -Infinity; k++) {
    at += rings[k].soakDays * DAY_MS;
    const { window } = rings[k];
    if (window) at = nextWindowTime(at, window);
  }
  return at;
}

/**
 * Answers already computed: the function is pure, and a fleet asks the same few questions (one
 * image's versions, its rings) once per consumer. Bounded; cleared when full.
 */
const windowTimes = new Map<string, number>();

/** `t` when a window of `window` is open at `t`, else the next opening after it. */
export function nextWindowTime(t: number, window: RingWindow): number {
  const key = `${t}|${window.timeZone}|${window.days.join(",")}|${window.start}|${window.hours}`;
  const known = windowTimes.get(key);
  if (known !== undefined) return known;
  if (windowTimes.size >= 10_000) windowTimes.clear();
  const answer = computeWindowTime(t, window);
  windowTimes.set(key, answer);
  return answer;
}

function computeWindowTime(t: number, window: RingWindow): number {
  const local = luxon().DateTime.fromMillis(t, { zone: window.timeZone });
  const [hour, minute] = window.start.split(":").map(Number);
  // Openings in ascending order: a window opened a few days before may still be open (windows
  // last up to 168 hours and may run past midnight); a week of openings ahead holds the next.
  for (let offset = -Math.ceil(window.hours / 24); offset <= 7; offset++) {
    const day = local.startOf("day").plus({ days: offset });
    if (!window.days.includes(WEEKDAYS[day.weekday - 1])) continue;
    const open = day.set({ hour, minute }).toMillis();
    if (open > t) return open;
    if (t < open + window.hours * 3_600_000) return t;
  }
  throw new Error(`no opening of the window ${JSON.stringify(window)} within a week`);
}

/** When `version` was activated (ms; -Infinity when never recorded), refused in the future. */
function activation(input: RingVersionInput, version: string): number {
  const text = input.versions[version]?.activatedAt;
  if (text === undefined) return -Infinity;
  return activationTime(`versions${keyField(version)}.activatedAt`, text, clock(input.now));
}

/** An activation time (ms) read at `field`: an RFC 3339 date-time not ahead of `clockMs`. */
function activationTime(field: string, text: unknown, clockMs: number | undefined): number {
  const ms = parseRfc3339(text);
  if (ms === undefined)
    throw invalid(
      field,
      text,
      "must be an RFC 3339 date-time with an offset",
      'Write it as "2026-12-01T10:00:00Z" (global-image promote records it).',
    );
  if (clockMs !== undefined && ms > clockMs + CLOCK_SKEW_MS)
    throw invalid(
      field,
      text,
      `is in the future (the clock reads ${new Date(clockMs).toISOString()}): later rings would count their soak time from a moment not reached yet`,
      "Set it to when the version went live (global-image promote records the time it runs), or check GLOBAL_IMAGE_NOW and this machine's clock.",
    );
  return ms;
}

function clock(text: string): number {
  const ms = parseRfc3339(text);
  if (ms === undefined)
    throw new GlobalImageError("now", `"now" is not an RFC 3339 date-time (received "${text}").`);
  return ms;
}

/** Why `version` has not reached ring `index` yet: soaking in the ring before, or a window. */
function describeWait(input: RingVersionInput, index: number, version: string): string {
  const activated = activation(input, version);
  const previous = eligibleAt(input.rings, index - 1, activated);
  const soaked = previous + input.rings[index].soakDays * DAY_MS;
  const now = clock(input.now);
  const ring = input.rings[index];
  if (previous > now)
    return `${version} has not reached ${input.rings[index - 1].name} yet (it does at ${formatTime(previous)}).`;
  if (soaked > now)
    return `${version} soaks in ${input.rings[index - 1].name} until ${formatTime(soaked)}.`;
  return `${version} waits for ${ring.name}'s next window at ${formatTime(eligibleAt(input.rings, index, activated))}.`;
}
