import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf, secretValue, settle } from "../helpers/mocks";
import { argsWith, validArgs } from "../fixtures/globalImage";
import { BAD_POOL_INPUTS, SUBNET, poolArgs } from "../fixtures/hostPool";
import type { GlobalImageArgs } from "../../src/component/args";

const recorder = installMocks();
import { GlobalImage } from "../../src/component/globalImage";
import { ImageHostPool } from "../../src/consumers/imageHostPool";
import { isGlobalImageError } from "../../src/domain/common/errors";
import { ConsumerRole } from "../../src/domain/hostPools/hostPool";
import type { ImageBinding } from "../../src/consumers/imageHandle";
import { consumerBinding } from "../../src/consumers/vmImageReference";

const POOL = "azure-native:desktopvirtualization:HostPool";
const VM = "azure-native:compute:VirtualMachine";
const DEF =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/msp_gallery/images/win11-avd";

let n = 0;
/** An image and a production and a validation pool bound to it. */
async function fleet(imageArgs: GlobalImageArgs = validArgs(), id = ++n) {
  recorder.reset();
  const image = new GlobalImage(`img${id}`, imageArgs, recorder.opts);
  const prod = new ImageHostPool(`prod${id}`, poolArgs(image), recorder.opts);
  const validation = new ImageHostPool(
    `val${id}`,
    poolArgs(image, (a) => (a.validationEnvironment = true)),
    recorder.opts,
  );
  await promiseOf(pulumi.all([prod.vmTemplate, validation.vmTemplate]));
  await settle();
  const pool = (name: string) => recorder.get(POOL, `${name}-pool`).inputs;
  return { image, prod, validation, prodPool: pool(`prod${id}`), valPool: pool(`val${id}`) };
}

const template = (inputs: Record<string, any>) => JSON.parse(inputs.vmTemplate);

describe("ImageHostPool wiring", () => {
  it("binds a production pool to the active version and a validation pool to the staged one", async () => {
    const { prodPool, valPool, prod, validation } = await fleet();
    expect(template(prodPool).customImageId).toBe(`${DEF}/versions/1.9.0`);
    expect(prodPool.validationEnvironment).toBe(false);
    expect(prodPool.tags).toEqual({
      "global-image:image": "win11-avd",
      "global-image:version": "1.9.0",
    });
    expect(template(valPool).customImageId).toBe(`${DEF}/versions/1.10.0`);
    expect(valPool.validationEnvironment).toBe(true);
    expect(valPool.tags["global-image:version"]).toBe("1.10.0");
    expect(await promiseOf(prod.imageVersion)).toBe("1.9.0");
    expect(await promiseOf(validation.imageVersionId)).toBe(`${DEF}/versions/1.10.0`);
  });

  it("passes the host pool's own arguments through", async () => {
    recorder.reset();
    const image = new GlobalImage(`img${++n}`, validArgs(), recorder.opts);
    const pool = new ImageHostPool(
      `custom${n}`,
      poolArgs(image, (a) => {
        a.hostPoolName = "hp-contoso-prod";
        a.maxSessionLimit = 12;
        a.startVMOnConnect = true;
        a.friendlyName = "Contoso desktops";
        a.loadBalancerType = "DepthFirst";
        a.tags = { costCenter: "42" };
      }),
      recorder.opts,
    );
    await promiseOf(pool.hostPoolId);
    await settle();
    expect(recorder.get(POOL, `custom${n}-pool`).inputs).toMatchObject({
      hostPoolName: "hp-contoso-prod",
      hostPoolType: "Pooled",
      loadBalancerType: "DepthFirst",
      preferredAppGroupType: "Desktop",
      maxSessionLimit: 12,
      startVMOnConnect: true,
      friendlyName: "Contoso desktops",
      tags: {
        costCenter: "42",
        "global-image:image": "win11-avd",
        "global-image:version": "1.9.0",
      },
    });
    expect(await promiseOf(pool.hostPoolName)).toBe("hp-contoso-prod");
  });

  it("a validation pool uses the active version when nothing is staged", async () => {
    const { valPool } = await fleet(
      argsWith((a) => {
        delete a.stagedVersion;
        delete a.versions["1.10.0"];
      }),
    );
    expect(template(valPool).customImageId).toBe(`${DEF}/versions/1.9.0`);
  });

  it("promotion rewires production pools and leaves the validation pool where it is", async () => {
    const before = await fleet();
    // The same names, as the next `pulumi up` of the same program.
    const after = await fleet(
      argsWith((a) => (a.activeVersion = "1.10.0")),
      n,
    );
    expect(template(after.prodPool).customImageId).toBe(`${DEF}/versions/1.10.0`);
    expect(after.prodPool.tags["global-image:version"]).toBe("1.10.0");
    expect(after.valPool).toEqual(before.valPool);
    const { customImageId: _a, ...prodRestBefore } = template(before.prodPool);
    const { customImageId: _b, ...prodRestAfter } = template(after.prodPool);
    expect(prodRestAfter).toEqual(prodRestBefore);
  });

  it("rollback rewires production pools to the backup", async () => {
    const { prodPool } = await fleet(
      argsWith((a) => {
        a.activeVersion = "1.1.0";
        a.versions["1.9.0"].withdrawn = true;
      }),
    );
    expect(template(prodPool).customImageId).toBe(`${DEF}/versions/1.1.0`);
  });

  it("never names latest or the bare image definition", async () => {
    const { prodPool, valPool } = await fleet();
    for (const pool of [prodPool, valPool]) {
      expect(template(pool).customImageId).toMatch(/\/versions\/\d+\.\d+\.\d+$/);
      expect(pool.vmTemplate).not.toMatch(/latest/);
    }
  });
});

