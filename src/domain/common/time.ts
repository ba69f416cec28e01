/** Dates read strictly: RFC 3339 date-times, where a date that does not parse is an error. */
import { GlobalImageError } from "./errors";

/**
 * The environment variable that sets the clock of every decision that depends on time (which
 * version a ring runs): read by the components, `check`'s programs, `rings`, `status` and
 * `promote` alike, so they agree.
 */
export const NOW_VARIABLE = "GLOBAL_IMAGE_NOW";

/**
 * The clock: `setting` (the value of GLOBAL_IMAGE_NOW, an RFC 3339 date-time) when set, else
 * `real()`. Throws a GlobalImageError naming the variable for anything else.
 */
export function readClock(setting: string | undefined, real: () => Date): Date {
  if (setting === undefined || setting === "") return real();
  const ms = parseRfc3339(setting);
  if (ms === undefined)
    throw new GlobalImageError(
      NOW_VARIABLE,
      `${NOW_VARIABLE} is not an RFC 3339 date-time (received "${setting}"). Set it like 2026-12-12T22:00:00Z, or unset it to use the clock.`,
    );
  return new Date(ms);
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * Milliseconds since the epoch of an RFC 3339 date-time (`2026-11-20T09:30:00Z`, an offset such
 * as `+01:00`, optional fraction), or undefined for anything else: a date alone, a real-looking
 * but impossible date (February 30th), a missing offset, or another format `Date.parse` would
 * guess at.
 */
export function parseRfc3339(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  // A fleet's hosts carry the same few times (a step's drain time), read once a host a step.
  if (parsed.has(value)) return parsed.get(value);
  if (parsed.size >= 10_000) parsed.clear();
  const ms = parse(value);
  parsed.set(value, ms);
  return ms;
}

/** Answers already computed (the function is pure); bounded, cleared when full. */
const parsed = new Map<string, number | undefined>();

function parse(value: string): number | undefined {
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const offsetH = m[10] === undefined ? 0 : Number(m[10]);
  const offsetM = m[11] === undefined ? 0 : Number(m[11]);
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59 || offsetH > 23 || offsetM > 59)
    return undefined;
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d)
    return undefined;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0${m[7]}`) * 1000);
  const sign = m[9] === "-" ? -1 : 1;
  const offsetMs = sign * (offsetH * 60 + offsetM) * 60_000;
  return Date.UTC(y, mo - 1, d, h, mi, s, fraction) - offsetMs;
}

/** True when `value` is an RFC 3339 date-time. */
export function isRfc3339(value: unknown): value is string {
  return parseRfc3339(value) !== undefined;
}

/**
 * An ISO 8601 date or date-time (as `optionalIsoDate` accepts it from users) as the RFC 3339
 * date-time ARM's `format: date-time` requires: a date alone is midnight UTC (`"2027-06-30"` →
 * `"2027-06-30T00:00:00Z"`), a date-time is written in UTC with seconds. Throws on anything else.
 */
export function toArmDateTime(value: string): string {
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (dateOnly) return `${value}T00:00:00Z`;
  const withSeconds = value.replace(/T(\d{2}):(\d{2})(?=Z|[+-]|$)/i, "T$1:$2:00");
  const ms = parseRfc3339(withSeconds);
  if (ms === undefined) throw new Error(`"${value}" is not an ISO 8601 date or date-time`);
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}
