import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as desktopvirtualization from "@pulumi/azure-native/desktopvirtualization";
import { installMocks } from "../helpers/mocks";
import { validArgs } from "../fixtures/globalImage";
import { SUBNET, poolArgs } from "../fixtures/hostPool";
import { messagesOf, violationsOf } from "./scenario";
import { RegisteredResource } from "../../src/check/policyRun";

const recorder = installMocks();
import { GlobalImage } from "../../src/component/globalImage";
import { ImageHandle } from "../../src/consumers/imageHandle";
import { ImageHostPool } from "../../src/consumers/imageHostPool";
import { vmImageReference } from "../../src/consumers/vmImageReference";
import { vmTemplateJson } from "../../src/consumers/vmTemplate";
import { planHostPool } from "../../src/domain/hostPools/hostPool";

const ACTIVE = "consumers-use-active-version";
const DEF =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/msp_gallery/images/win11-avd";
const REGIONS = "active-version-replicated-to-consumer-regions";
const MANAGED = "consumers-use-managed-images";
let n = 0;

/** A raw VM booting `imageId` (hand-written, not through the package's consumers). */
function rawVm(
  name: string,
  imageReference: pulumi.Input<Record<string, pulumi.Input<string>>>,
  location = "westeurope",
) {
  return new compute.VirtualMachine(name, {
    resourceGroupName: "rg-apps",
    location,
    vmName: name,
    storageProfile: { imageReference },
  });
}

/** A raw host pool whose vmTemplate names `imageId`. */
function rawPool(name: string, imageId: pulumi.Input<string>, validationEnvironment = false) {
  const template = planHostPool(
    name,
    poolArgs({ imageName: "", imageDefinitionId: "", activeVersion: "", activeVersionId: "" }),
  ).vmTemplate;
  return new desktopvirtualization.HostPool(name, {
    resourceGroupName: "rg-avd",
    hostPoolType: "Pooled",
    loadBalancerType: "BreadthFirst",
    preferredAppGroupType: "Desktop",
    validationEnvironment,
    vmTemplate: pulumi.output(imageId).apply((id) => vmTemplateJson(template, id)),
  });
}

async function run(declare: (image: GlobalImage) => pulumi.Output<unknown>, config = {}) {
  return violationsOf(
    recorder,
    () => declare(new GlobalImage(`img${++n}`, validArgs(), recorder.opts)),
    config,
  );
}

