import * as fs from "node:fs";
import * as path from "node:path";
import { policies } from "../../policies/policies";
import { validatePolicyConfig } from "../../src/check/policyConfig";

const EXAMPLE = path.join(__dirname, "..", "..", "policies", "policy-config.example.json");
const validate = (raw: unknown) => validatePolicyConfig(raw, policies, "p.json");

describe("validatePolicyConfig", () => {
  it("accepts the shipped example", () => {
    const config = validate(JSON.parse(fs.readFileSync(EXAMPLE, "utf8")));
    expect(config["backups-protected"]).toEqual({ enforcementLevel: "advisory", minBackups: 1 });
  });

  it("applies each policy's configSchema defaults, as the Pulumi CLI does", () => {
    expect(validate({})["image-activation-requires-passing-tests"]).toEqual({
      requiredTests: [],
      maxEvidenceAgeDays: 0,
      trustedKeys: {},
      trustedIdentities: [],
      trustedRoot: "",
      exemptVersions: {},
    });
  });

  it("refuses a trusted identity with a field it does not have (a typo), naming it", () => {
    const identity = { issuer: "https://token.actions.githubusercontent.com", subjct: "x" };
    expect(() =>
      validate({ "image-activation-requires-passing-tests": { trustedIdentities: [identity] } }),
    ).toThrow(/trustedIdentities\/0.*subjct|subjct.*trustedIdentities/);
  });

  it("reads the CLI's shorthands: a level alone, and all", () => {
    const config = validate({ all: "advisory", "backups-protected": "disabled" });
    expect(config["backups-protected"].enforcementLevel).toBe("disabled");
    expect(config["consumers-use-active-version"].enforcementLevel).toBe("advisory");
    expect(
      validate({ all: { enforcementLevel: "mandatory" } })["backups-protected"].enforcementLevel,
    ).toBe("mandatory");
  });

  it.each([
    [[], /p\.json: must be a JSON object/],
    [{ all: "strict" }, /"all" enforcement level "strict" is not one of/],
    [{ "backups-protected": 3 }, /"backups-protected" must be an enforcement level or an object/],
    [
      { "image-activation-requires-passing-tests": { requiredTests: "boot" } },
      /requiredTests" must be array/,
    ],
  ])("refuses %j", (raw, message) => {
    expect(() => validate(raw)).toThrow(message);
  });
});
