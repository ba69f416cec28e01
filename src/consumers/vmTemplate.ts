/**
 * The host pool's `vmTemplate`: the JSON document the Azure portal's "Add session hosts" flow (and
 * tools that scale pools from it) reads to create session hosts. Keys and order follow what the
 * portal writes for a custom image:
 *
 * ```json
 * {"domain":"","galleryImageOffer":null,"galleryImagePublisher":null,"galleryImageSKU":null,
 *  "imageType":"CustomImage","customImageId":"<gallery image version id>","namePrefix":"avd",
 *  "osDiskType":"StandardSSD_LRS","vmSize":{"id":"Standard_D4s_v5","cores":4,"ram":16},
 *  "galleryItemId":null,"hibernate":false,"diskSizeGB":0,"securityType":"TrustedLaunch",
 *  "secureBoot":true,"vTPM":true,"vmInfrastructureType":"Cloud","virtualProcessorCount":null,
 *  "memoryGB":null,"maximumMemoryGB":null,"minimumMemoryGB":null,"dynamicMemoryConfig":false}
 * ```
 *
 * `customImageId` is always the exact version id, never the bare definition (which means
 * "latest"). `diskSizeGB` 0 keeps the image's disk size; `domain` "" means Microsoft Entra join.
 */
import { VmTemplatePlan } from "../domain/hostPools/hostPool";

/** The parsed `vmTemplate` document. */
export interface VmTemplateDocument {
  readonly domain: string;
  readonly galleryImageOffer: null;
  readonly galleryImagePublisher: null;
  readonly galleryImageSKU: null;
  readonly imageType: "CustomImage";
  readonly customImageId: string;
  readonly namePrefix: string;
  readonly osDiskType: string;
  readonly vmSize: { readonly id: string; readonly cores: number; readonly ram: number };
  readonly galleryItemId: null;
  readonly hibernate: boolean;
  readonly diskSizeGB: number;
  readonly securityType: string;
  readonly secureBoot: boolean;
  readonly vTPM: boolean;
  readonly vmInfrastructureType: "Cloud";
  readonly virtualProcessorCount: null;
  readonly memoryGB: null;
  readonly maximumMemoryGB: null;
  readonly minimumMemoryGB: null;
  readonly dynamicMemoryConfig: false;
}

/** The template document for a pool whose session hosts boot `customImageId`. */
export function vmTemplateDocument(
  plan: VmTemplatePlan,
  customImageId: string,
): VmTemplateDocument {
  return {
    domain: plan.domain,
    galleryImageOffer: null,
    galleryImagePublisher: null,
    galleryImageSKU: null,
    imageType: "CustomImage",
    customImageId,
    namePrefix: plan.namePrefix,
    osDiskType: plan.osDiskType,
    vmSize: { id: plan.vmSize, cores: plan.vmCores, ram: plan.vmRamGB },
    galleryItemId: null,
    hibernate: plan.hibernate,
    diskSizeGB: plan.diskSizeGB,
    securityType: plan.securityType,
    secureBoot: plan.secureBoot,
    vTPM: plan.vTPM,
    vmInfrastructureType: "Cloud",
    virtualProcessorCount: null,
    memoryGB: null,
    maximumMemoryGB: null,
    minimumMemoryGB: null,
    dynamicMemoryConfig: false,
  };
}

/** The `vmTemplate` string: compact JSON, stable for the same settings and image. */
export function vmTemplateJson(plan: VmTemplatePlan, customImageId: string): string {
  return JSON.stringify(vmTemplateDocument(plan, customImageId));
}
