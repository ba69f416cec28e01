/**
 * Engine conformance: the built policy pack, the root program and a cases stack run as the Pulumi
 * engine runs them (its gRPC protocol, the SDK's entry points; see engine.ts), and `global-image
 * check` gives the same verdict. A handful of processes for the whole suite: one pack and one
 * program per deployment.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cli } from "../helpers/cli";
import { stackFileConfig } from "../helpers/program";
import { Deployment, Engine, Pack, SharedPack, deploy, engineConfig, sharedPack } from "./engine";
import { PACK, checkVerdict, engineVerdict } from "./verdict";

const REPO = path.join(__dirname, "..", "..");
const CASES = path.join(__dirname, "cases");

async function checkOf(dir: string, stack: string): Promise<string[]> {
  const run = await cli(["check", "--stack", stack, "--json"], dir);
  if (run.code === 2) throw new Error(`check could not run: ${run.stderr}`);
  return checkVerdict(JSON.parse(run.stdout));
}

const FIXED_NOW = "2026-11-25T12:00:00Z";

/** One pack process for the deployments of this suite (the config-typo case starts its own). */
let pack: SharedPack;

beforeAll(async () => {
  if (!fs.existsSync(path.join(PACK, "index.js")))
    throw new Error("dist/policy-pack is not built: run `npm run build` (npm test does)");
  // The pack and programs read the clock through this variable (rings, evidence age).
  process.env.GLOBAL_IMAGE_NOW = FIXED_NOW;
  pack = await sharedPack(PACK);
}, 60_000);
afterAll(() => {
  pack?.stop();
  delete process.env.GLOBAL_IMAGE_NOW;
});

describe("the cases stack under the engine and under check", () => {
  const run = {
    root: CASES,
    main: "index.ts",
    project: "engine-cases",
    stack: "engine",
    config: {},
  };
  let update: Deployment;
  let preview: Deployment;
  let checked: string[];

  beforeAll(async () => {
    [update, preview, checked] = await Promise.all([
      deploy({ ...run, mode: "update" }, pack),
      deploy({ ...run, mode: "preview" }, pack),
      checkOf(CASES, "engine"),
    ]);
  }, 240_000);

  it("gives check's verdict in an update, message for message", () => {
    expect(engineVerdict(update)).toEqual(checked);
  });

  it("fails the same resources under the same policies in a first preview (ids still unknown)", () => {
    // check models a stack whose ids are known; a first preview knows none, so some messages say
    // "unknown during this preview" instead. Which resource fails which policy is the same.
    const who = (lines: string[]) => lines.map((l) => l.slice(0, l.indexOf(": "))).sort();
    expect(who(engineVerdict(preview))).toEqual(who(checked));
  });

  it.each([
    [
      "a production VM on the staged version",
      "mandatory consumers-use-active-version",
      "compute:VirtualMachine::vm-on-staged",
      /boots win11 1\.1\.0, which is staged/,
    ],
    [
      "a scale set on the bare image definition",
      "mandatory consumers-use-active-version",
      "VirtualMachineScaleSet::vmss-on-definition",
      /boots the bare image definition of win11/,
    ],
    [
      "a host pool on the staged version",
      "mandatory consumers-use-active-version",
      "HostPool::pool-on-staged",
      /boots win11 1\.1\.0, which is staged/,
    ],
    [
      "a promotion without evidence",
      "mandatory image-activation-requires-passing-tests",
      "GlobalImage::unproven",
      /win11-unproven 2\.0\.0 cannot be active: there is no test evidence/,
    ],
    [
      "an image keeping no backup",
      "advisory backups-protected",
      "GlobalImage::nobackup",
      /keeps 0 backup\(s\)/,
    ],
    [
      "a backup left unprotected",
      "advisory backups-protected",
      "GalleryImageVersion::unprotected-1.0.0",
      /\(win11-unprotected 1\.0\.0, backup\): lacks the protect resource option/,
    ],
    [
      "a replica ahead of its ring",
      "mandatory ring-order-respected",
      "ImageReplica::customer-broad",
      /it runs 1\.1\.0, which ring "broad" may not have yet/,
    ],
    [
      "a version declared outside the component, in latest",
      "mandatory non-active-versions-excluded-from-latest",
      "GalleryImageVersion::handmade-1.2.0",
      /declared outside GlobalImage "img"\): excludeFromLatest is not true/,
    ],
    [
      "an active version not replicated to a consumer's region",
      "advisory active-version-replicated-to-consumer-regions",
      "HostPool::far-pool",
      /it is in eastus, but win11 1\.0\.0 is replicated only to westeurope/,
    ],
  ])("the engine reports %s", (_case, policy, urn, message) => {
    const found = engineVerdict(update).filter(
      (v) => v.startsWith(`${policy} `) && v.includes(urn),
    );
    expect(found).toEqual([expect.stringMatching(message)]);
  });

  it("passes what is right: pools on the active and staged versions, a pool on its ring's version", () => {
    const all = engineVerdict(update).join("\n");
    expect(all).not.toMatch(/::prod-pool|::validation-pool|::ring-early-pool/);
  });

  it("identifies the component's versions from outputs only (no URL parameters in AnalyzeStack)", () => {
    const version = update.resources.find((r) => r.name === "img-1.1.0")!;
    expect(version.inputs.galleryImageVersionName).toBe("1.1.0");
    expect(version.outputs).not.toHaveProperty("galleryImageVersionName");
    expect(version.outputs.name).toBe("1.1.0");
    const component = update.resources.find((r) => r.type === "global-image:index:GlobalImage")!;
    expect(Object.keys(component.outputs)).toContain("guardrails");
    expect(component.outputs).not.toHaveProperty("versions"); // an input, never an output
  });
});

