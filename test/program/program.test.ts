import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import fc from "fast-check";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf } from "../helpers/mocks";
import { runProgram, stackFileConfig } from "../helpers/program";
import {
  SECRET_PLACEHOLDER,
  readStackConfig,
  stackConfigValues,
} from "../../src/program/stackFile";
import { ImageHandle } from "../../src/consumers/imageHandle";
import { NOW_VARIABLE } from "../../src/component/clock";
import { cli, rootProjectCopy } from "../helpers/cli";
import { ringStackText } from "../fixtures/ringStack";

const recorder = installMocks("global-image");
const ROOT = path.join(__dirname, "..", "..");
const devConfig = () => stackFileConfig(path.join(ROOT, "Pulumi.dev.yaml"));

const PROGRAM = path.join(ROOT, "src", "program", "index");
const run = (config: Record<string, string>) => runProgram(recorder, PROGRAM, config);

/** Runs the program with a config that must fail, returning the error. */
async function programError(config: Record<string, string>): Promise<Error & { field?: string }> {
  try {
    await run(config);
  } catch (err) {
    return err as Error;
  }
  throw new Error("the program accepted a bad config");
}

const DEF =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-avd-images/providers/Microsoft.Compute/galleries/msp_images/images/win11-24h2-avd";

/** The dev config with one change to a structured key. */
function devConfigWith(
  key: "images" | "hostPools",
  change: (value: any) => void,
): Record<string, string> {
  const config = devConfig();
  const value = JSON.parse(config[`global-image:${key}`]);
  change(value);
  return { ...config, [`global-image:${key}`]: JSON.stringify(value) };
}

/** Version → role, from the tags of the registered version resources. */
function registeredRoles(): Record<string, string> {
  return Object.fromEntries(
    recorder
      .registered("azure-native:compute:GalleryImageVersion")
      .map((r) => [r.inputs.galleryImageVersionName, r.inputs.tags["global-image:role"]]),
  );
}

