/** The SDK → ARM mapping, on its own: URL parameters, envelope, flattening, secrets. */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROVIDER_LOCATION, toArmRequest } from "../../src/contract/armRequest";
import { ARM_TYPES, specsRoot } from "../../src/contract/specs";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";

describe("toArmRequest", () => {
  it("takes URL parameters out of the body and keeps the envelope top level", () => {
    const { url, body } = toArmRequest(
      "azure-native:compute:GalleryImageVersion",
      {
        resourceGroupName: "rg",
        galleryName: "g",
        galleryImageName: "img",
        galleryImageVersionName: "1.0.0",
        location: "northeurope",
        tags: { a: "b" },
        publishingProfile: { excludeFromLatest: true },
        storageProfile: { source: { virtualMachineId: "/vm" } },
      },
      "img-1.0.0",
    );
    expect(url).toBe(
      `https://management.azure.com${SUB}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/img/versions/1.0.0?api-version=2024-03-03`,
    );
    expect(body).toEqual({
      location: "northeurope",
      tags: { a: "b" },
      properties: {
        publishingProfile: { excludeFromLatest: true },
        storageProfile: { source: { virtualMachineId: "/vm" } },
      },
    });
  });

  it("moves nested flattened members back (a NIC's ipConfigurations[].properties)", () => {
    const { body } = toArmRequest(
      "azure-native:network:NetworkInterface",
      {
        resourceGroupName: "rg",
        networkInterfaceName: "nic",
        ipConfigurations: [{ name: "ip", subnet: { id: "/subnet" }, primary: true }],
      },
      "nic",
    );
    expect(body).toEqual({
      location: PROVIDER_LOCATION,
      properties: {
        ipConfigurations: [
          { name: "ip", properties: { subnet: { id: "/subnet" }, primary: true } },
        ],
      },
    });
  });

  it("auto-names the resource after the program's name when the name argument is left out, unwraps secrets, keeps unknown keys", () => {
    const secret = {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: "pw",
    };
    const { url, body } = toArmRequest(
      "azure-native:compute:VirtualMachine",
      { resourceGroupName: "rg", osProfile: { adminPassword: secret }, notAField: 1 },
      "vm-0",
    );
    expect(url).toMatch(/\/virtualMachines\/vm-0[a-z0-9]{7}\?/); // auto-named, as Pulumi does
    expect(body).toEqual({
      location: PROVIDER_LOCATION,
      notAField: 1,
      properties: { osProfile: { adminPassword: "pw" } },
    });
  });

  it.each(Object.keys(ARM_TYPES))(
    "%s: its path is a PUT of its definition in its spec",
    (token) => {
      const type = ARM_TYPES[token];
      const spec = JSON.parse(fs.readFileSync(path.join(specsRoot(), type.spec), "utf8"));
      const op = spec.paths[type.path]?.put;
      expect(op).toBeDefined();
      const bodyParam = op.parameters.find((p: { in: string }) => p.in === "body");
      expect(bodyParam.schema.$ref).toBe(`#/definitions/${type.definition}`);
      expect(spec.info.version).toBe(type.apiVersion);
    },
  );
});
