/**
 * `global-image:replicas` in the root project: replicas of an image of the same stack (declared
 * at once) and of another stack's image (declared once that stack is read), each with an optional
 * provider for the customer's subscription; pools on a replica live beside it.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf, settle } from "../helpers/mocks";
import { runProgram, stackFileConfig } from "../helpers/program";
import { parseProjectConfig, rawConfig } from "../../src/program/config";
import { deployFleet } from "../../src/program/deploy";

const recorder = installMocks("global-image");
const ROOT = path.join(__dirname, "..", "..");
const PROGRAM = path.join(ROOT, "src", "program", "index");
const devConfig = () => stackFileConfig(path.join(ROOT, "Pulumi.dev.yaml"));
const MSP =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-avd-images/providers/Microsoft.Compute/galleries/msp_images/images/win11-24h2-avd/versions";

const fabrikam = {
  source: "win11",
  resourceGroupName: "rg-fabrikam",
  location: "westeurope",
  galleryName: "fabrikam_images",
  regions: [{ name: "westeurope" }],
  provider: {
    subscriptionId: "22222222-2222-2222-2222-222222222222",
    tenantId: "bbbbbbbb-0000-0000-0000-000000000002",
    auxiliaryTenantIds: ["aaaaaaaa-0000-0000-0000-000000000001"],
  },
};
const pool = {
  image: "fabrikam",
  hostPoolType: "Pooled",
  loadBalancerType: "BreadthFirst",
  preferredAppGroupType: "Desktop",
};

const withReplicas = (replicas: unknown, hostPools?: unknown) => ({
  ...devConfig(),
  "global-image:replicas": JSON.stringify(replicas),
  ...(hostPools ? { "global-image:hostPools": JSON.stringify(hostPools) } : {}),
});

async function failure(config: Record<string, string>): Promise<Error & { field?: string }> {
  try {
    await runProgram(recorder, PROGRAM, config);
  } catch (err) {
    return err as Error;
  }
  throw new Error("the program accepted a bad config");
}

describe("global-image:replicas", () => {
  it("copies an image of the same stack, with the customer's provider, and puts its pools beside it", async () => {
    const exported = await runProgram(
      recorder,
      PROGRAM,
      withReplicas({ fabrikam }, { "fabrikam-prod": pool }),
    );
    const replicas = await promiseOf(pulumi.output(exported.replicas));
    expect(replicas.fabrikam).toMatchObject({ activeVersion: "1.0.0", stagedVersion: undefined });
    const copies = recorder
      .registered("azure-native:compute:GalleryImageVersion")
      .filter((r) => r.name.startsWith("fabrikam-"));
    expect(copies.map((c) => c.inputs.storageProfile.source.id).sort()).toEqual([
      `${MSP}/0.9.0`,
      `${MSP}/1.0.0`,
    ]);
    expect(copies.every((c) => c.provider?.includes("::fabrikam-provider::"))).toBe(true);
    const hostPool = recorder.get(
      "azure-native:desktopvirtualization:HostPool",
      "fabrikam-prod-pool",
    );
    expect(hostPool.inputs.resourceGroupName).toBe("rg-fabrikam");
    expect(hostPool.provider).toContain("::fabrikam-provider::");
    expect(JSON.parse(hostPool.inputs.vmTemplate as string).customImageId).toMatch(
      /rg-fabrikam\/providers\/Microsoft.Compute\/galleries\/fabrikam_images\/.*\/versions\/1\.0\.0$/,
    );
  });

  it("copies an image of another stack once that stack's handle is read", async () => {
    // The image stack's exported handle, from a first run of the dev config.
    const image = await runProgram(recorder, PROGRAM, devConfig());
    const handle = JSON.parse(JSON.stringify(await promiseOf(pulumi.output(image.images))));
    recorder.stackOutputs["contoso/global-image/prod"] = { images: handle };
    // A customer stack: replicas only, no images, no gallery of its own.
    const drop = ["global-image:images", "global-image:hostPools", "global-image:galleryName"];
    const config: Record<string, string> = Object.fromEntries(
      Object.entries(
        withReplicas({
          fabrikam: {
            ...fabrikam,
            source: { stack: "contoso/global-image/prod", output: "images.win11" },
          },
        }),
      ).filter(([k]) => !drop.includes(k)),
    );
    const exported = await runProgram(recorder, PROGRAM, config);
    const replicas = await promiseOf(pulumi.output(exported.replicas));
    expect(replicas.fabrikam.activeVersion).toBe("1.0.0");
    expect(recorder.registered("global-image:index:GlobalImage")).toEqual([]);
    // The customer's gallery is the replica's; the project creates none of its own.
    expect(recorder.registered("azure-native:compute:Gallery").map((g) => g.name)).toEqual([
      "fabrikam-gallery",
    ]);
    expect(
      recorder.get("azure-native:compute:GalleryImageVersion", "fabrikam-1.0.0").inputs
        .storageProfile,
    ).toEqual({ source: { id: `${MSP}/1.0.0` } });
  });

  it("refuses, naming the config path, a pin the other stack's image does not allow (known once read)", async () => {
    const image = await runProgram(recorder, PROGRAM, devConfig());
    const handle = JSON.parse(JSON.stringify(await promiseOf(pulumi.output(image.images))));
    recorder.stackOutputs["contoso/global-image/prod"] = { images: handle };
    recorder.reset();
    const fleet = deployFleet(
      parseProjectConfig(
        rawConfig(
          withReplicas({
            fabrikam: {
              ...fabrikam,
              activeVersion: "1.1.0", // staged at the source: not activatable
              source: { stack: "contoso/global-image/prod", output: "images.win11" },
            },
          }),
        ),
      ),
    );
    // The stack is read first; then the replica is refused, naming its config path.
    await expect(fleet.replicas.fabrikam).rejects.toMatchObject({
      field: "global-image:replicas.fabrikam.activeVersion",
      message: expect.stringMatching(/is staged at the source win11-24h2-avd/),
    });
    await settle();
    expect(recorder.registered("global-image:index:ImageReplica")).toEqual([]);
  });

  it.each([
    [
      "a source that is no image of the stack",
      { source: "win10" },
      "global-image:replicas.fabrikam.source",
      /names no image of this stack/,
    ],
    [
      "an active version the source does not have",
      { activeVersion: "2.0.0" },
      "global-image:replicas.fabrikam.activeVersion",
      /is not a version of win11-24h2-avd/,
    ],
    [
      "a region the source does not reach",
      { location: "eastus" },
      "global-image:replicas.fabrikam.location",
      /Add eastus to the regions/,
    ],
    [
      "a subscription that is no GUID",
      { provider: { subscriptionId: "mine" } },
      "global-image:replicas.fabrikam.provider.subscriptionId",
      /must be a GUID/,
    ],
    [
      "a stack name that is not org/project/stack",
      { source: { stack: "prod", output: "images.win11" } },
      "global-image:replicas.fabrikam.source.stack",
      /fully qualified/,
    ],
  ])(
    "refuses %s, naming the config path and registering nothing",
    async (_case, change, field, message) => {
      const err = await failure(withReplicas({ fabrikam: { ...fabrikam, ...change } }));
      expect(err.field).toBe(field);
      expect(err.message).toMatch(message);
      expect(recorder.registrations).toHaveLength(0);
    },
  );

  it("refuses a misspelled replica setting, naming the closest", async () => {
    const err = await failure(withReplicas({ fabrikam: { ...fabrikam, galeryName: "x" } }));
    expect(err.message).toMatch(/galeryName.*is not a known setting here.*galleryName/);
  });
});
