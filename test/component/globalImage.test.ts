import * as pulumi from "@pulumi/pulumi";
import { Recorder, Registration, installMocks, promiseOf, settle } from "../helpers/mocks";
import { argsWith, validArgs } from "../fixtures/globalImage";
import { BAD_INPUTS } from "../fixtures/badInputs";
import type { GlobalImageArgs } from "../../src/component/args";
import { evidenceSha256 } from "../../src/evidence/canonical";
import { passingEvidence } from "../fixtures/evidence";

const recorder: Recorder = installMocks();
// Imported after the mocks are installed, as a program would be.
import { GlobalImage } from "../../src/component/globalImage";
import { isGlobalImageError } from "../../src/domain/common/errors";

const VERSION = "azure-native:compute:GalleryImageVersion";
const PREFIX =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/msp_gallery";

let counter = 0;
/** Builds the component under a fresh name and waits for its children to register. */
async function build(args: GlobalImageArgs, opts: pulumi.ComponentResourceOptions = {}) {
  recorder.reset();
  const name = `img${++counter}`;
  const image = new GlobalImage(name, args, pulumi.mergeOptions(recorder.opts, opts));
  await promiseOf(image.versionIds);
  await settle();
  const versions = Object.fromEntries(
    recorder.registered(VERSION).map((r) => [r.inputs.galleryImageVersionName as string, r]),
  ) as Record<string, Registration>;
  return { name, image, versions };
}

describe("GlobalImage children", () => {
  it("creates the gallery, the image definition and one version per declared version", async () => {
    const { name } = await build(validArgs());
    const types = recorder.customResources().map((r) => `${r.type} ${r.name}`);
    expect(types.sort()).toEqual(
      [
        `azure-native:compute:Gallery ${name}-gallery`,
        `azure-native:compute:GalleryImage ${name}-image`,
        `${VERSION} ${name}-1.0.0`,
        `${VERSION} ${name}-1.1.0`,
        `${VERSION} ${name}-1.9.0`,
        `${VERSION} ${name}-1.10.0`,
      ].sort(),
    );
    const component = recorder.registered("global-image:index:GlobalImage");
    expect(component).toHaveLength(1);
    expect(component[0].inputs.activeVersion).toBe("1.9.0");
  });

  it("describes the image definition with its defaults and trusted launch feature", async () => {
    const { name } = await build(validArgs());
    const def = recorder.get("azure-native:compute:GalleryImage", `${name}-image`);
    expect(def.inputs).toMatchObject({
      galleryName: "msp_gallery",
      galleryImageName: "win11-avd",
      identifier: { publisher: "Contoso", offer: "avd", sku: "win11-24h2-multi" },
      osType: "Windows",
      osState: "Generalized",
      hyperVGeneration: "V2",
      features: [{ name: "SecurityType", value: "TrustedLaunch" }],
      tags: { "global-image:image": "win11-avd" },
    });
    const standard = await build(argsWith((a) => (a.image.securityType = "Standard")));
    expect(
      recorder.get("azure-native:compute:GalleryImage", `${standard.name}-image`).inputs.features,
    ).toBeUndefined();
  });

  it("adopts an existing gallery by name when createGallery is false", async () => {
    const { image } = await build(argsWith((a) => (a.createGallery = false)));
    expect(recorder.registered("azure-native:compute:Gallery")).toHaveLength(0);
    expect(await promiseOf(image.galleryId)).toBe(PREFIX);
  });

  it("passes each kind of source where Azure expects it", async () => {
    const RG =
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-src/providers";
    const SNAP = `${RG}/Microsoft.Compute/snapshots/snap`;
    const SA = `${RG}/Microsoft.Storage/storageAccounts/sa`;
    const OTHER = `${RG}/Microsoft.Compute/galleries/other/images/win11/versions/1.0.0`;
    const { versions } = await build(
      argsWith((a) => {
        a.versions["1.0.0"].source = { snapshotId: SNAP };
        a.versions["1.1.0"].source = {
          vhdUri: "https://sa.blob.core.windows.net/v/os.vhd",
          storageAccountId: SA,
        };
        a.versions["1.10.0"].source = { galleryImageVersionId: OTHER };
      }),
    );
    expect(versions["1.0.0"].inputs.storageProfile).toEqual({
      osDiskImage: { source: { id: SNAP } },
    });
    expect(versions["1.1.0"].inputs.storageProfile).toEqual({
      osDiskImage: {
        source: { uri: "https://sa.blob.core.windows.net/v/os.vhd", storageAccountId: SA },
      },
    });
    expect(versions["1.9.0"].inputs.storageProfile.source.id).toMatch(/\/images\/win11-190$/);
    expect(versions["1.10.0"].inputs.storageProfile).toEqual({
      source: { id: OTHER },
    });
  });
});