describe("consumers-use-active-version", () => {
  it("passes production and validation ImageHostPools", async () => {
    const violations = await run((image) => {
      const prod = new ImageHostPool(`prod${n}`, poolArgs(image), recorder.opts);
      const val = new ImageHostPool(
        `val${n}`,
        poolArgs(image, (a) => (a.validationEnvironment = true)),
        recorder.opts,
      );
      return pulumi.all([prod.vmTemplate, val.vmTemplate]);
    });
    expect(messagesOf(violations, ACTIVE)).toEqual([]);
  });

  it("flags a production pool on the staged version, naming the pool, version and fix", async () => {
    const violations = await run(
      (image) => rawPool(`hp-prod${n}`, image.stagedVersionId as pulumi.Output<string>).id,
    );
    expect(messagesOf(violations, ACTIVE)).toEqual([
      `Host pool "hp-prod${n}": it boots win11-avd 1.10.0, which is staged; production uses the active version only. Bind it to the active version 1.9.0 (ImageHostPool, or vmImageReference(image)).`,
    ]);
  });

  it("lets a validation pool boot the staged version", async () => {
    const violations = await run(
      (image) => rawPool(`hp-val${n}`, image.stagedVersionId as pulumi.Output<string>, true).id,
    );
    expect(messagesOf(violations, ACTIVE)).toEqual([]);
  });

  it.each([
    [
      "latest",
      (image: GlobalImage) => pulumi.interpolate`${image.imageDefinitionId}/versions/latest`,
      /boots "latest" of win11-avd/,
    ],
    [
      "the bare definition",
      (image: GlobalImage) => image.imageDefinitionId,
      /boots the bare image definition of win11-avd/,
    ],
    [
      "a backup",
      (image: GlobalImage) => image.versionIds.apply((ids) => ids["1.1.0"]),
      /win11-avd 1\.1\.0, which is backup/,
    ],
    [
      "a retired version",
      (image: GlobalImage) => image.versionIds.apply((ids) => ids["1.0.0"]),
      /win11-avd 1\.0\.0, which is retired/,
    ],
  ])("flags a VM on %s", async (_name, id, message) => {
    const violations = await run((image) => rawVm(`vm${n}`, { id: id(image) }).id);
    const messages = messagesOf(violations, ACTIVE);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(new RegExp(`^VM "vm${n}": `));
    expect(messages[0]).toMatch(message);
  });

  it("lets an ImageHostPool's session hosts keep their version while the rollout reaches them", async () => {
    recorder.live.vms = {};
    const violations = await run((image) => {
      // The fleet runs 1.1.0 (now a backup); the pool is promoted to 1.9.0.
      for (const vm of ["avd-r-0", "avd-r-1"])
        recorder.live.vms[vm] = {
          tags: {},
          storageProfile: { imageReference: { id: `${DEF}/versions/1.1.0` } },
        };
      const pool = new ImageHostPool(
        `rolling${n}`,
        poolArgs(image, (a) => {
          a.vmTemplate = { namePrefix: "avd-r" };
          a.sessionHosts = { count: 2, subnetId: SUBNET };
          a.registrationTokenExpiration = "2026-12-20T00:00:00Z";
        }),
        recorder.opts,
      );
      return pool.sessionHostIds;
    });
    recorder.live.vms = {};
    const vms = recorder.registered("azure-native:compute:VirtualMachine");
    expect(vms.map((v) => v.inputs.tags["global-image:rollout"])).toEqual(["rolling", "rolling"]);
    expect(messagesOf(violations, ACTIVE)).toEqual([]);
  });

  it("still flags a hand-made VM on a backup that claims to be rolling", async () => {
    const violations = await run((image) => {
      const vm = new compute.VirtualMachine(`claims${n}`, {
        resourceGroupName: "rg-apps",
        vmName: `claims${n}`,
        storageProfile: { imageReference: { id: image.versionIds.apply((ids) => ids["1.1.0"]) } },
        tags: { "global-image:rollout": "rolling" },
      });
      return vm.id;
    });
    expect(messagesOf(violations, ACTIVE)).toEqual([
      expect.stringMatching(/^VM "claims\d+": it boots win11-avd 1\.1\.0, which is backup/),
    ]);
  });

  it("passes a scale set bound with vmImageReference", async () => {
    const violations = await run(
      (image) =>
        new compute.VirtualMachineScaleSet(`vmss${n}`, {
          resourceGroupName: "rg-apps",
          virtualMachineProfile: { storageProfile: { imageReference: vmImageReference(image) } },
        }).id,
    );
    expect(messagesOf(violations, ACTIVE)).toEqual([]);
    expect(messagesOf(violations, MANAGED)).toEqual([]);
  });
});

describe("consumers in a customer stack (image from another stack)", () => {
  it("checks pools against the handle's binding", async () => {
    const image = new GlobalImage(`img${++n}`, validArgs(), recorder.opts);
    const exported = await new Promise((resolve) =>
      pulumi.output({ ...image.handle() }).apply(resolve),
    );
    recorder.stackOutputs["contoso/images/prod"] = { win11: exported as Record<string, unknown> };
    const violations = await violationsOf(recorder, () => {
      const handle = ImageHandle.fromStack(
        new pulumi.StackReference("contoso/images/prod"),
        "win11",
      );
      return new ImageHostPool(`customer${n}`, poolArgs(handle), recorder.opts).vmTemplate;
    });
    expect(violations).toEqual([]);
  });

  it("flags a customer pool whose image id is not the handle's active version", async () => {
    const image = new GlobalImage(`img${++n}`, validArgs(), recorder.opts);
    const violations = await violationsOf(recorder, () => {
      const wrong = {
        ...image.handle(),
        activeVersionId: image.stagedVersionId as pulumi.Output<string>,
      };
      return new ImageHostPool(`customer${n}`, poolArgs(wrong), recorder.opts).vmTemplate;
    });
    expect(messagesOf(violations, ACTIVE)).toEqual([
      `Host pool "customer${n}-pool": it boots win11-avd 1.10.0, which is staged; production uses the active version only. Bind it to the active version 1.9.0 (ImageHostPool, or vmImageReference(image)).`,
    ]);
  });

  it.each([
    ["no guardrails output", (r: RegisteredResource) => delete r.outputs!.guardrails],
    [
      "a guardrails output of another schema",
      (r: RegisteredResource) => ((r.outputs!.guardrails as { schema: string }).schema = "v0"),
    ],
  ])(
    "fails closed on a customer pool with %s (what it is bound to is unknown)",
    async (_c, edit) => {
      const image = new GlobalImage(`img${++n}`, validArgs(), recorder.opts);
      const exported = await new Promise((resolve) =>
        pulumi.output({ ...image.handle() }).apply(resolve),
      );
      recorder.stackOutputs["contoso/images/prod"] = { win11: exported as Record<string, unknown> };
      const violations = await violationsOf(
        recorder,
        () => {
          const handle = ImageHandle.fromStack(
            new pulumi.StackReference("contoso/images/prod"),
            "win11",
          );
          return new ImageHostPool(`customer${n}`, poolArgs(handle), recorder.opts).vmTemplate;
        },
        {},
        (resources) => edit(resources.find((r) => r.type === "global-image:index:ImageHostPool")!),
      );
      expect(messagesOf(violations, ACTIVE)).toEqual([
        `Host pool "customer${n}-pool": its ImageHostPool "customer${n}" registered no guardrails output of schema global-image.guardrails/v1 (a global-image release older than this pack?), so what it is bound to cannot be checked. Use the same global-image release for the program and the pack.`,
      ]);
    },
  );
});

