import { planGlobalImage } from "../../../src/domain/images/validate";
import { planReplica, ReplicaSpec } from "../../../src/domain/replicas/replica";
import { ImageSnapshot, readSnapshot, snapshotOf } from "../../../src/domain/images/snapshot";
import { isGlobalImageError } from "../../../src/domain/common/errors";
import { argsWith, validArgs } from "../../fixtures/globalImage";

// The source: 1.0.0 retired, 1.1.0 backup, 1.9.0 active, 1.10.0 staged.
const source = (): ImageSnapshot => snapshotOf(planGlobalImage(validArgs()), {});
const spec = (change: Partial<Record<keyof ReplicaSpec, unknown>> = {}): ReplicaSpec => ({
  galleryName: "customer_a",
  location: "westeurope",
  regions: [{ name: "westeurope" }],
  ...change,
});

function refusal(run: () => unknown): { field: string; message: string } {
  try {
    run();
  } catch (err) {
    if (isGlobalImageError(err)) return { field: err.field, message: err.message };
    throw err;
  }
  throw new Error("expected a GlobalImageError");
}

describe("planReplica", () => {
  it("follows the source's active version and copies what is at or below it, same roles", () => {
    const plan = planReplica(spec(), source());
    expect(plan.following).toBe(true);
    expect(plan.activeVersion).toBe("1.9.0");
    expect(plan.stagedVersion).toBeUndefined();
    expect(plan.roles).toEqual({ "1.0.0": "retired", "1.1.0": "backup", "1.9.0": "active" });
    expect(plan.versions.map((v) => [v.version, v.excludeFromLatest, v.protect])).toEqual([
      ["1.0.0", true, false],
      ["1.1.0", true, true],
      ["1.9.0", false, true],
    ]);
    expect(plan.versions.every((v) => v.sourceKind === "galleryImageVersionId")).toBe(true);
    expect(plan.image).toMatchObject({
      name: "win11-avd",
      osType: "Windows",
      securityType: "TrustedLaunch",
    });
  });

  it("copies the end-of-life date and blocks deletion of protected copies that have one", () => {
    const copy = planReplica(spec(), source()).versions.find((v) => v.version === "1.1.0");
    expect(copy).toMatchObject({ endOfLifeDate: "2027-06-30", blockDeletionBeforeEndOfLife: true });
  });

  it("may pin a backup of the source; versions above it are not copied", () => {
    const plan = planReplica(spec({ activeVersion: "1.1.0" }), source());
    expect(plan.following).toBe(false);
    expect(plan.roles).toEqual({ "1.0.0": "backup", "1.1.0": "active" });
  });

  it("copies the staged version only when asked, excluded from latest", () => {
    const plan = planReplica(spec({ stagedVersion: "1.10.0" }), source());
    expect(plan.roles["1.10.0"]).toBe("staged");
    expect(plan.versions.find((v) => v.version === "1.10.0")?.excludeFromLatest).toBe(true);
    // The source's active version as the staged one of a pinned replica: a customer tests it.
    const pinned = planReplica(spec({ activeVersion: "1.1.0", stagedVersion: "1.9.0" }), source());
    expect(pinned.roles).toEqual({ "1.0.0": "backup", "1.1.0": "active", "1.9.0": "staged" });
  });

  it("never copies a version the source withdrew", () => {
    const withdrawn = snapshotOf(
      planGlobalImage(argsWith((a) => (a.versions["1.0.0"].withdrawn = true))),
      {},
    );
    expect(Object.keys(planReplica(spec(), withdrawn).roles)).not.toContain("1.0.0");
  });

  it.each([
    [
      "retired at the source",
      { activeVersion: "1.0.0" },
      "activeVersion",
      /is retired at the source win11-avd/,
    ],
    [
      "staged at the source",
      { activeVersion: "1.10.0" },
      "activeVersion",
      /is staged at the source/,
    ],
    ["unknown", { activeVersion: "3.0.0" }, "activeVersion", /is not a version of win11-avd/],
    [
      "a backup as staged",
      { stagedVersion: "1.1.0" },
      "stagedVersion",
      /is backup at the source.*"1.10.0" or "1.9.0"/,
    ],
    [
      "an unknown staged",
      { stagedVersion: "2.0.0" },
      "stagedVersion",
      /is not the staged or active version/,
    ],
    [
      "a region the source does not reach",
      { location: "eastus" },
      "location",
      /eastus.*Add eastus to the regions of win11-avd 1.0.0/,
    ],
    ["no regions", { regions: [] }, "regions", /non-empty list/],
    [
      "a bad gallery name",
      { galleryName: "bad-name" },
      "galleryName",
      /not a valid Azure Compute Gallery name/,
    ],
    ["a negative retainBackups", { retainBackups: -1 }, "retainBackups", /retainBackups/],
  ])("refuses %s, naming the field", (_case, change, field, message) => {
    const err = refusal(() => planReplica(spec(change), source()));
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });

  it("refuses a withdrawn source version as active", () => {
    const marked = snapshotOf(
      planGlobalImage(argsWith((a) => (a.versions["1.1.0"].withdrawn = true))),
      {},
    );
    expect(refusal(() => planReplica(spec({ activeVersion: "1.1.0" }), marked)).message).toMatch(
      /is withdrawn at the source/,
    );
  });

  it("compares regions without case and spaces, and skips a version whose regions are unknown", () => {
    expect(() => planReplica(spec({ location: "North Europe" }), source())).not.toThrow();
    const unknown = source();
    const blind: ImageSnapshot = {
      ...unknown,
      versions: Object.fromEntries(
        Object.entries(unknown.versions).map(([v, d]) => [v, { ...d, regions: [] }]),
      ),
    };
    expect(() => planReplica(spec({ location: "eastus" }), blind)).not.toThrow();
  });
});

