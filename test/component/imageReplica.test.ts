import * as pulumi from "@pulumi/pulumi";
import { Recorder, Registration, installMocks, promiseOf, settle } from "../helpers/mocks";
import { argsWith, validArgs } from "../fixtures/globalImage";
import { passingEvidence } from "../fixtures/evidence";
import type { GlobalImageArgs } from "../../src/component/args";
import type { ImageReplicaArgs } from "../../src/component/replicaArgs";

const recorder: Recorder = installMocks();
// Imported after the mocks are installed, as a program would be.
import { Provider } from "@pulumi/azure-native/provider";
import { GlobalImage } from "../../src/component/globalImage";
import { ImageReplica } from "../../src/component/imageReplica";
import { ImageHandle } from "../../src/consumers/imageHandle";
import { ImageHostPool } from "../../src/consumers/imageHostPool";
import { isGlobalImageError } from "../../src/domain/common/errors";
import { evidenceSha256 } from "../../src/evidence/canonical";

const VERSION = "azure-native:compute:GalleryImageVersion";
const MSP =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/msp_gallery/images/win11-avd/versions";
const CUSTOMER =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-customer-a/providers/Microsoft.Compute/galleries/customer_a/images/win11-avd/versions";

type ReplicaSettings = Omit<ImageReplicaArgs, "source">;
const settings = (change: Partial<ReplicaSettings> = {}): ReplicaSettings => ({
  resourceGroupName: "rg-customer-a",
  location: "westeurope",
  galleryName: "customer_a",
  regions: [{ name: "westeurope" }],
  ...change,
});

/** The source and one replica of it, declared in one program; the replica's version registrations. */
async function build(
  source: GlobalImageArgs,
  replica: Partial<ReplicaSettings> = {},
  opts: pulumi.ComponentResourceOptions = {},
) {
  recorder.reset();
  const image = new GlobalImage("msp", source, recorder.opts);
  const copy = new ImageReplica(
    "customer-a",
    { source: image, ...settings(replica) },
    pulumi.mergeOptions(recorder.opts, opts),
  );
  await promiseOf(copy.versionIds);
  await settle();
  return { image, copy, versions: versionsOf("customer-a") };
}

function versionsOf(prefix: string): Record<string, Registration> {
  return Object.fromEntries(
    recorder
      .registered(VERSION)
      .filter((r) => r.name.startsWith(`${prefix}-`))
      .map((r) => [r.inputs.galleryImageVersionName as string, r]),
  );
}