describe("GlobalImage end-of-life dates", () => {
  it("sends a date as the date-time ARM requires (midnight UTC), and a date-time in UTC", async () => {
    const { versions } = await build(
      argsWith((a) => (a.versions["1.9.0"].endOfLifeDate = "2028-01-31T10:30+01:00")),
    );
    expect(versions["1.1.0"].inputs.publishingProfile.endOfLifeDate).toBe("2027-06-30T00:00:00Z");
    expect(versions["1.9.0"].inputs.publishingProfile.endOfLifeDate).toBe("2028-01-31T09:30:00Z");
    expect(versions["1.0.0"].inputs.publishingProfile.endOfLifeDate).toBeUndefined();
  });
});

describe("GlobalImage roles on the version resources", () => {
  it("excludes every version but the active one from latest, globally and in every region", async () => {
    const { versions } = await build(validArgs());
    for (const [version, reg] of Object.entries(versions)) {
      const excluded = version !== "1.9.0";
      const profile = reg.inputs.publishingProfile;
      expect(profile.excludeFromLatest).toBe(excluded);
      expect(profile.targetRegions).toEqual([
        {
          name: "westeurope",
          regionalReplicaCount: 2,
          storageAccountType: "Standard_ZRS",
          excludeFromLatest: excluded,
        },
        {
          name: "northeurope",
          regionalReplicaCount: 1,
          storageAccountType: "Standard_ZRS",
          excludeFromLatest: excluded,
        },
      ]);
    }
  });

  it("protects active and backup versions and tags every version with its role", async () => {
    const { versions } = await build(validArgs());
    const summary = Object.fromEntries(
      Object.entries(versions).map(([v, r]) => [
        v,
        [
          r.inputs.tags["global-image:role"],
          r.opts.protect ?? false,
          r.inputs.safetyProfile.blockDeletionBeforeEndOfLife,
          r.inputs.safetyProfile.allowDeletionOfReplicatedLocations,
        ],
      ]),
    );
    expect(summary).toEqual({
      "1.0.0": ["retired", false, false, true],
      "1.1.0": ["backup", true, true, false], // has an end-of-life date
      "1.9.0": ["active", true, false, false], // no end-of-life date: Azure has nothing to block on
      "1.10.0": ["staged", false, false, true],
    });
    expect(versions["1.10.0"].inputs.tags).toEqual({
      build: "4711",
      "global-image:role": "staged",
      "global-image:image": "win11-avd",
      "global-image:version": "1.10.0",
    });
  });

  it("gives the version children timeouts and orders them after the image definition", async () => {
    const { name, versions } = await build(argsWith((a) => (a.customTimeouts = { create: "6h" })));
    const opts = versions["1.9.0"].opts;
    expect(opts.customTimeouts).toEqual({ create: "6h", update: "3h", delete: "1h" });
    const deps = (opts.dependsOn as pulumi.Resource[]).map(
      (d) => (d as unknown as { __name: string }).__name,
    );
    expect(deps).toEqual([`${name}-image`]);
  });

  it("keeps a protect set on the component for unprotected roles", async () => {
    const { versions } = await build(validArgs(), { protect: true });
    expect(versions["1.0.0"].opts.protect).toBeUndefined(); // inherited from the component
    expect(versions["1.9.0"].opts.protect).toBe(true);
  });
});

