import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installMocks, settle } from "../helpers/mocks";
import { runProgram, stackFileConfig } from "../helpers/program";
import { engineView, runPolicies } from "../../src/check/policyRun";
import { policies } from "../../policies/policies";

const recorder = installMocks("global-image");
const ROOT = path.join(__dirname, "..", "..");
const PROGRAM = path.join(ROOT, "src", "program", "index");

/** The dev stack's config with the images' config changed. */
function devWith(
  change: (images: any) => void = () => undefined,
  extra: Record<string, string> = {},
) {
  const config = stackFileConfig(path.join(ROOT, "Pulumi.dev.yaml"));
  const images = JSON.parse(config["global-image:images"]);
  change(images);
  return { ...config, "global-image:images": JSON.stringify(images), ...extra };
}

async function mandatoryViolations(config: Record<string, string>) {
  await runProgram(recorder, PROGRAM, config);
  for (let i = 0; i < 4; i++) await settle();
  const view = engineView(JSON.parse(JSON.stringify(recorder.engineResources())));
  return (await runPolicies(policies, view)).filter((v) => v.enforcementLevel === "mandatory");
}

describe("the demo stack under the policy pack", () => {
  it("passes as shipped: the active 1.0.0 has evidence, pools use it", async () => {
    expect(await mandatoryViolations(devWith())).toEqual([]);
  });

  it("blocks promoting the staged 1.1.0 before it has evidence", async () => {
    const violations = await mandatoryViolations(devWith((i) => (i.win11.activeVersion = "1.1.0")));
    expect(violations.map((v) => [v.policy, v.message])).toEqual([
      [
        "image-activation-requires-passing-tests",
        expect.stringMatching(
          /^GlobalImage "win11": win11-24h2-avd 1\.1\.0 cannot be active: there is no test evidence\./,
        ),
      ],
    ]);
  });

  it("stops on a malformed evidence file, naming it, before anything is registered", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evidence-"));
    fs.mkdirSync(path.join(dir, "win11-24h2-avd"));
    const file = path.join(dir, "win11-24h2-avd", "1.1.0.json");
    fs.writeFileSync(file, '{"schema": "global-image.dev/evidence/v1"');
    await expect(
      runProgram(recorder, PROGRAM, devWith(undefined, { "global-image:evidenceDir": dir })),
    ).rejects.toThrow(`${file}: is not valid JSON`);
    expect(recorder.registrations).toHaveLength(0);
  });

  it("names the config key of a missing evidence directory", async () => {
    await expect(
      runProgram(
        recorder,
        PROGRAM,
        devWith(undefined, { "global-image:evidenceDir": "no-such-dir" }),
      ),
    ).rejects.toThrow(/^"global-image:evidenceDir" must be an existing directory/);
    expect(recorder.registrations).toHaveLength(0);
  });
});