describe("failure isolation", () => {
  const names = async (output: pulumi.Output<unknown>) =>
    [...(await (output as any).allResources())].map((r: any) => r.__name as string).sort();

  it("each vmTemplate depends on its own version resource only", async () => {
    const { prod, validation } = await fleet();
    expect(await names(prod.vmTemplate)).toEqual([`img${n}-1.9.0`]);
    expect(await names(validation.vmTemplate)).toEqual([`img${n}-1.10.0`]);
  });

  it("a staged version that never finishes holds up no production pool", async () => {
    recorder.reset();
    const never = pulumi.output(new Promise<string>(() => undefined));
    const id = ++n;
    const image = new GlobalImage(
      `img${id}`,
      argsWith((a) => (a.versions["1.10.0"].source = { virtualMachineId: never })),
      recorder.opts,
    );
    const prod = new ImageHostPool(`prod${id}`, poolArgs(image), recorder.opts);
    new ImageHostPool(
      `val${id}`,
      poolArgs(image, (a) => (a.validationEnvironment = true)),
      recorder.opts,
    );
    expect(JSON.parse(await promiseOf(prod.vmTemplate)).customImageId).toBe(
      `${DEF}/versions/1.9.0`,
    );
    await settle();
    expect(recorder.registered(POOL).map((r) => r.name)).toEqual([`prod${id}-pool`]);
  });
});

describe("the binding the engine sees", () => {
  const COMPONENT = "global-image:index:ImageHostPool";
  const nothingStaged = () =>
    argsWith((a) => {
      delete a.stagedVersion;
      a.versions["1.10.0"].withdrawn = true;
    });

  /** The component inputs' `image` of a production and a validation pool bound to `bind(image)`. */
  async function bindings(imageArgs: GlobalImageArgs, bind: (image: GlobalImage) => ImageBinding) {
    recorder.reset();
    const id = ++n;
    const image = new GlobalImage(`img${id}`, imageArgs, recorder.opts);
    const prod = new ImageHostPool(
      `prod${id}`,
      poolArgs(image, (a) => (a.image = bind(image))),
    );
    const val = new ImageHostPool(
      `val${id}`,
      poolArgs(image, (a) => {
        a.image = bind(image);
        a.validationEnvironment = true;
      }),
    );
    await promiseOf(pulumi.all([prod.hostPoolId, val.hostPoolId]));
    await settle();
    return {
      prod: recorder.get(COMPONENT, `prod${id}`).inputs.image,
      val: recorder.get(COMPONENT, `val${id}`).inputs.image,
    };
  }

  it("holds the bound version and its id, and the names policies read", async () => {
    const { prod, val } = await bindings(validArgs(), (image) => image);
    const names = { imageName: "win11-avd", activeVersion: "1.9.0", stagedVersion: "1.10.0" };
    expect(prod).toEqual({
      ...names,
      version: "1.9.0",
      versionId: `${DEF}/versions/1.9.0`,
      regions: ["westeurope", "northeurope"],
    });
    expect(val).toEqual({ ...prod, version: "1.10.0", versionId: `${DEF}/versions/1.10.0` });
  });

  // A GlobalImage of this program hands its names over as plain values; any other binding (a
  // handle read from another stack) as Outputs. The engine must see the same either way.
  it.each([
    ["a version staged", validArgs],
    ["nothing staged", nothingStaged],
  ])("is the same from a GlobalImage, its handle and its Outputs alone (%s)", async (_, args) => {
    const outputsOnly = (image: GlobalImage): ImageBinding => ({ ...image.handle() });
    const direct = await bindings(args(), (image) => image);
    expect(await bindings(args(), (image) => image.handle())).toEqual(direct);
    expect(await bindings(args(), outputsOnly)).toEqual(direct);
  });

  it("sends a GlobalImage's names plain, and Outputs for a binding it cannot know", () => {
    recorder.reset();
    const image = new GlobalImage(`img${++n}`, validArgs(), recorder.opts);
    const known = consumerBinding(image.handle(), ConsumerRole.Staged);
    expect([known.imageName, known.version, known.activeVersion]).toEqual([
      "win11-avd",
      "1.10.0",
      "1.9.0",
    ]);
    const unknown = consumerBinding({ ...image.handle() }, ConsumerRole.Active);
    expect(pulumi.Output.isInstance(unknown.imageName)).toBe(true);
    expect(pulumi.Output.isInstance(unknown.version)).toBe(true);
  });
});