describe("root program with Pulumi.dev.yaml", () => {
  it("deploys the resource group, one gallery, the demo image and its pools", async () => {
    const exported = await run(devConfig());
    const images = await promiseOf(pulumi.output(exported.images));
    expect(images.win11).toEqual({
      imageName: "win11-24h2-avd",
      imageDefinitionId: DEF,
      activeVersion: "1.0.0",
      activeVersionId: `${DEF}/versions/1.0.0`,
      stagedVersion: "1.1.0",
      stagedVersionId: `${DEF}/versions/1.1.0`,
      regions: ["westeurope", "northeurope"],
      versionIds: {
        "0.9.0": `${DEF}/versions/0.9.0`,
        "1.0.0": `${DEF}/versions/1.0.0`,
        "1.1.0": `${DEF}/versions/1.1.0`,
      },
      // What a replica in another stack plans from (ImageHandle.fromStackAsync).
      snapshot: expect.objectContaining({
        imageName: "win11-24h2-avd",
        activeVersion: "1.0.0",
        evidence: { "1.0.0": expect.objectContaining({ version: "1.0.0" }) },
      }),
    });
    expect(registeredRoles()).toEqual({ "0.9.0": "backup", "1.0.0": "active", "1.1.0": "staged" });
    const pools = await promiseOf(pulumi.output(exported.hostPools));
    expect(
      Object.fromEntries(Object.entries(pools).map(([k, p]: [string, any]) => [k, p.imageVersion])),
    ).toEqual({
      "hp-prod-office": "1.0.0",
      "hp-prod-finance": "1.0.0",
      "hp-validation": "1.1.0",
    });
    expect(recorder.registered("azure-native:resources:ResourceGroup")).toHaveLength(1);
    expect(
      recorder.registered("azure-native:compute:Gallery").map((r) => r.inputs.galleryName),
    ).toEqual(["msp_images"]);
    const office = recorder.get(
      "azure-native:desktopvirtualization:HostPool",
      "hp-prod-office-pool",
    ).inputs;
    expect(office).toMatchObject({
      resourceGroupName: "rg-avd-images",
      maxSessionLimit: 12,
      tags: {
        owner: "platform-team",
        "global-image:image": "win11-24h2-avd",
        "global-image:version": "1.0.0",
      },
    });
    expect(JSON.parse(office.vmTemplate)).toMatchObject({
      namePrefix: "avd-office",
      vmSize: { id: "Standard_D8s_v5", cores: 8, ram: 32 },
    });
  });

  it("promotes with one config change: production pools move, nothing is staged any more", async () => {
    const exported = await run(devConfigWith("images", (i) => (i.win11.activeVersion = "1.1.0")));
    expect(registeredRoles()).toEqual({ "0.9.0": "retired", "1.0.0": "backup", "1.1.0": "active" });
    const pools = await promiseOf(pulumi.output(exported.hostPools));
    expect(Object.values(pools).map((p: any) => p.imageVersion)).toEqual([
      "1.1.0",
      "1.1.0",
      "1.1.0",
    ]);
    expect((await promiseOf(pulumi.output(exported.images))).win11.stagedVersion).toBeUndefined();
  });

  it("rolls back with one config change", async () => {
    const exported = await run(
      devConfigWith("images", (i) => {
        i.win11.activeVersion = "0.9.0";
        delete i.win11.stagedVersion;
        // What `global-image rollback --to 0.9.0` writes: the versions left are withdrawn.
        i.win11.versions["1.0.0"].withdrawn = true;
        i.win11.versions["1.1.0"].withdrawn = true;
      }),
    );
    expect(registeredRoles()).toEqual({
      "0.9.0": "active",
      "1.0.0": "withdrawn",
      "1.1.0": "withdrawn",
    });
    const pools = await promiseOf(pulumi.output(exported.hostPools));
    expect(pools["hp-prod-office"].imageVersion).toBe("0.9.0");
  });

  it("a customer stack reads the exported handle with ImageHandle.fromStack", async () => {
    const exported = await run(devConfig());
    recorder.stackOutputs["contoso/global-image/dev"] = {
      images: await promiseOf(pulumi.output(exported.images)),
    };
    const handle = ImageHandle.fromStack(
      new pulumi.StackReference("contoso/global-image/dev"),
      "images.win11",
    );
    expect(await promiseOf(handle.activeVersionId)).toBe(`${DEF}/versions/1.0.0`);
    expect(await promiseOf(handle.stagedVersion)).toBe("1.1.0");
  });

  it.each([
    [
      "images",
      "an undeclared activeVersion",
      (i: any) => (i.win11.activeVersion = "2.0.0"),
      "global-image:images.win11.activeVersion",
      /^"global-image:images\.win11\.activeVersion" must name one of the declared versions/,
    ],
    [
      "images",
      "a misspelled image setting",
      (i: any) => (i.win11.activeVerison = "1.0.0"),
      "global-image:images.win11.activeVerison",
      /is not a known setting here/,
    ],
    [
      "images",
      "a bad replica count",
      (i: any) => (i.win11.regions[1].replicas = 0),
      "global-image:images.win11.regions[1].replicas",
      /at least 1/,
    ],
    [
      "hostPools",
      "a pool on an undeclared image",
      (p: any) => (p["hp-validation"].image = "win10"),
      "global-image:hostPools.hp-validation.image",
      /must name an image of global-image:images or a replica of global-image:replicas \("win11"\)/,
    ],
    [
      "hostPools",
      "a misspelled pool setting",
      (p: any) => (p["hp-prod-office"].maxSessions = 4),
      "global-image:hostPools.hp-prod-office.maxSessions",
      /is not a known setting here/,
    ],
    [
      "hostPools",
      "a bad template setting",
      (p: any) => (p["hp-prod-finance"].vmTemplate.namePrefix = "finance-department"),
      "global-image:hostPools.hp-prod-finance.vmTemplate.namePrefix",
      /1-11 letters/,
    ],
    [
      "hostPools",
      "a bad pool type",
      (p: any) => (p["hp-prod-finance"].hostPoolType = "pooled"),
      "global-image:hostPools.hp-prod-finance.hostPoolType",
      /"Pooled", "Personal"/,
    ],
  ])(
    "rejects in %s %s, naming the config path and registering nothing",
    async (key, _name, change, field, message) => {
      const err = await programError(devConfigWith(key as "images" | "hostPools", change));
      expect(err.field).toBe(field);
      expect(err.message).toMatch(message);
      expect(recorder.registrations).toHaveLength(0);
    },
  );

  it.each([
    ["global-image:galleryName", "msp-images", /no hyphens/],
    ["global-image:createGallery", "yes", /must be true or false/],
    ["global-image:images", "{}", /at least one image/],
    ["global-image:hostPools", "[]", /must be an object/],
  ])("rejects %s = %s", async (key, value, message) => {
    const err = await programError({ ...devConfig(), [key]: value });
    expect(err.field).toBe(key);
    expect(err.message).toMatch(message);
    expect(recorder.registrations).toHaveLength(0);
  });
});

