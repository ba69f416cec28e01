/**
 * Rings as declared on an image: `[{ name: "pilot" }, { name: "early", soakDays: 2 },
 * { name: "broad", soakDays: 7, window: { timeZone, days, start, hours } }]`, checked into a typed
 * list. The first ring gets the image's active version as soon as it is activated; each later ring
 * gets a version `soakDays` after the ring before it did, and only inside its window if it has one.
 */
import type * as Luxon from "luxon";
import { checkKnownKeys, requireObject, requireString } from "../common/checks";
import { invalid, joinField } from "../common/errors";

/** A day of the week, as rings' change windows name them. */
export const Weekday = {
  Mon: "Mon",
  Tue: "Tue",
  Wed: "Wed",
  Thu: "Thu",
  Fri: "Fri",
  Sat: "Sat",
  Sun: "Sun",
} as const;
export type Weekday = (typeof Weekday)[keyof typeof Weekday];

/**
 * luxon (time zones and daylight saving time), loaded when a change window is first read: the
 * many programs without windows do not pay for it at start-up.
 */
export function luxon(): typeof Luxon {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see above
  return require("luxon") as typeof Luxon;
}

/** The days in ISO order (Monday = 1), as luxon numbers them. */
export const WEEKDAYS: readonly Weekday[] = Object.values(Weekday);

/** When a ring may change version: from `start` on each of `days`, for `hours`, in `timeZone`. */
export interface RingWindow {
  /** An IANA time zone, e.g. `"Europe/Amsterdam"`; daylight saving time is followed. */
  readonly timeZone: string;
  readonly days: Weekday[];
  /** Local start time, `HH:MM` (24-hour). */
  readonly start: string;
  /** How long each window lasts, 1 to 168 hours; it may run past midnight. */
  readonly hours: number;
}

/** One ring. */
export interface Ring {
  readonly name: string;
  /** Days a version must have been in the previous ring first (0 on the first ring). */
  readonly soakDays: number;
  readonly window?: RingWindow;
}

const RING_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Checks an image's `rings` (absent: none). */
export function checkRings(field: string, value: unknown): Ring[] {
  if (value === undefined) return [];
  const fix = 'Declare rings in order, e.g. [{ name: "pilot" }, { name: "broad", soakDays: 7 }].';
  if (!Array.isArray(value) || value.length === 0)
    throw invalid(field, value, "must be a non-empty list of rings", fix);
  const seen = new Set<string>();
  return value.map((raw, i) => {
    const at = `${field}[${i}]`;
    const ring = requireObject(at, raw, fix);
    checkKnownKeys(at, ring, ["name", "soakDays", "window"], "a ring setting");
    const name = requireString(joinField(at, "name"), ring.name, fix);
    if (!RING_NAME.test(name))
      throw invalid(
        joinField(at, "name"),
        name,
        "is not a ring name",
        "Use lower-case letters, digits and hyphens, starting with a letter (up to 32).",
      );
    if (seen.has(name))
      throw invalid(
        joinField(at, "name"),
        name,
        "names a ring twice",
        "Give each ring its own name.",
      );
    seen.add(name);
    const soakDays = ring.soakDays ?? 0;
    if (
      typeof soakDays !== "number" ||
      !Number.isInteger(soakDays) ||
      soakDays < 0 ||
      soakDays > 365
    )
      throw invalid(
        joinField(at, "soakDays"),
        ring.soakDays,
        "must be a whole number of days from 0 to 365",
        "Set how many days a version must have been in the previous ring.",
      );
    if (i === 0 && (soakDays > 0 || ring.window !== undefined))
      throw invalid(
        joinField(at, soakDays > 0 ? "soakDays" : "window"),
        soakDays > 0 ? soakDays : ring.window,
        "cannot be set on the first ring",
        "The first ring gets the active version when it is activated (promote it when you want it there); give soak times and windows to the rings after it.",
      );
    const window =
      ring.window === undefined ? undefined : checkWindow(joinField(at, "window"), ring.window);
    return { name, soakDays, ...(window ? { window } : {}) };
  });
}

function checkWindow(at: string, value: unknown): RingWindow {
  const fix =
    'Describe the window as { timeZone: "Europe/Amsterdam", days: ["Sat", "Sun"], start: "22:00", hours: 6 }.';
  const w = requireObject(at, value, fix);
  checkKnownKeys(at, w, ["timeZone", "days", "start", "hours"], "a window setting");
  const timeZone = requireString(joinField(at, "timeZone"), w.timeZone, fix);
  if (!luxon().IANAZone.isValidZone(timeZone))
    throw invalid(
      joinField(at, "timeZone"),
      timeZone,
      "is not an IANA time zone",
      'Use a name such as "Europe/Amsterdam", "America/New_York" or "UTC".',
    );
  if (
    !Array.isArray(w.days) ||
    w.days.length === 0 ||
    w.days.some((d) => !WEEKDAYS.includes(d as Weekday))
  )
    throw invalid(
      joinField(at, "days"),
      w.days,
      `must be a non-empty list of ${WEEKDAYS.join(", ")}`,
      fix,
    );
  const start = requireString(joinField(at, "start"), w.start, fix);
  if (!HHMM.test(start))
    throw invalid(joinField(at, "start"), start, "must be a 24-hour time HH:MM", 'E.g. "22:00".');
  if (typeof w.hours !== "number" || !Number.isInteger(w.hours) || w.hours < 1 || w.hours > 168)
    throw invalid(
      joinField(at, "hours"),
      w.hours,
      "must be a whole number of hours from 1 to 168",
      fix,
    );
  return { timeZone, days: [...new Set(w.days as Weekday[])], start, hours: w.hours };
}