describe("session hosts", () => {
  async function withHosts(validationEnvironment = false) {
    recorder.reset();
    const id = ++n;
    const image = new GlobalImage(`img${id}`, validArgs(), recorder.opts);
    const pool = new ImageHostPool(
      `hosts${id}`,
      poolArgs(image, (a) => {
        a.validationEnvironment = validationEnvironment;
        a.vmTemplate = { namePrefix: "avd-prod", osDiskType: "Premium_LRS" };
        a.sessionHosts = { count: 2, subnetId: SUBNET };
        a.registrationTokenExpiration = "2026-12-20T00:00:00Z";
      }),
      recorder.opts,
    );
    const ids = await promiseOf(pool.sessionHostIds);
    await settle();
    return { id, ids };
  }

  it("creates the VMs from the pool's version, with the template's settings", async () => {
    const { id, ids } = await withHosts();
    expect(ids).toHaveLength(2);
    const vms = recorder.registered(VM);
    expect(vms.map((v) => v.inputs.vmName)).toEqual(["avd-prod-0", "avd-prod-1"]);
    for (const vm of vms) {
      expect(vm.inputs.storageProfile.imageReference).toEqual({ id: `${DEF}/versions/1.9.0` });
      expect(vm.inputs.storageProfile.osDisk.managedDisk.storageAccountType).toBe("Premium_LRS");
      expect(vm.inputs.hardwareProfile.vmSize).toBe("Standard_D4s_v5");
      expect(vm.inputs.securityProfile).toEqual({
        securityType: "TrustedLaunch",
        uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
      });
      expect(vm.inputs.tags["global-image:version"]).toBe("1.9.0");
      expect(vm.opts.deleteBeforeReplace).toBe(true);
    }
    const pool = recorder.get(POOL, `hosts${id}-pool`).inputs;
    expect(pool.registrationInfo).toEqual({
      expirationTime: "2026-12-20T00:00:00Z",
      registrationTokenOperation: "Update",
    });
  });

  it("validation session hosts boot the staged version", async () => {
    await withHosts(true);
    expect(recorder.registered(VM).map((v) => v.inputs.storageProfile.imageReference.id)).toEqual([
      `${DEF}/versions/1.10.0`,
      `${DEF}/versions/1.10.0`,
    ]);
  });

  it("keeps the admin password and the registration token secret", async () => {
    const { id } = await withHosts();
    const vm = recorder.get(VM, `hosts${id}-vm-0`).inputs;
    expect(secretValue(vm.osProfile)).toMatchObject({
      adminPassword: "Mock-Passw0rd!",
      adminUsername: "avdadmin",
    });
    const agent = recorder.get(
      "azure-native:compute:VirtualMachineExtension",
      `hosts${id}-avdagent-0`,
    ).inputs;
    expect(secretValue(agent.protectedSettings)).toEqual({
      Items: { RegistrationInfoToken: `mock-token-for-hosts${id}` },
    });
    expect(agent.settings.properties.hostPoolName).toBe(`hosts${id}`);
    expect(() => secretValue(agent.settings)).toThrow(/expected a secret/);
    expect(recorder.registered("random:index/randomPassword:RandomPassword")).toHaveLength(1);
  });
});

describe("bad pool input", () => {
  const image = {
    imageName: "win11",
    imageDefinitionId: DEF,
    activeVersion: "1.0.0",
    activeVersionId: `${DEF}/versions/1.0.0`,
  };

  it.each(BAD_POOL_INPUTS)(
    "$name: raises on $field and registers nothing",
    async ({ change, field }) => {
      recorder.reset();
      let caught: unknown;
      try {
        new ImageHostPool(`bad${++n}`, poolArgs(image, change), recorder.opts);
      } catch (err) {
        caught = err;
      }
      await settle();
      expect(isGlobalImageError(caught)).toBe(true);
      expect((caught as { field: string }).field).toBe(field);
      expect(recorder.registrations).toHaveLength(0);
    },
  );
});
