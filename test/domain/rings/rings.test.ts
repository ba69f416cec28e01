import fc from "fast-check";
import { DateTime } from "luxon";
import {
  Ring,
  RingWindow,
  Weekday,
  WEEKDAYS,
  checkRings,
} from "../../../src/domain/rings/ringSettings";
import {
  CLOCK_SKEW_MS,
  checkActivationTimes,
  eligibleAt,
  isRollbackWithoutTime,
  nextWindowTime,
  ringSchedule,
  ringVersion,
} from "../../../src/domain/rings/rings";
import { ImageRole } from "../../../src/domain/images/roles";
import { compareVersions } from "../../../src/domain/images/version";
import { isGlobalImageError } from "../../../src/domain/common/errors";

const RINGS: Ring[] = checkRings("rings", [
  { name: "pilot" },
  { name: "early", soakDays: 2 },
  {
    name: "broad",
    soakDays: 7,
    window: { timeZone: "Europe/Amsterdam", days: ["Sat", "Sun"], start: "22:00", hours: 6 },
  },
]);

// 1.3.0 activated on Tuesday 2026-12-01 10:00 UTC; 1.2.0 a month before.
const VERSIONS = {
  "1.1.0": { role: ImageRole.Retired, activatedAt: "2026-10-01T10:00:00Z" },
  "1.2.0": { role: ImageRole.Backup, activatedAt: "2026-11-01T10:00:00Z" },
  "1.3.0": { role: ImageRole.Active, activatedAt: "2026-12-01T10:00:00Z" },
  "1.4.0": { role: ImageRole.Staged },
};
const at = (now: string, ring: string) =>
  ringVersion({ rings: RINGS, ring, versions: VERSIONS, activeVersion: "1.3.0", now });

describe("ringVersion: one promotion, ring by ring", () => {
  it("pilot runs the active version at once", () => {
    expect(at("2026-12-01T10:00:00Z", "pilot")).toEqual({
      version: "1.3.0",
      reason:
        "1.3.0 is the active version (activated 2026-12-01T10:00Z); pilot is the first ring and runs it.",
    });
  });

  it("early waits 2 days of soak in pilot, then takes it", () => {
    expect(at("2026-12-02T10:00:00Z", "early")).toEqual({
      version: "1.2.0",
      reason:
        "1.2.0 is in early since 2026-11-03T10:00Z. 1.3.0 soaks in pilot until 2026-12-03T10:00Z.",
      nextChangeAt: "2026-12-03T10:00Z",
    });
    expect(at("2026-12-03T10:00:00Z", "early").version).toBe("1.3.0");
  });

  it("broad waits 7 days in early, then the next weekend window (22:00 Amsterdam)", () => {
    // Soaked at 2026-12-10T10:00Z (a Thursday): the next window opens Saturday 12 December, 22:00 CET = 21:00Z.
    const thursday = at("2026-12-10T12:00:00Z", "broad");
    expect(thursday).toMatchObject({ version: "1.2.0", nextChangeAt: "2026-12-12T21:00Z" });
    expect(thursday.reason).toContain("1.3.0 waits for broad's next window at 2026-12-12T21:00Z.");
    expect(at("2026-12-12T20:59:00Z", "broad").version).toBe("1.2.0");
    expect(at("2026-12-12T21:00:00Z", "broad").version).toBe("1.3.0");
    // After the window closes it stays: the answer only moves forward.
    expect(at("2026-12-14T09:00:00Z", "broad").version).toBe("1.3.0");
  });

  it("a rollback takes every ring back at once, not held by soak or windows", () => {
    const rolledBack = {
      ...VERSIONS,
      "1.2.0": { ...VERSIONS["1.2.0"], role: ImageRole.Active },
      "1.3.0": { ...VERSIONS["1.3.0"], role: ImageRole.Withdrawn },
    };
    const schedule = ringSchedule({
      rings: RINGS,
      versions: rolledBack,
      activeVersion: "1.2.0",
      now: "2026-12-20T10:00:00Z",
    });
    expect(schedule.map((r) => [r.ring, r.version])).toEqual([
      ["pilot", "1.2.0"],
      ["early", "1.2.0"],
      ["broad", "1.2.0"],
    ]);
  });

  it("never chooses a retired or withdrawn version; keeps the oldest kept version when none has arrived", () => {
    const fresh = {
      "1.0.0": { role: ImageRole.Retired, activatedAt: "2026-01-01T00:00:00Z" },
      "2.0.0": { role: ImageRole.Active, activatedAt: "2026-12-01T10:00:00Z" },
    };
    const broad = ringVersion({
      rings: RINGS,
      ring: "broad",
      versions: fresh,
      activeVersion: "2.0.0",
      now: "2026-12-02T00:00:00Z",
    });
    expect(broad.version).toBe("2.0.0");
    expect(broad.reason).toMatch(/^No kept version has reached broad yet; it keeps 2\.0\.0/);
  });

  it("names an unknown ring and the rings there are", () => {
    try {
      at("2026-12-01T10:00:00Z", "canary");
      throw new Error("accepted");
    } catch (err) {
      expect(isGlobalImageError(err) && err.field).toBe("ring");
      expect(String(err)).toContain('Use one of "pilot", "early", "broad"');
    }
  });
});

