import { planHostPool } from "../../src/domain/hostPool";
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

  it("is the same string for the same settings and image, and differs only in the id for another version", () => {
    expect(vmTemplateJson(plan, VERSION_ID)).toBe(vmTemplateJson(plan, VERSION_ID));
    const other = vmTemplateDocument(plan, VERSION_ID.replace("1.2.0", "1.3.0"));
    expect({ ...other, customImageId: VERSION_ID }).toEqual(vmTemplateDocument(plan, VERSION_ID));
  });
});