describe("ImageReplica", () => {
  it("copies each version from the exact source version id, under the same name", async () => {
    const { versions, copy } = await build(validArgs());
    expect(Object.keys(versions).sort()).toEqual(["1.0.0", "1.1.0", "1.9.0"]);
    for (const [v, r] of Object.entries(versions)) {
      expect(r.inputs.storageProfile).toEqual({ source: { id: `${MSP}/${v}` } });
      expect(r.inputs).toMatchObject({
        resourceGroupName: "rg-customer-a",
        galleryName: "customer_a",
        location: "westeurope",
      });
    }
    expect(await promiseOf(copy.activeVersionId)).toBe(`${CUSTOMER}/1.9.0`);
  });

  it("declares an image definition identical in identity to the source's", async () => {
    await build(validArgs());
    const [msp, customer] = ["msp-image", "customer-a-image"].map(
      (n) => recorder.get("azure-native:compute:GalleryImage", n).inputs,
    );
    for (const key of [
      "galleryImageName",
      "identifier",
      "osType",
      "osState",
      "hyperVGeneration",
      "features",
    ])
      expect([key, customer[key]]).toEqual([key, msp[key]]);
    expect(customer.galleryName).toBe("customer_a");
  });

  it("gives the copies their roles: flags, protect, tags; latest is the replica's active version", async () => {
    const { versions } = await build(validArgs());
    const view = Object.fromEntries(
      Object.entries(versions).map(([v, r]) => [
        v,
        [
          r.inputs.tags["global-image:role"],
          r.inputs.publishingProfile.excludeFromLatest,
          r.opts.protect === true,
        ],
      ]),
    );
    expect(view).toEqual({
      "1.0.0": ["retired", true, false],
      "1.1.0": ["backup", true, true],
      "1.9.0": ["active", false, true],
    });
    expect(versions["1.9.0"].inputs.publishingProfile.targetRegions).toEqual([
      {
        name: "westeurope",
        regionalReplicaCount: 1,
        storageAccountType: "Standard_ZRS",
        excludeFromLatest: false,
      },
    ]);
  });

  it("passes the source's evidence through: same digest tag, same documents for the policy", async () => {
    const doc = passingEvidence("win11-avd", "1.9.0");
    const { versions } = await build(argsWith((a) => (a.evidence = { "1.9.0": doc })));
    expect(versions["1.9.0"].inputs.tags["global-image:evidence-sha256"]).toBe(evidenceSha256(doc));
    const [component] = recorder.registered("global-image:index:ImageReplica");
    expect(component.inputs.evidence["1.9.0"]).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(component.inputs.source).toMatchObject({
      imageName: "win11-avd",
      activeVersion: "1.9.0",
    });
  });

  it("a promotion at the source reaches a following replica as updates in place, nothing copied again", async () => {
    const before = (await build(validArgs())).versions;
    const after = (await build(argsWith((a) => (a.activeVersion = "1.10.0")))).versions;
    for (const v of Object.keys(before)) {
      // Same name, same source: Azure updates the flags in place.
      expect(after[v].name).toBe(before[v].name);
      expect(after[v].inputs.storageProfile).toEqual(before[v].inputs.storageProfile);
    }
    expect(after["1.9.0"].inputs.tags["global-image:role"]).toBe("backup");
    expect(after["1.10.0"].inputs.tags["global-image:role"]).toBe("active");
    expect(after["1.1.0"].inputs.tags["global-image:role"]).toBe("retired");
  });

  it("a pinned replica stays where it is when the source is promoted", async () => {
    const pinned = { activeVersion: "1.9.0" };
    const before = (await build(validArgs(), pinned)).versions;
    const after = (
      await build(
        argsWith((a) => (a.activeVersion = "1.10.0")),
        pinned,
      )
    ).versions;
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const v of Object.keys(before)) expect(after[v].inputs).toEqual(before[v].inputs);
  });

  it.each(["providers", "provider"] as const)(
    "hands an explicit provider (another tenant) to every child, given as opts.%s",
    async (option) => {
      recorder.reset();
      const customer = new Provider(`customer-a-tenant-${option}`, {
        subscriptionId: "11111111-1111-1111-1111-111111111111",
        tenantId: "22222222-2222-2222-2222-222222222222",
        auxiliaryTenantIds: ["33333333-3333-3333-3333-333333333333"],
      });
      const image = new GlobalImage("msp", validArgs(), recorder.opts);
      const copy = new ImageReplica(
        "customer-a",
        { source: image, ...settings() },
        option === "providers"
          ? { ...recorder.opts, providers: [customer] }
          : { ...recorder.opts, provider: customer },
      );
      await promiseOf(copy.versionIds);
      await settle();
      const children = recorder
        .customResources()
        .filter((r) => r.name.startsWith("customer-a-") && !r.type.startsWith("pulumi:providers:"));
      expect(children.length).toBe(5); // gallery, definition, 3 versions
      for (const child of children)
        expect([child.name, child.provider]).toEqual([
          child.name,
          expect.stringContaining(`customer-a-tenant-${option}`),
        ]);
      const mspChildren = recorder.customResources().filter((r) => r.name.startsWith("msp-"));
      for (const child of mspChildren)
        expect(child.provider ?? "").not.toContain("customer-a-tenant");
    },
  );

  it("binds ImageHostPool to the replica's active copy", async () => {
    const { copy } = await build(validArgs());
    const pool = new ImageHostPool("customer-pool", {
      image: copy,
      resourceGroupName: "rg-customer-a",
      hostPoolType: "Pooled",
      loadBalancerType: "BreadthFirst",
      preferredAppGroupType: "Desktop",
    });
    expect(await promiseOf(pool.imageVersionId)).toBe(`${CUSTOMER}/1.9.0`);
    expect(JSON.parse(await promiseOf(pool.vmTemplate)).customImageId).toBe(`${CUSTOMER}/1.9.0`);
  });

  it("copies from another stack through ImageHandle.fromStackAsync, with the ids that stack exported", async () => {
    // What the image stack exported: its handle, as the engine stores it (plain JSON).
    const { image } = await build(validArgs());
    const handle = image.handle();
    const exported = await promiseOf(
      pulumi.output({
        imageName: handle.imageName,
        imageDefinitionId: handle.imageDefinitionId,
        activeVersion: handle.activeVersion,
        activeVersionId: handle.activeVersionId,
        stagedVersion: handle.stagedVersion,
        stagedVersionId: handle.stagedVersionId,
        regions: handle.regions,
        versionIds: handle.versionIds,
        snapshot: handle.snapshot,
      }),
    );
    recorder.stackOutputs["contoso/msp/prod"] = {
      images: { win11: JSON.parse(JSON.stringify(exported)) },
    };
    recorder.reset();
    const ref = new pulumi.StackReference("contoso/msp/prod");
    const source = await ImageHandle.fromStackAsync(ref, "images.win11");
    const copy = new ImageReplica("remote", { source, ...settings() }, recorder.opts);
    await promiseOf(copy.versionIds);
    await settle();
    const versions = versionsOf("remote");
    expect(Object.keys(versions).sort()).toEqual(["1.0.0", "1.1.0", "1.9.0"]);
    expect(versions["1.9.0"].inputs.storageProfile).toEqual({ source: { id: `${MSP}/1.9.0` } });
  });

  it("refuses a source read with ImageHandle.fromStack (versions unknown), registering nothing", async () => {
    recorder.stackOutputs["contoso/msp/lazy"] = {
      images: {
        win11: {
          imageName: "win11-avd",
          imageDefinitionId: "/x",
          activeVersion: "1.0.0",
          activeVersionId: "/x/1.0.0",
        },
      },
    };
    recorder.reset();
    const source = ImageHandle.fromStack(
      new pulumi.StackReference("contoso/msp/lazy"),
      "images.win11",
    );
    let error: unknown;
    try {
      new ImageReplica("lazy", { source, ...settings() }, recorder.opts);
    } catch (err) {
      error = err;
    }
    expect(isGlobalImageError(error) && error.field).toBe("source");
    expect(String(error)).toMatch(/fromStackAsync/);
    await settle();
    expect(recorder.registrations.filter((r) => r.name.startsWith("lazy"))).toEqual([]);
  });

  it("refuses a stack output without a snapshot (an older image stack), naming the output", async () => {
    recorder.stackOutputs["contoso/msp/old"] = {
      images: {
        win11: {
          imageName: "win11-avd",
          imageDefinitionId: "/x",
          activeVersion: "1.0.0",
          activeVersionId: "/x/1.0.0",
        },
      },
    };
    const ref = new pulumi.StackReference("contoso/msp/old2", { name: "contoso/msp/old" });
    await expect(ImageHandle.fromStackAsync(ref, "images.win11")).rejects.toThrow(
      /"images.win11" of "contoso\/msp\/old" has no image snapshot/,
    );
  });

  it.each([
    ["a retired source version as active", { activeVersion: "1.0.0" }, "activeVersion"],
    ["a backup as staged", { stagedVersion: "1.1.0" }, "stagedVersion"],
    ["a copy region the source does not reach", { location: "eastus" }, "location"],
  ])("refuses %s before registering anything", async (_case, change, field) => {
    recorder.reset();
    const image = new GlobalImage("msp", validArgs(), recorder.opts);
    await settle();
    const before = recorder.registrations.length;
    let error: unknown;
    try {
      new ImageReplica("bad", { source: image, ...settings(change) }, recorder.opts);
    } catch (err) {
      error = err;
    }
    expect(isGlobalImageError(error) && error.field).toBe(field);
    await settle();
    expect(recorder.registrations.length).toBe(before);
  });
});
