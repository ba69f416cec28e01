import { defaultNamePrefix, planHostPool } from "../../../src/domain/hostPools/hostPool";
import { isGlobalImageError } from "../../../src/domain/common/errors";
import { knownVmSize } from "../../../src/domain/hostPools/vmSizes";
import { BAD_POOL_INPUTS, poolArgs } from "../../fixtures/hostPool";

const image = {
  imageName: "win11",
  imageDefinitionId: "/def",
  activeVersion: "1.0.0",
  activeVersionId: "/def/versions/1.0.0",
};

describe("planHostPool", () => {
  it("defaults every template setting", () => {
    const plan = planHostPool("Prod_Pool.West", poolArgs(image));
    expect(plan).toEqual({
      validationEnvironment: false,
      sessionHostCount: 0,
      registrationTokenExpiration: undefined,
      vmTemplate: {
        namePrefix: "prodpoolwes",
        vmSize: "Standard_D4s_v5",
        vmCores: 4,
        vmRamGB: 16,
        osDiskType: "StandardSSD_LRS",
        diskSizeGB: 0,
        securityType: "TrustedLaunch",
        secureBoot: true,
        vTPM: true,
        domain: "",
        hibernate: false,
      },
    });
  });

  it("turns secure boot and vTPM off by default for standard VMs", () => {
    const plan = planHostPool(
      "p",
      poolArgs(image, (a) => (a.vmTemplate = { securityType: "Standard" })),
    );
    expect([plan.vmTemplate.secureBoot, plan.vmTemplate.vTPM]).toEqual([false, false]);
  });

  it("takes cores and memory for sizes it does not know", () => {
    const plan = planHostPool(
      "p",
      poolArgs(image, (a) => (a.vmTemplate = { vmSize: "Standard_X9", vmCores: 6, vmRamGB: 24 })),
    );
    expect([plan.vmTemplate.vmCores, plan.vmTemplate.vmRamGB]).toEqual([6, 24]);
  });

  it.each(BAD_POOL_INPUTS)("rejects $name, naming $field", ({ change, field, message }) => {
    let caught: unknown;
    try {
      planHostPool("p", poolArgs(image, change));
    } catch (err) {
      caught = err;
    }
    expect(isGlobalImageError(caught)).toBe(true);
    expect((caught as { field: string }).field).toBe(field);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message.startsWith(`"${field}" `)).toBe(true);
  });
});

describe("VM sizes and name prefixes", () => {
  it.each([
    ["Standard_D4s_v5", 4, 16],
    ["standard_d8as_v5", 8, 32],
    ["Standard_E16s_v5", 16, 128],
    ["Standard_B2ms", 2, 8],
    ["Standard_NV12ads_A10_v5", 12, 110],
  ])("knows %s", (size, cores, ram) => {
    expect(knownVmSize(size)).toEqual({ cores, ram });
  });

  it("knows nothing of an invented size", () => {
    expect(knownVmSize("Standard_Q4")).toBeUndefined();
  });

  it.each([
    ["prod", "prod"],
    ["-prod-", "prod"],
    ["Validation_Pool", "validationp"],
    ["***", "avd"],
  ])("derives the prefix of %s as %s", (name, prefix) => {
    expect(defaultNamePrefix(name)).toBe(prefix);
  });
});