describe("active-version-replicated-to-consumer-regions", () => {
  it("advises when a consumer's region is not a target region of its version", async () => {
    const violations = await run(
      (image) => rawVm(`vm-us${n}`, vmImageReference(image), "East US").id,
    );
    expect(messagesOf(violations, REGIONS)).toEqual([
      `VM "vm-us${n}": it is in eastus, but win11-avd 1.9.0 is replicated only to westeurope, northeurope. Add eastus to the version's regions.`,
    ]);
    expect(violations.find((v) => v.policy === REGIONS)?.enforcementLevel).toBe("advisory");
  });

  it("is quiet for a consumer in a replicated region", async () => {
    const violations = await run(
      (image) => rawVm(`vm-eu${n}`, vmImageReference(image), "North Europe").id,
    );
    expect(messagesOf(violations, REGIONS)).toEqual([]);
  });
});

describe("consumers-use-managed-images", () => {
  const marketplace = {
    publisher: "MicrosoftWindowsDesktop",
    offer: "windows-11",
    sku: "win11-24h2-avd",
    version: "latest",
  };

  it("advises against a marketplace image", async () => {
    const violations = await run(() => rawVm(`vm-mp${n}`, marketplace).id);
    expect(messagesOf(violations, MANAGED)).toEqual([
      `VM "vm-mp${n}": it boots the marketplace image MicrosoftWindowsDesktop:windows-11:win11-24h2-avd, which no GlobalImage stages and tests. Boot a GlobalImage version, or add the image to allowedImageIds.`,
    ]);
    expect(messagesOf(violations, ACTIVE)).toEqual([]);
  });

  it("reports a pool whose vmTemplate is not JSON instead of failing the pack", async () => {
    const violations = await violationsOf(
      recorder,
      () =>
        new desktopvirtualization.HostPool(`hp-bad${++n}`, {
          resourceGroupName: "rg-avd",
          hostPoolType: "Pooled",
          loadBalancerType: "BreadthFirst",
          preferredAppGroupType: "Desktop",
          vmTemplate: "{broken",
        }).id,
    );
    expect(messagesOf(violations, MANAGED)).toEqual([
      `Host pool "hp-bad${n}": it boots the unmanaged image vmTemplate that is not JSON: {broken, which no GlobalImage stages and tests. Boot a GlobalImage version, or add the image to allowedImageIds.`,
    ]);
  });

  it("accepts an image listed in allowedImageIds", async () => {
    const config = {
      [MANAGED]: {
        allowedImageIds: ["marketplace:microsoftwindowsdesktop:windows-11:win11-24h2-avd"],
      },
    };
    const violations = await run(() => rawVm(`vm-ok${n}`, marketplace).id, config);
    expect(messagesOf(violations, MANAGED)).toEqual([]);
  });

  it("follows an enforcement level set in config", async () => {
    const violations = await run(() => rawVm(`vm-m${n}`, marketplace).id, {
      [MANAGED]: { enforcementLevel: "mandatory" },
    });
    expect(violations.filter((v) => v.policy === MANAGED).map((v) => v.enforcementLevel)).toEqual([
      "mandatory",
    ]);
    const disabled = await run(() => rawVm(`vm-d${n}`, marketplace).id, {
      [MANAGED]: { enforcementLevel: "disabled" },
    });
    expect(messagesOf(disabled, MANAGED)).toEqual([]);
  });
});