describe("errors found once Azure is read", () => {
  // Such an error fails the program through its outputs (as it fails `pulumi up`), which a test
  // runner takes for its own failure: the fixture runs in a process of its own and prints them.
  it("name the config path once, without the serializer's wrapping (a build still running, made active)", () => {
    const run = spawnSync(
      process.execPath,
      [
        "-r",
        path.join(ROOT, "scripts", "registerTypeScript.cjs"),
        path.join(__dirname, "..", "fixtures", "rootBuildRefusal.ts"),
      ],
      { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
    );
    const failures = [...new Set(run.stdout.split("\n").filter((l) => l.startsWith("failed: ")))];
    expect(failures).toEqual([
      expect.stringMatching(
        /^failed: "global-image:images\.win11\.versions\["1\.1\.0"\]\.source\.imageBuilder" belongs to the active version 1\.1\.0, which Image Builder has not built: .* is building \(Customizing\)/,
      ),
    ]);
    expect(run.status).toBe(3);
  });
});

describe("one clock: rings, status and the program check runs agree", () => {
  const dir = rootProjectCopy();
  const stackFile = path.join(dir, "Pulumi.dev.yaml");
  const demo = fs.readFileSync(stackFile, "utf8");
  const T0 = Date.parse("2026-11-01T00:00:00Z");
  afterAll(() => delete process.env[NOW_VARIABLE]);

  it("on every ring's version, for random clocks and activation times", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 45 * 24 * 60 }),
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        async (activatedMinutes, sinceMinutes) => {
          const activatedAt = new Date(T0 + activatedMinutes * 60_000).toISOString();
          const now = new Date(Date.parse(activatedAt) + sinceMinutes * 60_000);
          fs.writeFileSync(
            stackFile,
            ringStackText(demo).replace("2026-12-01T10:00:00Z", activatedAt),
          );
          const rings = JSON.parse((await cli(["rings", "--json"], dir, now)).stdout);
          const ring = (name: string) =>
            rings.images[0].rings.find((r: any) => r.ring === name).version;
          const status = JSON.parse((await cli(["status", "--json"], dir, now)).stdout).images[0];
          // What `check` does: the program at the check's clock (its GLOBAL_IMAGE_NOW).
          process.env[NOW_VARIABLE] = now.toISOString();
          const exported = await runProgram(recorder, PROGRAM, stackFileConfig(stackFile), dir);
          const program = {
            finance: await promiseOf((exported.hostPools as any)["hp-prod-finance"].imageVersion),
            fabrikam: ((await promiseOf((exported.replicas as any).fabrikam)) as any).activeVersion,
          };
          const statusSays = {
            finance: status.hostPools.find((p: any) => p.name === "hp-prod-finance").version,
            fabrikam: status.replicas.find((r: any) => r.name === "fabrikam").version,
          };
          const ringsSay = { finance: ring("broad"), fabrikam: ring("early") };
          expect(statusSays).toEqual(ringsSay);
          expect(program).toEqual(ringsSay);
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe("stackConfigValues", () => {
  it("flattens structured values to JSON and keeps strings", () => {
    const values = stackConfigValues("config:\n  a:b: text\n  a:c:\n    x: [1, 2]\n");
    expect(values).toEqual({ "a:b": "text", "a:c": '{"x":[1,2]}' });
  });

  it("reads secrets of other namespaces as a placeholder, marked secret", () => {
    const text = "config:\n  a:pw:\n    secure: AAE=\n  a:o:\n    x:\n      secure: AAE=\n";
    expect(readStackConfig(text, "Pulumi.x.yaml")).toEqual({
      values: { "a:pw": SECRET_PLACEHOLDER, "a:o": JSON.stringify({ x: SECRET_PLACEHOLDER }) },
      secretKeys: ["a:pw", "a:o"],
    });
  });

  it("refuses a secret in the global-image namespace, naming the key", () => {
    expect(() =>
      stackConfigValues("config:\n  global-image:tags:\n    secure: AAE=\n", "Pulumi.x.yaml"),
    ).toThrow('Pulumi.x.yaml: "global-image:tags" holds a secret');
  });
});
