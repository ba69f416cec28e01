/**
 * The gallery and image definition under a GlobalImage or an ImageReplica: created (or an existing
 * gallery adopted) in the same way for both, so an image and its copies have one identity.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import { SecurityType } from "../domain/common/kinds";
import { TagKey } from "../domain/common/tags";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { ImageDefinitionPlan, ImagePlan, VersionPlan } from "../domain/images/validate";
import type { VersionTimeoutsArgs } from "./args";
import { DEFAULT_VERSION_TIMEOUTS, publishingProfile, safetyProfile } from "./versionInputs";

/** Where a gallery and its image definition live. */
export interface GalleryPlacement {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly galleryName: pulumi.Input<string>;
  readonly location?: pulumi.Input<string>;
  readonly createGallery?: boolean;
  readonly tags?: { [key: string]: pulumi.Input<string> };
}

export interface GalleryRef {
  readonly id: pulumi.Output<string>;
  /** The created gallery, for the image definition to depend on; none when adopted. */
  readonly dependency?: pulumi.Resource;
}

export function galleryIdOf(
  name: string,
  args: GalleryPlacement,
  parent: pulumi.Resource,
): GalleryRef {
  if (args.createGallery === false) {
    const existing = compute.getGalleryOutput(
      { resourceGroupName: args.resourceGroupName, galleryName: args.galleryName },
      { parent },
    );
    return { id: existing.id };
  }
  const gallery = new compute.Gallery(
    `${name}-gallery`,
    {
      resourceGroupName: args.resourceGroupName,
      galleryName: args.galleryName,
      location: args.location,
      tags: args.tags,
    },
    { parent },
  );
  return { id: gallery.id, dependency: gallery };
}

export function imageDefinition(
  name: string,
  args: GalleryPlacement,
  image: ImageDefinitionPlan,
  gallery: pulumi.Resource | undefined,
  parent: pulumi.Resource,
  tags: Record<string, pulumi.Input<string>> = { ...args.tags, [TagKey.Image]: image.name },
): compute.GalleryImage {
  const features =
    image.securityType === SecurityType.Standard
      ? undefined
      : [{ name: "SecurityType", value: image.securityType }];
  return new compute.GalleryImage(
    `${name}-image`,
    {
      resourceGroupName: args.resourceGroupName,
      galleryName: args.galleryName,
      galleryImageName: image.name,
      location: args.location,
      identifier: { publisher: image.publisher, offer: image.offer, sku: image.sku },
      osType: image.osType,
      osState: image.osState,
      hyperVGeneration: image.hyperVGeneration,
      features,
      description: image.description,
      tags,
    },
    { parent, dependsOn: gallery ? [gallery] : [] },
  );
}

/** What differs between a version of a GlobalImage and a copy made by an ImageReplica. */
export interface VersionContent {
  readonly storageProfile: azureInputs.compute.GalleryImageVersionStorageProfileArgs;
  readonly tags: Record<string, pulumi.Input<string>>;
}

/** Where a plan's version resources go, and how long Azure may take with them. */
export type VersionPlacement = GalleryPlacement & { readonly customTimeouts?: VersionTimeoutsArgs };

/**
 * The version resources of a plan, one per version, named by the version only (never by its
 * role: a promotion updates flags and tags in place), each protected while its role is.
 * Versions for which `content` returns undefined are declared elsewhere (built versions).
 */
export function versionResources(
  name: string,
  placement: VersionPlacement,
  plan: ImagePlan,
  content: (version: VersionPlan) => VersionContent | undefined,
  definition: compute.GalleryImage,
  parent: pulumi.Resource,
): Record<string, compute.GalleryImageVersion> {
  const resources: Record<string, compute.GalleryImageVersion> = {};
  for (const version of plan.versions) {
    const own = content(version);
    if (own === undefined) continue;
    resources[version.version] = versionResource(
      name,
      placement,
      plan,
      version,
      own,
      definition,
      parent,
    );
  }
  return resources;
}

/** One version resource (see {@link versionResources}); `opts` adds to its options. */
export function versionResource(
  name: string,
  placement: VersionPlacement,
  plan: ImagePlan,
  version: VersionPlan,
  content: VersionContent,
  definition: compute.GalleryImage,
  parent: pulumi.Resource,
  opts: pulumi.CustomResourceOptions = {},
): compute.GalleryImageVersion {
  return new compute.GalleryImageVersion(
    `${name}-${version.version}`,
    {
      resourceGroupName: placement.resourceGroupName,
      galleryName: placement.galleryName,
      galleryImageName: plan.image.name,
      galleryImageVersionName: version.version,
      location: placement.location,
      ...content,
      publishingProfile: publishingProfile(version),
      safetyProfile: safetyProfile(version),
    },
    {
      ...opts,
      parent,
      dependsOn: [definition, ...((opts.dependsOn as pulumi.Resource[] | undefined) ?? [])],
      // Unprotected roles leave `protect` unset, so a protect on the component still applies.
      protect: version.protect ? true : undefined,
      customTimeouts: { ...DEFAULT_VERSION_TIMEOUTS, ...placement.customTimeouts },
    },
  );
}
