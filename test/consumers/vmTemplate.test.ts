import * as fs from "node:fs";
import * as path from "node:path";
import { planHostPool } from "../../src/domain/hostPools/hostPool";
import { vmTemplateDocument, vmTemplateJson } from "../../src/consumers/vmTemplate";
import { poolArgs } from "../fixtures/hostPool";

const VERSION_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/win11/versions/1.2.0";
const image = {
  imageName: "win11",
  imageDefinitionId: "/def",
  activeVersion: "1.2.0",
  activeVersionId: VERSION_ID,
};

/**
 * The shape the Azure portal writes into `properties.vmTemplate` for a host pool whose session
 * hosts boot a custom (Compute Gallery) image, and that "Add session hosts", autoscale and the
 * scaling tools read back. ARM does not validate this string, so its shape is pinned here: the
 * keys, their order and each value's JSON type, as in host pools the portal created and exported
 * (ARM template exports of `Microsoft.DesktopVirtualization/hostPools`, 2024-04-03), and as
 * Microsoft's own templates take it (Azure/RDS-Templates, ARM-wvd-templates/
 * CreateAndProvisionHostPool/CreateHostpoolTemplate.json, parameter `vmTemplate`). The fixture's
 * values are ours; the keys and types are the portal's.
 */
const PORTAL: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "fixtures", "vmTemplate.portal.json"), "utf8"),
);
const shape = (doc: Record<string, unknown>) =>
  Object.entries(doc).map(([k, v]) => [
    k,
    v === null ? "null" : Array.isArray(v) ? "array" : typeof v,
    v !== null && typeof v === "object" ? Object.keys(v as object) : undefined,
  ]);

describe("vmTemplate", () => {
  const plan = planHostPool("prod", poolArgs(image)).vmTemplate;

  it("writes the portal's keys in the portal's order, with the exact version id", () => {
    const json = vmTemplateJson(plan, VERSION_ID);
    expect(Object.keys(JSON.parse(json))).toEqual([
      "domain",
      "galleryImageOffer",
      "galleryImagePublisher",
      "galleryImageSKU",
      "imageType",
      "customImageId",
      "namePrefix",
      "osDiskType",
      "vmSize",
      "galleryItemId",
      "hibernate",
      "diskSizeGB",
      "securityType",
      "secureBoot",
      "vTPM",
      "vmInfrastructureType",
      "virtualProcessorCount",
      "memoryGB",
      "maximumMemoryGB",
      "minimumMemoryGB",
      "dynamicMemoryConfig",
    ]);
    expect(JSON.parse(json)).toMatchObject({
      domain: "",
      imageType: "CustomImage",
      customImageId: VERSION_ID,
      galleryImageOffer: null,
      namePrefix: "prod",
      osDiskType: "StandardSSD_LRS",
      vmSize: { id: "Standard_D4s_v5", cores: 4, ram: 16 },
      securityType: "TrustedLaunch",
      secureBoot: true,
      vTPM: true,
    });
  });

  it("has the portal's shape: the same keys, in order, with the same JSON types", () => {
    const ours = JSON.parse(vmTemplateJson(plan, VERSION_ID)) as Record<string, unknown>;
    expect(shape(ours)).toEqual(shape(PORTAL));
    expect(ours.customImageId).toMatch(
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/galleries\/[^/]+\/images\/[^/]+\/versions\/\d+\.\d+\.\d+$/,
    );
  });

  it("is the same string for the same settings and image, and differs only in the id for another version", () => {
    expect(vmTemplateJson(plan, VERSION_ID)).toBe(vmTemplateJson(plan, VERSION_ID));
    const other = vmTemplateDocument(plan, VERSION_ID.replace("1.2.0", "1.3.0"));
    expect({ ...other, customImageId: VERSION_ID }).toEqual(vmTemplateDocument(plan, VERSION_ID));
  });
});
