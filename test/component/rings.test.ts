/**
 * Rings under the mocks: an image with three rings, a replica and a host pool in each, run at
 * several times of a simulated clock (GLOBAL_IMAGE_NOW). Each run gets the versions ringVersion
 * allows, nothing else changes between runs, and a rollback takes every ring back at once.
 */
import { Recorder, installMocks, promiseOf, settle } from "../helpers/mocks";
import { argsWith } from "../fixtures/globalImage";
import type { GlobalImageArgs } from "../../src/component/args";

const recorder: Recorder = installMocks();
import { GlobalImage } from "../../src/component/globalImage";
import { ImageReplica } from "../../src/component/imageReplica";
import { ImageHostPool } from "../../src/consumers/imageHostPool";
import { NOW_VARIABLE } from "../../src/component/clock";
import { isGlobalImageError } from "../../src/domain/common/errors";

const RINGS = ["pilot", "early", "broad"];

/** 1.1.0 backup (activated 1 November), 1.9.0 active since Tuesday 1 December 10:00 UTC. */
const source = (change: (a: any) => void = () => undefined): GlobalImageArgs =>
  argsWith((a) => {
    a.rings = [
      { name: "pilot" },
      { name: "early", soakDays: 2 },
      {
        name: "broad",
        soakDays: 7,
        window: { timeZone: "Europe/Amsterdam", days: ["Sat", "Sun"], start: "22:00", hours: 6 },
      },
    ];
    a.versions["1.1.0"].activatedAt = "2026-11-01T10:00:00Z";
    a.versions["1.9.0"].activatedAt = "2026-12-01T10:00:00Z";
    change(a);
  });

/** Runs the program at `now`: the versions each ring's consumers got, and every input sent. */
async function runAt(now: string, args = source()) {
  process.env[NOW_VARIABLE] = now;
  recorder.reset();
  try {
    const image = new GlobalImage("msp", args, recorder.opts);
    const out: Record<string, { replica: string; pool: string }> = {};
    for (const ring of RINGS) {
      const replica = new ImageReplica(
        `c-${ring}`,
        {
          source: image,
          ring,
          resourceGroupName: `rg-${ring}`,
          location: "westeurope",
          galleryName: `c_${ring}`,
          regions: [{ name: "westeurope" }],
        },
        recorder.opts,
      );
      const pool = new ImageHostPool(
        `p-${ring}`,
        {
          image,
          ring,
          resourceGroupName: "rg-pools",
          hostPoolType: "Pooled",
          loadBalancerType: "BreadthFirst",
          preferredAppGroupType: "Desktop",
        },
        recorder.opts,
      );
      out[ring] = {
        replica: await promiseOf(replica.activeVersion),
        pool: await promiseOf(pool.imageVersion),
      };
    }
    await settle();
    const inputs = Object.fromEntries(
      recorder.registrations.map((r) => [`${r.type}::${r.name}`, JSON.stringify(r.inputs)]),
    );
    return { versions: out, inputs };
  } finally {
    delete process.env[NOW_VARIABLE];
  }
}

const summary = (v: Record<string, { replica: string; pool: string }>) =>
  Object.fromEntries(
    Object.entries(v).map(([ring, { replica, pool }]) => {
      expect([ring, pool]).toEqual([ring, replica]); // a ring's pools and replicas agree
      return [ring, replica];
    }),
  );

function changed(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys({ ...a, ...b })
    .filter((k) => a[k] !== b[k])
    .map((k) => k.split("::").pop()!)
    .sort();
}

