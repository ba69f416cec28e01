import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf } from "../helpers/mocks";
import { runProgram, stackFileConfig } from "../helpers/program";
import { stackConfigValues } from "../../src/program/stackFile";

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

describe("root program with Pulumi.dev.yaml", () => {
  it("deploys the resource group, one gallery and the demo image with its roles", async () => {
    const exported = await run(devConfig());
    const images = await promiseOf(pulumi.output(exported.images));
    expect(images.win11.activeVersion).toBe("1.0.0");
    expect(images.win11.stagedVersion).toBe("1.1.0");
    expect(images.win11.roles).toEqual({ "0.9.0": "backup", "1.0.0": "active", "1.1.0": "staged" });
    expect(images.win11.activeVersionId).toBe(
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-avd-images/providers/Microsoft.Compute/galleries/msp_images/images/win11-24h2-avd/versions/1.0.0",
    );
    expect(recorder.registered("azure-native:resources:ResourceGroup")).toHaveLength(1);
    expect(
      recorder.registered("azure-native:compute:Gallery").map((r) => r.inputs.galleryName),
    ).toEqual(["msp_images"]);
    expect(recorder.registered("azure-native:compute:GalleryImageVersion")).toHaveLength(3);
  });

  it("promotes with one config change", async () => {
    const config = devConfig();
    const images = JSON.parse(config["global-image:images"]);
    images.win11.activeVersion = "1.1.0";
    const exported = await run({ ...config, "global-image:images": JSON.stringify(images) });
    const out = await promiseOf(pulumi.output(exported.images));
    expect(out.win11.roles).toEqual({ "0.9.0": "retired", "1.0.0": "backup", "1.1.0": "active" });
  });

  it("names the config path of a bad value and registers nothing", async () => {
    const config = devConfig();
    const images = JSON.parse(config["global-image:images"]);
    images.win11.activeVersion = "2.0.0";
    const err = await programError({ ...config, "global-image:images": JSON.stringify(images) });
    expect(err.field).toBe("global-image:images.win11.activeVersion");
    expect(err.message).toMatch(
      /^"global-image:images\.win11\.activeVersion" must name one of the declared versions/,
    );
    expect(recorder.registrations).toHaveLength(0);
  });

  it.each([
    [
      "a misspelled image setting",
      (i: any) => (i.win11.activeVerison = "1.0.0"),
      "global-image:images.win11.activeVerison",
      /is not an image setting/,
    ],
    [
      "a bad replica count",
      (i: any) => (i.win11.regions[1].replicas = 0),
      "global-image:images.win11.regions[1].replicas",
      /at least 1/,
    ],
  ])("rejects %s", async (_name, change, field, message) => {
    const config = devConfig();
    const images = JSON.parse(config["global-image:images"]);
    change(images);
    const err = await programError({ ...config, "global-image:images": JSON.stringify(images) });
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
    expect(recorder.registrations).toHaveLength(0);
  });

  it.each([
    ["global-image:galleryName", "msp-images", /no hyphens/],
    ["global-image:createGallery", "yes", /must be true or false/],
    ["global-image:images", "{}", /at least one image/],
  ])("rejects %s = %s", async (key, value, message) => {
    const err = await programError({ ...devConfig(), [key]: value });
    expect(err.field).toBe(key);
    expect(err.message).toMatch(message);
    expect(recorder.registrations).toHaveLength(0);
  });
});

describe("stackConfigValues", () => {
  it("flattens structured values to JSON and keeps strings", () => {
    const values = stackConfigValues("config:\n  a:b: text\n  a:c:\n    x: [1, 2]\n");
    expect(values).toEqual({ "a:b": "text", "a:c": '{"x":[1,2]}' });
  });

  it("refuses secrets it cannot decrypt, naming the key", () => {
    expect(() =>
      stackConfigValues("config:\n  a:pw:\n    secure: AAE=\n", "Pulumi.x.yaml"),
    ).toThrow('Pulumi.x.yaml: "a:pw" is a secret');
  });
});
