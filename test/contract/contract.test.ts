/**
 * The ARM contract over the programs of the repository under the mock runtime: the demo stack,
 * component scenarios (every version source kind, session hosts with their VMs, NICs and
 * extensions, scale sets), and the bench fleets at a small size. Beyond this file, every test
 * suite that installs the mocks validates everything its tests register after it runs
 * (test/helpers/mocks.ts), and the examples are checked by `global-image check` in
 * test/cli/check.test.ts, which runs the same contract check. Any violation fails, naming the
 * resource, the JSON path and the rule.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf, settle } from "../helpers/mocks";
import { runProgram, stackFileConfig } from "../helpers/program";
import { REPO, rootProjectCopy } from "../helpers/cli";
import { argsWith } from "../fixtures/globalImage";
import { SUBNET, poolArgs } from "../fixtures/hostPool";
import { ContractResource, checkContract } from "../../src/contract/validate";
import { ARM_TYPES } from "../../src/contract/specs";

const recorder = installMocks("global-image");
import { GlobalImage } from "../../src/component/globalImage";
import { ImageHostPool } from "../../src/consumers/imageHostPool";
import { imageTags, vmImageReference } from "../../src/consumers/vmImageReference";
import * as compute from "@pulumi/azure-native/compute";
import { componentFleet, handFleet } from "../../bench/fleetPrograms";

jest.setTimeout(120_000);

const ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute";
/** What every scenario registered, for the coverage count. */
const seen: ContractResource[] = [];

async function registered(scenario: () => Promise<unknown>): Promise<ContractResource[]> {
  recorder.reset();
  await scenario();
  await settle(); // registrations that nothing awaits (session host extensions) land too
  const resources = recorder.registrations.filter((r) => r.custom);
  seen.push(...resources);
  return resources;
}

const SCENARIOS: Array<[name: string, run: () => Promise<unknown>]> = [
  [
    "the demo stack (root project)",
    () =>
      runProgram(
        recorder,
        path.join(REPO, "src", "program", "index"),
        stackFileConfig(path.join(REPO, "Pulumi.dev.yaml")),
        rootProjectCopy(),
      ),
  ],
  [
    "a GlobalImage with every version source kind, a gallery of its own and end-of-life dates",
    async () => {
      const image = new GlobalImage(
        "img",
        argsWith((a) => {
          a.createGallery = true;
          a.versions["1.0.0"] = { source: { snapshotId: `${ID}/snapshots/s100` } };
          a.versions["1.1.0"] = {
            source: { diskId: `${ID}/disks/d110` },
            endOfLifeDate: "2027-06-30",
          };
          a.versions["1.2.0"] = {
            source: { galleryImageVersionId: `${ID}/galleries/g/images/i/versions/1.2.0` },
            withdrawn: true,
          };
          a.versions["1.3.0"] = {
            source: {
              vhdUri: "https://acct.blob.core.windows.net/vhds/img.vhd",
              storageAccountId:
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct",
            },
            withdrawn: true,
          };
        }),
        recorder.opts,
      );
      await promiseOf(image.activeVersionId);
    },
  ],
  [
    "ImageHostPools with session hosts (VMs, NICs, extensions), a validation pool and a full vmTemplate",
    async () => {
      const image = new GlobalImage(
        "img",
        argsWith(() => undefined),
        recorder.opts,
      );
      const prod = new ImageHostPool(
        "prod",
        poolArgs(image, (a) => {
          a.sessionHosts = { count: 2, subnetId: SUBNET };
          a.registrationTokenExpiration = "2026-12-20T00:00:00Z";
          a.vmTemplate = {
            namePrefix: "avd-prod",
            vmSize: "Standard_D8s_v5",
            osDiskType: "Premium_LRS",
            diskSizeGB: 128,
            hibernate: false,
          };
          a.maxSessionLimit = 10;
          a.startVMOnConnect = true;
        }),
        recorder.opts,
      );
      const validation = new ImageHostPool(
        "val",
        poolArgs(image, (a) => (a.validationEnvironment = true)),
        recorder.opts,
      );
      await promiseOf(pulumi.all([prod.hostPoolId, validation.hostPoolId, prod.sessionHostIds]));
    },
  ],
  [
    "a scale set and a VM bound with vmImageReference",
    async () => {
      const image = new GlobalImage(
        "img",
        argsWith(() => undefined),
        recorder.opts,
      );
      const vmss = new compute.VirtualMachineScaleSet("render", {
        resourceGroupName: "rg",
        tags: imageTags(image),
        sku: { name: "Standard_D4s_v5", capacity: 2 },
        orchestrationMode: "Uniform",
        upgradePolicy: { mode: "Manual" },
        virtualMachineProfile: {
          storageProfile: {
            imageReference: vmImageReference(image),
            osDisk: { createOption: "FromImage" },
          },
          osProfile: {
            computerNamePrefix: "render",
            adminUsername: "renderadmin",
            adminPassword: "x",
          },
          networkProfile: {
            networkInterfaceConfigurations: [
              {
                name: "nic",
                primary: true,
                ipConfigurations: [{ name: "ip", subnet: { id: SUBNET } }],
              },
            ],
          },
        },
      });
      await promiseOf(vmss.id);
    },
  ],
  ["the bench's component fleet (3 pools)", () => componentFleet(3)],
  ["the bench's hand-written fleet (3 pools)", () => handFleet(3)],
];

describe("the ARM contract of every body the package sends", () => {
  it.each(SCENARIOS)("%s", async (_name, scenario) => {
    const report = await checkContract(await registered(scenario));
    expect(report.violations).toEqual([]);
    expect(report.notChecked).toEqual([]);
    expect(report.checked).toBeGreaterThan(0);
  });

  it("covered every type the package creates (the image template comes with Image Builder builds)", async () => {
    const types = new Set(seen.map((r) => r.type));
    const report = await checkContract([]);
    expect(report.checked).toBe(0);
    expect(Object.keys(ARM_TYPES).filter((t) => !types.has(t))).toEqual([
      "azure-native:virtualmachineimages:VirtualMachineImageTemplate",
    ]);
    // The count, for the CI log.
    console.log(
      `ARM contract: ${seen.length} request bodies validated across ${types.size} resource types`,
    );
  });
});