describe("change windows across daylight saving time (luxon, IANA zones)", () => {
  const weekend: RingWindow = {
    timeZone: "Europe/Amsterdam",
    days: ["Sat"],
    start: "22:00",
    hours: 6,
  };
  it.each([
    // Summer time (UTC+2) before the last Sunday of October, winter time (UTC+1) after.
    ["2026-10-20T00:00:00Z", "2026-10-24T20:00:00.000Z"],
    ["2026-10-27T00:00:00Z", "2026-10-31T21:00:00.000Z"],
    // Spring forward on Sunday 29 March 2026: the Saturday window opens at 21:00Z, lasts 6 real hours.
    ["2026-03-28T12:00:00Z", "2026-03-28T21:00:00.000Z"],
    ["2026-03-29T02:30:00Z", "2026-03-29T02:30:00.000Z"],
    ["2026-03-29T03:00:00Z", "2026-04-04T20:00:00.000Z"],
  ])("from %s the window is open at %s", (from, expected) => {
    expect(new Date(nextWindowTime(Date.parse(from), weekend)).toISOString()).toBe(expected);
  });

  it("a window past midnight is still open the next morning", () => {
    const t = Date.parse("2026-12-13T02:00:00Z"); // Sunday 03:00 in Amsterdam, opened Saturday 22:00
    expect(nextWindowTime(t, weekend)).toBe(t);
  });
});

const version = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }))
  .map(([a, b]) => `1.${a}.${b}`);
