import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf } from "../helpers/mocks";
import { runProgram, stackFileConfig } from "../helpers/program";

const recorder = installMocks("msp-images");
const DIR = path.join(__dirname, "..", "..", "examples", "msp-images");

describe("examples/msp-images", () => {
  it("deploys one gallery and two images with their roles", async () => {
    const exported = await runProgram(
      recorder,
      path.join(DIR, "index.ts"),
      stackFileConfig(path.join(DIR, "Pulumi.dev.yaml")),
      DIR,
    );
    expect(await promiseOf(pulumi.output(exported.roles))).toEqual({
      win11: { "1.0.0": "backup", "1.1.0": "active", "1.2.0": "staged" },
      server: { "2.0.0": "active", "2.1.0": "staged" },
    });
    const images = await promiseOf(pulumi.output(exported.images));
    expect(images.win11.activeVersionId).toMatch(
      /\/galleries\/msp_images\/images\/win11-24h2-avd\/versions\/1\.1\.0$/,
    );
    expect(images.server.stagedVersion).toBe("2.1.0");
    // The active versions' evidence, read from the example's evidence/ directory.
    const tags = (v: string) =>
      recorder.registered("azure-native:compute:GalleryImageVersion").find((r) => r.name === v)!
        .inputs.tags;
    expect(tags("win11-1.1.0")["global-image:tests"]).toBe("passed 3/3");
    expect(tags("server-2.0.0")["global-image:tests"]).toBe("passed 3/3");
    expect(tags("win11-1.2.0")["global-image:tests"]).toBeUndefined();
    expect(recorder.registered("azure-native:compute:Gallery")).toHaveLength(1);
    const sources = recorder
      .registered("azure-native:compute:GalleryImageVersion")
      .map((r) => r.inputs.storageProfile.source);
    expect(sources).toContainEqual({
      id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-image-build/providers/Microsoft.Compute/images/ws2022-rds-210",
    });
  });
});