describe("GlobalImage outputs", () => {
  it("exposes ARM ids, roles and latest = active", async () => {
    const { image } = await build(validArgs());
    const def = `${PREFIX}/images/win11-avd`;
    expect(await promiseOf(image.galleryId)).toBe(PREFIX);
    expect(await promiseOf(image.imageDefinitionId)).toBe(def);
    expect(await promiseOf(image.activeVersionId)).toBe(`${def}/versions/1.9.0`);
    expect(await promiseOf(image.stagedVersionId)).toBe(`${def}/versions/1.10.0`);
    expect(await promiseOf(image.latestVersion)).toBe("1.9.0");
    expect(await promiseOf(image.versionIds)).toEqual({
      "1.0.0": `${def}/versions/1.0.0`,
      "1.1.0": `${def}/versions/1.1.0`,
      "1.9.0": `${def}/versions/1.9.0`,
      "1.10.0": `${def}/versions/1.10.0`,
    });
    expect(await promiseOf(image.roles)).toEqual({
      "1.0.0": "retired",
      "1.1.0": "backup",
      "1.9.0": "active",
      "1.10.0": "staged",
    });
  });
});

describe("promotion and rollback", () => {
  /** Inputs and options of each version that a role change may touch. */
  const snapshot = (versions: Record<string, Registration>) =>
    Object.fromEntries(
      Object.entries(versions).map(([v, r]) => [
        v,
        { inputs: r.inputs, protect: r.opts.protect ?? false },
      ]),
    );

  it("promotion changes only activeVersion: same child names and sources, flags flipped", async () => {
    const before = await build(validArgs());
    const after = await build(argsWith((a) => (a.activeVersion = "1.10.0")));
    const names = (b: { name: string; versions: Record<string, Registration> }) =>
      Object.values(b.versions)
        .map((r) => r.name.slice(b.name.length))
        .sort();
    expect(names(after)).toEqual(names(before));
    const [b, a] = [snapshot(before.versions), snapshot(after.versions)];
    for (const v of Object.keys(b)) {
      expect(a[v].inputs.storageProfile).toEqual(b[v].inputs.storageProfile);
      expect(a[v].inputs.galleryImageVersionName).toBe(v);
    }
    expect(a["1.10.0"].inputs.publishingProfile.excludeFromLatest).toBe(false);
    expect(a["1.10.0"].inputs.tags["global-image:role"]).toBe("active");
    expect(a["1.10.0"].protect).toBe(true);
    expect(a["1.9.0"].inputs.publishingProfile.excludeFromLatest).toBe(true);
    expect(a["1.9.0"].inputs.tags["global-image:role"]).toBe("backup");
    expect(a["1.9.0"].protect).toBe(true);
    expect(a["1.1.0"].inputs.tags["global-image:role"]).toBe("retired");
    expect(a["1.1.0"].protect).toBe(false);
    expect(await promiseOf(after.image.latestVersion)).toBe("1.10.0");
    expect(await promiseOf(after.image.stagedVersionId)).toBeUndefined();
  });

  it("stagedVersion === activeVersion after a promotion is valid and stages nothing", async () => {
    const { image, versions } = await build(
      argsWith((a) => (a.activeVersion = a.stagedVersion = "1.10.0")),
    );
    expect(Object.values(versions).map((r) => r.inputs.tags["global-image:role"])).not.toContain(
      "staged",
    );
    expect(await promiseOf(image.stagedVersion)).toBeUndefined();
  });

  it("rollback to the backup: the versions it leaves, marked withdrawn, are never used", async () => {
    const { image, versions } = await build(
      argsWith((a) => {
        a.activeVersion = "1.1.0";
        delete a.stagedVersion;
        a.versions["1.9.0"].withdrawn = true;
        a.versions["1.10.0"].withdrawn = true;
      }),
    );
    expect(await promiseOf(image.roles)).toEqual({
      "1.0.0": "backup",
      "1.1.0": "active",
      "1.9.0": "withdrawn",
      "1.10.0": "withdrawn",
    });
    expect(versions["1.1.0"].inputs.publishingProfile.excludeFromLatest).toBe(false);
    expect(versions["1.9.0"].opts.protect).toBeUndefined();
    expect(await promiseOf(image.activeVersionId)).toMatch(/\/versions\/1\.1\.0$/);
  });
});

