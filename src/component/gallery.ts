/**
 * The gallery and image definition under a GlobalImage or an ImageReplica: created (or an existing
 * gallery adopted) in the same way for both, so an image and its copies have one identity.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import { SecurityType } from "../domain/kinds";
import { TagKey } from "../domain/tags";
import { ImageDefinitionPlan } from "../domain/validate";

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
      tags: { ...args.tags, [TagKey.Image]: image.name },
    },
    { parent, dependsOn: gallery ? [gallery] : [] },
  );
}