describe("readSnapshot", () => {
  const fix = "Run pulumi up on the image stack.";
  it("reads back what snapshotOf wrote (through JSON, as a stack output)", () => {
    const written = source();
    expect(readSnapshot(JSON.parse(JSON.stringify(written)), "images.win11.snapshot", fix)).toEqual(
      written,
    );
  });

  it.each([
    [
      "a role that is not a role",
      (s: any) => (s.versions["1.0.0"].role = "golden"),
      'images.win11.snapshot.versions["1.0.0"].role',
    ],
    [
      "an active version that is not active",
      (s: any) => (s.activeVersion = "1.0.0"),
      "images.win11.snapshot.activeVersion",
    ],
    ["a missing identity", (s: any) => delete s.identity, "images.win11.snapshot.identity"],
    [
      "a bad osType",
      (s: any) => (s.identity.osType = "BeOS"),
      "images.win11.snapshot.identity.osType",
    ],
    [
      "a version name that is not one",
      (s: any) => (s.versions["latest"] = s.versions["1.0.0"]),
      'images.win11.snapshot.versions["latest"]',
    ],
    [
      "an activation time that is not a date-time (it crosses a trust boundary)",
      (s: any) => (s.versions["1.9.0"].activatedAt = "yesterday"),
      'images.win11.snapshot.versions["1.9.0"].activatedAt',
    ],
    [
      "regions that are not a list",
      (s: any) => (s.versions["1.9.0"].regions = "westeurope"),
      'images.win11.snapshot.versions["1.9.0"].regions',
    ],
    [
      "an id that is not a string",
      (s: any) => (s.versions["1.9.0"].id = 7),
      'images.win11.snapshot.versions["1.9.0"].id',
    ],
  ])("refuses %s, naming where it was read", (_case, damage, field) => {
    const raw = JSON.parse(JSON.stringify(source()));
    damage(raw);
    const err = refusal(() => readSnapshot(raw, "images.win11.snapshot", fix));
    expect(err.field).toBe(field);
    expect(err.message).toContain(fix);
  });

  it("refuses rings without the active version's activation time: a ring's soak would count from nothing", () => {
    const raw = JSON.parse(JSON.stringify(source()));
    raw.rings = [
      { name: "pilot", soakDays: 0 },
      { name: "broad", soakDays: 7 },
    ];
    delete raw.versions["1.9.0"].activatedAt;
    const err = refusal(() => readSnapshot(raw, "images.win11.snapshot", fix));
    expect(err.field).toBe('images.win11.snapshot.versions["1.9.0"].activatedAt');
    expect(err.message).toContain("is required on the active version when rings are declared");
  });
});
