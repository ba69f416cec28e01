import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf } from "../helpers/mocks";
import { runProgram, stackFileConfig } from "../helpers/program";

const recorder = installMocks("customer-hostpools");
const DIR = path.join(__dirname, "..", "..", "examples", "customer-hostpools");
const VERSIONS =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-msp-images/providers/Microsoft.Compute/galleries/msp_images/images/win11-24h2-avd/versions";

describe("examples/customer-hostpools", () => {
  it("binds production and the scale set to the active version, validation to the staged one", async () => {
    Object.assign(
      recorder.stackOutputs,
      JSON.parse(fs.readFileSync(path.join(DIR, "stack-outputs.json"), "utf8")),
    );
    const exported = await runProgram(
      recorder,
      path.join(DIR, "index.ts"),
      stackFileConfig(path.join(DIR, "Pulumi.dev.yaml")),
      DIR,
    );
    expect(await promiseOf(pulumi.output(exported.productionVersion))).toBe("1.1.0");
    expect(await promiseOf(pulumi.output(exported.validationVersion))).toBe("1.2.0");
    await promiseOf(pulumi.output(exported.renderScaleSetId));
    const [scaleSet] = recorder.registered("azure-native:compute:VirtualMachineScaleSet");
    expect(scaleSet.inputs.virtualMachineProfile.storageProfile.imageReference).toEqual({
      id: `${VERSIONS}/1.1.0`,
    });
    const pools = recorder.registered("azure-native:desktopvirtualization:HostPool");
    expect(pools.map((p) => JSON.parse(p.inputs.vmTemplate).customImageId)).toEqual([
      `${VERSIONS}/1.1.0`,
      `${VERSIONS}/1.2.0`,
    ]);
  });
});