describe("bad input", () => {
  it.each(BAD_INPUTS)(
    "$name: raises on $field and registers nothing",
    async ({ args, field, message }) => {
      recorder.reset();
      let caught: unknown;
      try {
        new GlobalImage(`bad${++counter}`, args, recorder.opts);
      } catch (err) {
        caught = err;
      }
      await settle();
      expect(isGlobalImageError(caught)).toBe(true);
      expect((caught as { field: string }).field).toBe(field);
      expect((caught as Error).message).toMatch(message);
      expect(recorder.registrations).toHaveLength(0);
    },
  );
});

describe("failure isolation inside the component", () => {
  it("a staged version whose source never resolves holds up nothing else", async () => {
    recorder.reset();
    const never = pulumi.output(new Promise<string>(() => undefined));
    const name = `iso${++counter}`;
    const image = new GlobalImage(
      name,
      argsWith((a) => (a.versions["1.10.0"].source = { virtualMachineId: never })),
      recorder.opts,
    );
    expect(await promiseOf(image.activeVersionId)).toMatch(/\/versions\/1\.9\.0$/);
    await settle();
    const versions = recorder.registered(VERSION).map((r) => r.name);
    expect(versions.sort()).toEqual([`${name}-1.0.0`, `${name}-1.1.0`, `${name}-1.9.0`]);
  });

  it("shows the engine each version's source kind and plain id, not pending outputs", async () => {
    recorder.reset();
    const pending = pulumi.output(new Promise<string>(() => undefined));
    const args = argsWith((a) => (a.versions["1.10.0"].source = { virtualMachineId: pending }));
    await promiseOf(new GlobalImage(`inputs${++counter}`, args, recorder.opts).activeVersionId);
    const inputs = recorder.registered("global-image:index:GlobalImage")[0].inputs;
    expect(inputs.versions["1.10.0"].source).toEqual({});
    expect(inputs.versions["1.10.0"].sourceKind).toBe("virtualMachineId");
    expect(inputs.versions["1.0.0"].source).toEqual({
      virtualMachineId: expect.stringMatching(/img-100$/),
    });
    expect(inputs.stagedVersion).toBe("1.10.0");
  });
});

describe("test evidence", () => {
  it("tags each version that has evidence and hands the evidence to the engine", async () => {
    const evidence = { "1.9.0": passingEvidence("win11-avd", "1.9.0") };
    const { versions } = await build(argsWith((a) => (a.evidence = evidence)));
    expect(versions["1.9.0"].inputs.tags).toMatchObject({
      "global-image:tests": "passed 3/4",
      "global-image:evidence-sha256": evidenceSha256(evidence["1.9.0"]),
    });
    expect(versions["1.10.0"].inputs.tags["global-image:tests"]).toBeUndefined();
    const inputs = recorder.registered("global-image:index:GlobalImage")[0].inputs;
    expect(inputs.evidence).toEqual(evidence);
  });

  it("rejects malformed inline evidence, naming the version, and registers nothing", async () => {
    recorder.reset();
    const broken = { ...passingEvidence("win11-avd", "1.9.0"), createdAt: "soon" };
    expect(
      () =>
        new GlobalImage(
          `ev${++counter}`,
          argsWith((a) => (a.evidence = { "1.9.0": broken })),
          recorder.opts,
        ),
    ).toThrow(/^evidence\["1\.9\.0"\]: "createdAt" must be an RFC 3339 date-time/);
    await settle();
    expect(recorder.registrations).toHaveLength(0);
  });
});