const windowArb: fc.Arbitrary<RingWindow> = fc.record({
  timeZone: fc.constantFrom(
    "Europe/Amsterdam",
    "America/New_York",
    "Australia/Sydney",
    "UTC",
    "Asia/Kolkata",
  ),
  days: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), {
    minLength: 1,
    maxLength: 7,
  }) as fc.Arbitrary<Weekday[]>,
  start: fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`),
  hours: fc.integer({ min: 1, max: 30 }),
});
const ringsArb: fc.Arbitrary<Ring[]> = fc
  .array(
    fc.record({
      soakDays: fc.integer({ min: 0, max: 10 }),
      window: fc.option(windowArb, { nil: undefined }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((later) => [
    { name: "r0", soakDays: 0 },
    ...later.map((r, i) => ({
      name: `r${i + 1}`,
      soakDays: r.soakDays,
      ...(r.window ? { window: r.window } : {}),
    })),
  ]);
const T0 = Date.parse("2026-01-01T00:00:00Z");
const timeArb = fc.integer({ min: 0, max: 400 * 24 * 60 }).map((m) => T0 + m * 60_000);
const roleArb = fc.constantFrom<ImageRole>("active", "backup", "retired", "withdrawn", "staged");
const worldArb = fc
  .record({
    rings: ringsArb,
    versions: fc.dictionary(
      version,
      fc.record({ role: roleArb, activatedAt: fc.option(timeArb, { nil: undefined }) }),
      { minKeys: 1 },
    ),
    now: timeArb,
  })
  .map(({ rings, versions, now }) => {
    const names = Object.keys(versions).sort(compareVersions);
    const activeVersion = names[Math.floor(names.length / 2)];
    const typed = Object.fromEntries(
      names.map((v) => [
        v,
        {
          role:
            v === activeVersion
              ? ImageRole.Active
              : versions[v].role === "active"
                ? ImageRole.Backup
                : versions[v].role,
          activatedAt:
            versions[v].activatedAt === undefined
              ? undefined
              : new Date(versions[v].activatedAt!).toISOString(),
        },
      ]),
    );
    // Activation times are never ahead of the clock (ringVersion refuses those; see below).
    const times = names.flatMap((v) => versions[v].activatedAt ?? []);
    return { rings, versions: typed, activeVersion, now: Math.max(now, ...times) };
  });

describe("ringVersion properties", () => {
  it("rings never overtake the ring before them; never a withdrawn, retired or staged version, never above the active one", () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const schedule = ringSchedule({ ...w, now: new Date(w.now).toISOString() });
        for (let k = 0; k < schedule.length; k++) {
          const v = schedule[k].version;
          expect(compareVersions(v, w.activeVersion)).toBeLessThanOrEqual(0);
          expect(v === w.activeVersion || w.versions[v].role === "backup").toBe(true);
          if (k > 0) expect(compareVersions(v, schedule[k - 1].version)).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("the answer only moves forward in time, and changes no earlier than nextChangeAt", () => {
    fc.assert(
      fc.property(worldArb, fc.integer({ min: 1, max: 60 * 24 * 30 }), (w, minutes) => {
        const later = w.now + minutes * 60_000;
        for (const ring of w.rings) {
          const a = ringVersion({ ...w, ring: ring.name, now: new Date(w.now).toISOString() });
          const b = ringVersion({ ...w, ring: ring.name, now: new Date(later).toISOString() });
          expect(compareVersions(b.version, a.version)).toBeGreaterThanOrEqual(0);
          if (b.version !== a.version)
            expect(Date.parse(a.nextChangeAt!)).toBeLessThanOrEqual(later);
          if (a.nextChangeAt && Date.parse(a.nextChangeAt) > later)
            expect(b.version).toBe(a.version);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("a rollback (active lowered, the version left withdrawn) takes every ring to or below the new active version at once", () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const backups = Object.keys(w.versions).filter((v) => w.versions[v].role === "backup");
        fc.pre(backups.length > 0);
        const target = backups.sort(compareVersions).pop()!;
        const versions = {
          ...w.versions,
          [target]: { ...w.versions[target], role: ImageRole.Active },
          [w.activeVersion]: { ...w.versions[w.activeVersion], role: ImageRole.Withdrawn },
        };
        for (const r of ringSchedule({
          rings: w.rings,
          versions,
          activeVersion: target,
          now: new Date(w.now).toISOString(),
        }))
          expect(compareVersions(r.version, target)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });

  it("a window time is open, and no window opens between the asked time and it", () => {
    fc.assert(
      fc.property(
        windowArb,
        timeArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (window, t, f) => {
          const r = nextWindowTime(t, window);
          expect(r).toBeGreaterThanOrEqual(t);
          expect(nextWindowTime(r, window)).toBe(r);
          const between = t + Math.floor((r - t) * f);
          expect(nextWindowTime(between, window)).toBe(between === r ? r : r);
          // Opens on a listed day at the local start time, unless it was already open.
          if (r > t) {
            const local = DateTime.fromMillis(r, { zone: window.timeZone });
            expect(window.days).toContain(WEEKDAYS[local.weekday - 1]);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("eligibleAt is monotone along the rings", () => {
    fc.assert(
      fc.property(ringsArb, timeArb, (rings, activated) => {
        for (let k = 1; k < rings.length; k++)
          expect(eligibleAt(rings, k, activated)).toBeGreaterThanOrEqual(
            eligibleAt(rings, k - 1, activated),
          );
      }),
    );
  });
});

describe("activation times against the clock", () => {
  it("an active version activated ahead of the clock (beyond the skew) is refused in every ring, naming its field", () => {
    fc.assert(
      fc.property(worldArb, fc.integer({ min: 1, max: 60 * 24 * 30 }), (w, minutes) => {
        const v = w.activeVersion;
        const ahead = new Date(w.now + CLOCK_SKEW_MS + minutes * 60_000).toISOString();
        const versions = { ...w.versions, [v]: { ...w.versions[v], activatedAt: ahead } };
        const now = new Date(w.now).toISOString();
        expect(() =>
          w.rings.forEach((r) => ringVersion({ ...w, versions, ring: r.name, now })),
        ).toThrow(`"versions["${v}"].activatedAt" is in the future`);
        expect(() =>
          checkActivationTimes(versions, w.activeVersion, now, (x) => `versions.${x}`),
        ).toThrow(`"versions.${v}" is in the future`);
      }),
      { numRuns: 200 },
    );
  });

  it("within the skew, a time a little ahead (another machine's clock) is accepted", () => {
    const now = "2026-12-01T10:00:00Z";
    const versions = { "1.0.0": { activatedAt: "2026-12-01T10:04:59Z" } };
    expect(() => checkActivationTimes(versions, "1.0.0", now, (v) => v)).not.toThrow();
  });

  // Version pairs, both directions: which side of the active version holds the recorded time.
  it.each([
    ["rolled back from 1.1.0 (which has a time) to 1.0.0", "1.0.0", true],
    ["promoted forward to 1.1.0 by hand, without a time", "1.1.0", false],
  ])("%s (active %s): may go without activatedAt: %s", (_case, active, allowed) => {
    const versions =
      active === "1.0.0"
        ? { "1.0.0": {}, "1.1.0": { activatedAt: "2026-12-01T10:00:00Z" } }
        : { "1.0.0": { activatedAt: "2026-12-01T10:00:00Z" }, "1.1.0": {} };
    expect(isRollbackWithoutTime(versions, active)).toBe(allowed);
    const check = () => checkActivationTimes(versions, active, undefined, (v) => v);
    if (allowed) expect(check).not.toThrow();
    else expect(check).toThrow(`"${active}" is required on the active version`);
  });

  it("after a rollback to a version without a time, every ring runs it at once", () => {
    const versions = {
      "1.0.0": { role: ImageRole.Active },
      "1.1.0": { role: ImageRole.Withdrawn, activatedAt: "2026-12-01T10:00:00Z" },
    };
    for (const r of ringSchedule({
      rings: RINGS,
      versions,
      activeVersion: "1.0.0",
      now: "2026-12-02T00:00:00Z",
    }))
      expect([r.ring, r.version]).toEqual([r.ring, "1.0.0"]);
  });
});

describe("checkRings", () => {
  it.each([
    [
      "soak on the first ring",
      [{ name: "pilot", soakDays: 1 }],
      "rings[0].soakDays",
      /cannot be set on the first ring/,
    ],
    ["a duplicate name", [{ name: "a" }, { name: "a" }], "rings[1].name", /names a ring twice/],
    [
      "a bad time zone",
      [
        { name: "a" },
        {
          name: "b",
          window: { timeZone: "Mars/Olympus", days: ["Sat"], start: "22:00", hours: 6 },
        },
      ],
      "rings[1].window.timeZone",
      /not an IANA time zone/,
    ],
    [
      "a bad day",
      [
        { name: "a" },
        { name: "b", window: { timeZone: "UTC", days: ["Saturday"], start: "22:00", hours: 6 } },
      ],
      "rings[1].window.days",
      /Mon, Tue/,
    ],
    [
      "a bad start",
      [
        { name: "a" },
        { name: "b", window: { timeZone: "UTC", days: ["Sat"], start: "10pm", hours: 6 } },
      ],
      "rings[1].window.start",
      /HH:MM/,
    ],
    [
      "hours out of range",
      [
        { name: "a" },
        { name: "b", window: { timeZone: "UTC", days: ["Sat"], start: "22:00", hours: 0 } },
      ],
      "rings[1].window.hours",
      /1 to 168/,
    ],
    [
      "negative soak",
      [{ name: "a" }, { name: "b", soakDays: -1 }],
      "rings[1].soakDays",
      /0 to 365/,
    ],
    [
      "an unknown setting",
      [{ name: "a" }, { name: "b", soak: 2 }],
      "rings[1].soak",
      /is not a ring setting/,
    ],
  ])("refuses %s", (_case, value, field, message) => {
    try {
      checkRings("rings", value);
      throw new Error("accepted");
    } catch (err) {
      expect(isGlobalImageError(err) && err.field).toBe(field);
      expect(String(err)).toMatch(message);
    }
  });
});