describe("rings over a simulated clock", () => {
  it("reach the rings day by day, inside the window, and change nothing else between runs", async () => {
    const day0 = await runAt("2026-12-01T11:00:00Z");
    const day1 = await runAt("2026-12-02T11:00:00Z");
    const day3 = await runAt("2026-12-04T11:00:00Z");
    const day10 = await runAt("2026-12-11T11:00:00Z"); // a Friday: broad's window is shut
    const window = await runAt("2026-12-12T21:30:00Z"); // Saturday 22:30 in Amsterdam
    const after = await runAt("2026-12-14T09:00:00Z"); // Monday: the window is shut again
    expect(summary(day0.versions)).toEqual({ pilot: "1.9.0", early: "1.1.0", broad: "1.1.0" });
    expect(summary(day1.versions)).toEqual({ pilot: "1.9.0", early: "1.1.0", broad: "1.1.0" });
    expect(summary(day3.versions)).toEqual({ pilot: "1.9.0", early: "1.9.0", broad: "1.1.0" });
    expect(summary(day10.versions)).toEqual({ pilot: "1.9.0", early: "1.9.0", broad: "1.1.0" });
    expect(summary(window.versions)).toEqual({ pilot: "1.9.0", early: "1.9.0", broad: "1.9.0" });
    expect(summary(after.versions)).toEqual(summary(window.versions));

    // Nothing changes between runs where no ring moves...
    expect(changed(day0.inputs, day1.inputs)).toEqual([]);
    expect(changed(day3.inputs, day10.inputs)).toEqual([]);
    expect(changed(window.inputs, after.inputs)).toEqual([]);
    // ...and when one does, only its consumers change (and its replica's copies' roles).
    expect(changed(day1.inputs, day3.inputs)).toEqual(
      // 1.9.0 copied (active), 1.1.0 active → backup, 1.0.0 backup → retired.
      [
        "c-early",
        "c-early-1.0.0",
        "c-early-1.1.0",
        "c-early-1.9.0",
        "p-early",
        "p-early-pool",
      ].sort(),
    );
    expect(changed(day10.inputs, window.inputs)).toEqual(
      [
        "c-broad",
        "c-broad-1.0.0",
        "c-broad-1.1.0",
        "c-broad-1.9.0",
        "p-broad",
        "p-broad-pool",
      ].sort(),
    );
  });

  it("a rollback at the source takes every ring back at once, inside no window", async () => {
    const rolledBack = source((a) => {
      a.activeVersion = "1.1.0";
      a.versions["1.9.0"].withdrawn = true;
    });
    // Friday, broad's window shut; early and broad had 1.9.0 (see above).
    const run = await runAt("2026-12-18T11:00:00Z", rolledBack);
    expect(summary(run.versions)).toEqual({ pilot: "1.1.0", early: "1.1.0", broad: "1.1.0" });
  });

  it("tags each version with when it was activated", async () => {
    const run = await runAt("2026-12-01T11:00:00Z");
    const tags = JSON.parse(run.inputs["azure-native:compute:GalleryImageVersion::msp-1.9.0"]).tags;
    expect(tags["global-image:activated-at"]).toBe("2026-12-01T10:00:00Z");
  });

  it.each([
    ["a ring the image does not declare", { ring: "canary" }, "ring", /is not a ring of win11-avd/],
  ])("a replica refuses %s", (_case, change, field, message) => {
    process.env[NOW_VARIABLE] = "2026-12-01T11:00:00Z";
    try {
      const image = new GlobalImage("msp-bad", source(), recorder.opts);
      new ImageReplica("bad", {
        source: image,
        resourceGroupName: "rg",
        galleryName: "g",
        regions: [{ name: "westeurope" }],
        ...change,
      });
      throw new Error("accepted");
    } catch (err) {
      expect(isGlobalImageError(err) && err.field).toBe(field);
      expect(String(err)).toMatch(message);
    } finally {
      delete process.env[NOW_VARIABLE];
    }
  });

  it("refuses rings without the active version's activation time, naming the fix", () => {
    expect(
      () =>
        new GlobalImage(
          "no-time",
          source((a) => delete a.versions["1.9.0"].activatedAt),
        ),
    ).toThrow(
      /"versions\["1.9.0"\].activatedAt" is required on the active version when rings are declared/,
    );
  });

  it("refuses a bad clock, before the image with rings registers anything", () => {
    process.env[NOW_VARIABLE] = "tomorrow";
    try {
      recorder.reset();
      expect(() => new GlobalImage("msp-clock", source(), recorder.opts)).toThrow(
        /GLOBAL_IMAGE_NOW is not an RFC 3339 date-time/,
      );
      expect(recorder.registrations).toHaveLength(0);
    } finally {
      delete process.env[NOW_VARIABLE];
    }
  });
});
