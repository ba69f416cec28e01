import { isGlobalImageError } from "../../../src/domain/common/errors";
import { ImageRole } from "../../../src/domain/images/roles";
import { planGlobalImage } from "../../../src/domain/images/validate";
import { errorOf } from "../../helpers/errors";
import { BAD_INPUTS } from "../../fixtures/badInputs";
import { argsWith, validArgs } from "../../fixtures/globalImage";

describe("planGlobalImage", () => {
  it("applies the documented defaults", () => {
    const plan = planGlobalImage(validArgs());
    expect(plan.image).toEqual({
      name: "win11-avd",
      publisher: "Contoso",
      offer: "avd",
      sku: "win11-24h2-multi",
      osType: "Windows",
      osState: "Generalized",
      hyperVGeneration: "V2",
      securityType: "TrustedLaunch",
      description: undefined,
    });
    expect(plan.retainBackups).toBe(1);
    expect(plan.versions[0].regions).toEqual([
      { name: "westeurope", replicas: 2, storageAccountType: "Standard_ZRS" },
      { name: "northeurope", replicas: 1, storageAccountType: "Standard_ZRS" },
    ]);
  });

  it("lists versions in numeric order with their roles and flags", () => {
    const plan = planGlobalImage(validArgs());
    expect(
      plan.versions.map((v) => [
        v.version,
        v.role,
        v.excludeFromLatest,
        v.protect,
        v.blockDeletionBeforeEndOfLife,
      ]),
    ).toEqual([
      ["1.0.0", ImageRole.Retired, true, false, false],
      ["1.1.0", ImageRole.Backup, true, true, true],
      ["1.9.0", ImageRole.Active, false, true, false],
      ["1.10.0", ImageRole.Staged, true, false, false],
    ]);
  });

  it("turns on the deletion block only for protected roles with an end-of-life date", () => {
    const plan = planGlobalImage(
      argsWith((a) => {
        a.versions["1.9.0"].endOfLifeDate = "2028-01-31T00:00:00Z";
        a.versions["1.10.0"].endOfLifeDate = "2028-06-30";
      }),
    );
    const flags = Object.fromEntries(
      plan.versions.map((v) => [v.version, v.blockDeletionBeforeEndOfLife]),
    );
    expect(flags).toEqual({ "1.0.0": false, "1.1.0": true, "1.9.0": true, "1.10.0": false });
  });

  it("treats stagedVersion === activeVersion as nothing staged", () => {
    const plan = planGlobalImage(
      argsWith((a) => {
        a.stagedVersion = a.activeVersion;
        a.versions["1.10.0"].withdrawn = true;
      }),
    );
    expect(plan.stagedVersion).toBeUndefined();
    expect(Object.values(plan.roles)).not.toContain(ImageRole.Staged);
  });

  it("uses a version's own regions instead of the default", () => {
    const plan = planGlobalImage(
      argsWith(
        (a) =>
          (a.versions["1.10.0"].regions = [{ name: "eastus", storageAccountType: "Premium_LRS" }]),
      ),
    );
    expect(plan.versions.find((v) => v.version === "1.10.0")!.regions).toEqual([
      { name: "eastus", replicas: 1, storageAccountType: "Premium_LRS" },
    ]);
  });

  it.each(BAD_INPUTS)("rejects $name, naming $field", ({ args, field, message }) => {
    // The clock, as the component passes it (activation times may not lie ahead of it).
    const err = errorOf(() => planGlobalImage(args, "2026-12-07T12:00:00Z"));
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith(`"${field}" `)).toBe(true);
  });
});

describe("GlobalImageError", () => {
  it("can be re-rooted under a config path, keeping the message", () => {
    const err = errorOf(() => planGlobalImage(argsWith((a) => (a.activeVersion = "3.0.0"))));
    const nested = err.withFieldPrefix("global-image:images.win11");
    expect(nested.field).toBe("global-image:images.win11.activeVersion");
    expect(nested.message).toMatch(
      /^"global-image:images\.win11\.activeVersion" must name one of the declared versions/,
    );
    expect(isGlobalImageError(nested)).toBe(true);
    expect(isGlobalImageError(new Error("x"))).toBe(false);
  });

  it("re-roots the fix sentence's mention of the field too: one path throughout", () => {
    const err = errorOf(() => planGlobalImage(argsWith((a) => (a.retainBackups = -1))));
    const nested = err.withFieldPrefix("global-image:images.win11");
    expect(err.message.split('"retainBackups"').length).toBe(3); // the problem and the fix
    expect(nested.message).not.toMatch(/"retainBackups"/);
    expect(nested.message.split('"global-image:images.win11.retainBackups"').length).toBe(
      err.message.split('"retainBackups"').length,
    );
  });
});
