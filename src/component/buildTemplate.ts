/**
 * The Azure VM Image Builder template of one built version: the recipe as Image Builder takes it,
 * distributed to the build definition as the same version number, in the gallery's region only.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as virtualmachineimages from "@pulumi/azure-native/virtualmachineimages";
import type * as aibInputs from "@pulumi/azure-native/types/input";
import { BuildPlan, CustomizerPlan } from "../domain/builds/imageBuilder";
import { TagKey } from "../domain/common/tags";
import { VersionPlan } from "../domain/images/validate";
import type { BuiltVersionContext } from "./builtVersions";

type Customizer =
  | aibInputs.virtualmachineimages.ImageTemplatePowerShellCustomizerArgs
  | aibInputs.virtualmachineimages.ImageTemplateWindowsUpdateCustomizerArgs
  | aibInputs.virtualmachineimages.ImageTemplateRestartCustomizerArgs
  | aibInputs.virtualmachineimages.ImageTemplateFileCustomizerArgs;

/** The template's arguments. */
export function templateArgs(
  ctx: BuiltVersionContext,
  version: VersionPlan,
  build: BuildPlan,
  template: string,
): virtualmachineimages.VirtualMachineImageTemplateArgs {
  const { placement, support, plan } = ctx;
  const identityId = (build.identityId ?? support.identity?.id) as pulumi.Input<string>;
  const region = placement.location as pulumi.Input<string>;
  return {
    resourceGroupName: placement.resourceGroupName,
    imageTemplateName: template,
    location: placement.location,
    identity: { type: "UserAssigned", userAssignedIdentities: [identityId] },
    source:
      build.base.kind === "platform"
        ? {
            type: "PlatformImage",
            publisher: build.base.publisher,
            offer: build.base.offer,
            sku: build.base.sku,
            version: build.base.version,
          }
        : {
            type: "SharedImageVersion",
            imageVersionId: build.base.id as pulumi.Input<string>,
          },
    customize: build.customize.map(customizer),
    distribute: [
      {
        type: "SharedImage",
        // The version number the component publishes, in the build definition: Image Builder
        // never writes to the image itself, and the component never writes here.
        galleryImageId: pulumi.interpolate`${support.definitionId}/versions/${version.version}`,
        runOutputName: template,
        excludeFromLatest: true,
        targetRegions: [{ name: region, replicaCount: 1 }],
        artifactTags: {
          [TagKey.BuildFor]: plan.image.name,
          [TagKey.Version]: version.version,
          [TagKey.RecipeSha256]: build.recipeSha256,
        },
      },
    ],
    vmProfile: { vmSize: build.vmSize },
    buildTimeoutInMinutes: build.buildTimeoutInMinutes,
    autoRun: { state: "Enabled" },
    stagingResourceGroup: support.stagingGroupIds[version.version],
    tags: {
      ...placement.tags,
      [TagKey.Image]: plan.image.name,
      [TagKey.Version]: version.version,
      [TagKey.RecipeSha256]: build.recipeSha256,
    },
  };
}

/** One step as Image Builder takes it (`WindowsRestart` keeps its name; only set fields sent). */
function customizer(step: CustomizerPlan): Customizer {
  return Object.fromEntries(
    Object.entries(step).filter(([, v]) => v !== undefined),
  ) as unknown as Customizer;
}
