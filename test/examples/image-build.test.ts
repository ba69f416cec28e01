import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf } from "../helpers/mocks";
import { runProgram, stackFileConfig } from "../helpers/program";
import { cli, rootProjectCopy } from "../helpers/cli";

const recorder = installMocks("image-build");
const DIR = path.join(__dirname, "..", "..", "examples", "image-build");
const TEMPLATE = "azure-native:virtualmachineimages:VirtualMachineImageTemplate";
const VERSION = "azure-native:compute:GalleryImageVersion";

// check --against compiles and runs the program in worker processes, as the Pulumi CLI would.
jest.setTimeout(180_000);

async function run() {
  const exported = await runProgram(
    recorder,
    path.join(DIR, "index.ts"),
    stackFileConfig(path.join(DIR, "Pulumi.dev.yaml")),
    DIR,
  );
  const builds = await promiseOf(pulumi.output(exported.builds));
  const roles = await promiseOf(pulumi.output(exported.roles));
  await promiseOf(pulumi.output(exported.images)).catch(() => undefined);
  return { builds, roles, versions: recorder.registered(VERSION).map((r) => r.name) };
}

describe("examples/image-build", () => {
  beforeEach(() => {
    recorder.live.imageTemplates = {};
    recorder.live.galleryVersions = {};
  });

  it("first up: a captured version active, the built one's template created and nothing published", async () => {
    const { builds, roles, versions } = await run();
    expect(roles).toEqual({ "0.9.0": "backup", "1.0.0": "active", "1.1.0": "staged" });
    expect(builds["1.1.0"]).toMatchObject({ state: "starting", template: "win11-24h2-m365-1.1.0" });
    expect(versions.sort()).toEqual(["win11-0.9.0", "win11-1.0.0"]);
    const template = recorder.get(TEMPLATE, "win11-1.1.0-build").inputs;
    expect(template.customize.map((s: any) => s.name)).toEqual([
      "language-packs",
      "fslogix",
      "teams-optimization",
      "4-WindowsUpdate",
      "5-WindowsRestart",
    ]);
    expect(template.customize[0].scriptUri).toBe(
      "https://contosoimages.blob.core.windows.net/scripts/install-language-packs.ps1",
    );
  });

  it("a later up after the build succeeded publishes 1.1.0, staged, from the build's output", async () => {
    await run();
    const tags = recorder.get(TEMPLATE, "win11-1.1.0-build").inputs.tags;
    recorder.live.imageTemplates["win11-24h2-m365-1.1.0"] = {
      lastRunStatus: { runState: "Succeeded" },
      tags,
    };
    const { builds, versions } = await run();
    expect(builds["1.1.0"].state).toBe("built");
    expect(versions).toContain("win11-1.1.0");
    const version = recorder.get(VERSION, "win11-1.1.0").inputs;
    expect(version.storageProfile.source.id).toMatch(
      /\/galleries\/msp_images\/images\/win11-24h2-m365-build\/versions\/1\.1\.0$/,
    );
    expect(version.publishingProfile.excludeFromLatest).toBe(true);
  });
});

describe("check --against a built version's recipe", () => {
  /** The demo stack with 1.1.0 built from a recipe whose VM size is `vmSize`. */
  function withRecipe(file: string, vmSize: string): void {
    const text = fs.readFileSync(file, "utf8");
    const built = text.replace(
      /( +)"1\.1\.0":\n +source:\n +virtualMachineId: .*\n/,
      (_m, indent: string) =>
        [
          `${indent}"1.1.0":`,
          `${indent}  source:`,
          `${indent}    imageBuilder:`,
          `${indent}      base: { publisher: MicrosoftWindowsDesktop, offer: office-365, sku: win11-24h2-avd-m365 }`,
          `${indent}      customize: [{ type: WindowsUpdate }, { type: WindowsRestart }]`,
          `${indent}      vmSize: ${vmSize}`,
          "",
        ].join("\n"),
    );
    expect(built).not.toBe(text);
    fs.writeFileSync(file, built);
  }

  it("the root project builds a version from its stack config and reports it in `builds`", async () => {
    const dir = rootProjectCopy();
    const stack = path.join(dir, "Pulumi.dev.yaml");
    withRecipe(stack, "Standard_D4s_v5");
    const exported = await runProgram(
      recorder,
      path.join(__dirname, "..", "..", "src", "program", "index.ts"),
      stackFileConfig(stack),
      dir,
    );
    const builds = await promiseOf(pulumi.output(exported.builds));
    expect(builds.win11["1.1.0"]).toMatchObject({
      state: "starting",
      template: "win11-24h2-avd-1.1.0",
    });
    expect(recorder.get(TEMPLATE, "win11-1.1.0-build").inputs.vmProfile).toMatchObject({
      vmSize: "Standard_D4s_v5",
    });
  });

  it("status says which versions Image Builder builds, with their recipe's digest", async () => {
    const dir = rootProjectCopy();
    withRecipe(path.join(dir, "Pulumi.dev.yaml"), "Standard_D4s_v5");
    const run = await cli(["status", "--json"], dir);
    const versions = JSON.parse(run.stdout).images[0].versions;
    expect(versions.map((v: any) => [v.version, v.recipeSha256 ?? null])).toEqual([
      ["0.9.0", null],
      ["1.0.0", null],
      ["1.1.0", expect.stringMatching(/^[0-9a-f]{64}$/)],
    ]);
    expect((await cli(["status"], dir)).stdout).toMatch(
      /1\.1\.0 +staged .*\(Image Builder, recipe [0-9a-f]{12}\)/,
    );
  });

  it("fails on a changed recipe of a version the base built: publish a new version", async () => {
    const dir = rootProjectCopy();
    const stack = path.join(dir, "Pulumi.dev.yaml");
    withRecipe(stack, "Standard_D4s_v5");
    fs.copyFileSync(stack, path.join(dir, "base.yaml"));
    fs.writeFileSync(
      stack,
      fs.readFileSync(stack, "utf8").replace("vmSize: Standard_D4s_v5", "vmSize: Standard_D8s_v5"),
    );
    const changed = await cli(["check", "--against", "base.yaml", "--json"], dir);
    expect(changed.code).toBe(1);
    const blocking = JSON.parse(changed.stdout).blocking.map(
      (b: any) => `${b.kind} ${b.urn.split("::").pop()}: ${b.reason}`,
    );
    expect(blocking).toEqual([
      "replace win11-1.1.0: is an existing image version and would be replaced: publish a new version number instead",
    ]);
  });
});
