import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf } from "../helpers/mocks";
import { runProgram, stackFileConfig } from "../helpers/program";

const recorder = installMocks("customer-replica");
const DIR = path.join(__dirname, "..", "..", "examples", "customer-replica");
const MSP_VERSIONS =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-msp-images/providers/Microsoft.Compute/galleries/msp_images/images/win11-24h2-avd/versions";

describe("examples/customer-replica", () => {
  it("copies the MSP image into each customer's gallery through the customer's provider", async () => {
    const exported = await runProgram(
      recorder,
      path.join(DIR, "index.ts"),
      stackFileConfig(path.join(DIR, "Pulumi.dev.yaml")),
      DIR,
    );
    const replicas = await promiseOf(pulumi.output(exported.replicas));
    expect(replicas.fabrikam.roles).toEqual({ "1.0.0": "backup", "1.1.0": "active" });
    expect(replicas.tailspin.roles).toEqual({
      "1.0.0": "backup",
      "1.1.0": "active",
      "1.2.0": "staged",
    });
    expect(replicas.fabrikam.prodVersion).toBe("1.1.0");
    expect(replicas.tailspin.validationVersion).toBe("1.2.0");
    expect(replicas.tailspin.image.activeVersionId).toMatch(
      /resourceGroups\/rg-tailspin-avd\/providers\/Microsoft.Compute\/galleries\/tailspin_images\/images\/win11-24h2-avd\/versions\/1\.1\.0$/,
    );

    const providers = recorder.registered("pulumi:providers:azure-native");
    expect(providers.map((p) => [p.name, p.inputs.auxiliaryTenantIds])).toEqual([
      ["fabrikam-azure", JSON.stringify(["aaaaaaaa-0000-0000-0000-000000000001"])],
      ["tailspin-azure", JSON.stringify(["aaaaaaaa-0000-0000-0000-000000000001"])],
    ]);
    for (const customer of ["fabrikam", "tailspin"]) {
      const children = recorder
        .customResources()
        .filter((r) => r.name.startsWith(`${customer}-`) && r.name !== `${customer}-azure`);
      expect(children.length).toBeGreaterThanOrEqual(5);
      for (const child of children)
        expect([child.name, child.provider]).toEqual([
          child.name,
          expect.stringContaining(`::${customer}-azure::`),
        ]);
    }
    // Each copy's source is the MSP version itself; the evidence travels with it.
    const copy = recorder.get("azure-native:compute:GalleryImageVersion", "tailspin-1.1.0");
    expect(copy.inputs.storageProfile).toEqual({ source: { id: `${MSP_VERSIONS}/1.1.0` } });
    expect(copy.inputs.tags["global-image:tests"]).toBe("passed 3/3");
  });
});
