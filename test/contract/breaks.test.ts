/**
 * Deliberate breaks: bodies ARM would reject must fail the contract check, each naming the
 * resource, the JSON path and the rule. Each case starts from a valid body and changes one field.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ContractResource, checkContract } from "../../src/contract/validate";
import { tempDir } from "../helpers/cli";

jest.setTimeout(60_000);

const ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute";
const version = (
  change: (inputs: Record<string, any>) => void = () => undefined,
): ContractResource => {
  const inputs: Record<string, any> = {
    resourceGroupName: "rg",
    galleryName: "g",
    galleryImageName: "img",
    galleryImageVersionName: "1.0.0",
    location: "westeurope",
    publishingProfile: {
      excludeFromLatest: true,
      endOfLifeDate: "2027-03-31T00:00:00Z",
      targetRegions: [{ name: "westeurope", storageAccountType: "Standard_ZRS" }],
    },
    storageProfile: { source: { virtualMachineId: `${ID}/virtualMachines/vm` } },
  };
  change(inputs);
  return { type: "azure-native:compute:GalleryImageVersion", name: "img-1.0.0", inputs };
};
const pool = (
  change: (inputs: Record<string, any>) => void = () => undefined,
): ContractResource => {
  const inputs: Record<string, any> = {
    resourceGroupName: "rg",
    hostPoolName: "hp-pool",
    hostPoolType: "Pooled",
    loadBalancerType: "BreadthFirst",
    preferredAppGroupType: "Desktop",
  };
  change(inputs);
  return { type: "azure-native:desktopvirtualization:HostPool", name: "hp-pool", inputs };
};
const template = (customize: object[]): ContractResource => ({
  type: "azure-native:virtualmachineimages:VirtualMachineImageTemplate",
  name: "build-1.3.0",
  inputs: {
    resourceGroupName: "rg",
    identity: { type: "UserAssigned", userAssignedIdentities: { "/subscriptions/x/id": {} } },
    source: {
      type: "PlatformImage",
      publisher: "MicrosoftWindowsDesktop",
      offer: "office-365",
      sku: "win11-24h2-avd-m365",
      version: "latest",
    },
    customize,
    distribute: [
      {
        type: "SharedImage",
        galleryImageId: `${ID}/galleries/g/images/img/versions/1.3.0`,
        runOutputName: "out",
      },
    ],
  },
});

describe("the contract check fails closed on bodies ARM would reject", () => {
  it("accepts the valid bodies the cases start from", async () => {
    const report = await checkContract([version(), pool(), template([{ type: "WindowsRestart" }])]);
    expect(report).toEqual({
      checked: 3,
      types: [
        "azure-native:compute:GalleryImageVersion",
        "azure-native:desktopvirtualization:HostPool",
        "azure-native:virtualmachineimages:VirtualMachineImageTemplate",
      ],
      notChecked: [],
      violations: [],
    });
  });

  it.each([
    [
      "a date where ARM wants a date-time",
      version((i) => (i.publishingProfile.endOfLifeDate = "2027-03-31")),
      "$.properties.publishingProfile.endOfLifeDate",
      "INVALID_FORMAT",
    ],
    [
      "a wrong enum value in a host pool",
      pool((i) => (i.preferredAppGroupType = "RemoteApp")),
      "$.properties.preferredAppGroupType",
      "ENUM_NOT_LISTED",
    ],
    [
      "a managed-disk SKU as a gallery replica's storage",
      version((i) => (i.publishingProfile.targetRegions[0].storageAccountType = "StandardSSD_LRS")),
      "$.properties.publishingProfile.targetRegions[0].storageAccountType",
      "ENUM_NOT_LISTED",
    ],
    [
      "a field the API does not have",
      version((i) => (i.publishingProfile.excludeFromLatests = true)),
      "$.properties.publishingProfile.excludeFromLatests",
      "OBJECT_ADDITIONAL_PROPERTIES",
    ],
    [
      "a read-only property",
      version((i) => (i.provisioningState = "Succeeded")),
      "$.properties.provisioningState",
      "READONLY_PROPERTY_NOT_ALLOWED_IN_REQUEST",
    ],
    [
      "a missing required property",
      version((i) => delete i.storageProfile),
      "$.properties.storageProfile",
      "OBJECT_MISSING_REQUIRED_PROPERTY",
    ],
    [
      "a strict enum in the wrong case",
      pool((i) => (i.hostPoolType = "pooled")),
      "$.properties.hostPoolType",
      "ENUM_CASE_MISMATCH",
    ],
    [
      "an unknown customizer (a discriminator)",
      template([{ type: "Ansible" }]),
      "$.properties.customize[0].type",
      "DISCRIMINATOR_VALUE_NOT_FOUND",
    ],
    [
      "an identity type Image Builder does not take",
      { ...template([]), inputs: { ...template([]).inputs, identity: { type: "SystemAssigned" } } },
      "$.identity.type",
      "ENUM_MISMATCH",
    ],
  ])("%s", async (_name, resource, path, rule) => {
    const { violations } = await checkContract([resource]);
    expect(violations).toContainEqual(
      expect.objectContaining({ resource: resource.name, type: resource.type, path, rule }),
    );
  });
});

describe("the contract check's memory of passes", () => {
  it("remembers bodies that passed, never one that failed", async () => {
    const dir = tempDir("global-image-contract-cache-");
    const cached = () =>
      JSON.parse(fs.readFileSync(path.join(dir, "contract-passed.json"), "utf8"));
    expect((await checkContract([version()], dir)).violations).toEqual([]);
    expect(cached()).toHaveLength(1);
    const bad = pool((i) => (i.preferredAppGroupType = "RemoteApp"));
    for (let run = 0; run < 2; run++)
      expect((await checkContract([version(), bad], dir)).violations).toHaveLength(1);
    expect(cached()).toHaveLength(1);
  });
});