describe("the root project as `pulumi up` runs it", () => {
  const config = stackFileConfig(path.join(REPO, "Pulumi.dev.yaml"));
  const run = {
    root: REPO,
    main: "src/program/index.ts",
    project: "global-image",
    stack: "dev",
    config,
  };

  it("runs in src/program/ with evidenceDir resolved from the project root, and judges as check does", async () => {
    const [update, checked] = await Promise.all([
      deploy({ ...run, mode: "update" }, pack),
      checkOf(REPO, "dev"),
    ]);
    expect(update.stderr).not.toMatch(/evidenceDir/);
    expect(engineVerdict(update)).toEqual(checked);
    expect(
      update.resources.filter((r) => r.type === "global-image:index:ImageHostPool"),
    ).toHaveLength(3);
  }, 180_000);

  it("fails on a policy-config key no policy has, as every global-image command does", async () => {
    const typo = { "backups-protected": { minBackup: 2 } };
    // The engine validates the config against what GetAnalyzerInfo reports (properties and
    // required only), so the typo reaches the pack; the pack's policies refuse it when they run.
    const engine = new Engine("global-image", "dev", "preview");
    const pack = await Pack.start(PACK, await engine.start(), {});
    try {
      const info = await pack.info();
      expect(info.find((p) => p.name === "backups-protected")?.schema?.properties).toHaveProperty(
        "minBackups",
      );
      await pack.configure(engineConfig(info, typo));
      await expect(pack.analyzeStack([])).rejects.toThrow(
        /policy config of "backups-protected": "minBackup" is not a setting of this policy/,
      );
    } finally {
      pack.stop();
      engine.stop();
    }
    const file = path.join(REPO, "dist", "typo-policy-config.json");
    fs.writeFileSync(file, JSON.stringify(typo));
    const offline = await cli(["check", "--stack", "dev", "--policy-config", file], REPO);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toMatch(
      /"backups-protected\.minBackup" is not a setting of backups-protected/,
    );
  }, 60_000);
});
