/**
 * The outputs a GlobalImage and an ImageReplica share, computed one way for both, so a replica is
 * bound to exactly like an image (`handle()`, ImageHostPool, vmImageReference, imageTags).
 */
import * as pulumi from "@pulumi/pulumi";
import type * as compute from "@pulumi/azure-native/compute";
import { rememberNames, rememberVersionIds } from "../consumers/knownNames";
import { ImageRole } from "../domain/roles";
import { ImageSnapshot } from "../domain/snapshot";
import { ImagePlan } from "../domain/validate";

/** The outputs of an image component. */
export interface ImageOutputs {
  readonly galleryId: pulumi.Output<string>;
  readonly imageDefinitionId: pulumi.Output<string>;
  readonly imageName: pulumi.Output<string>;
  readonly activeVersion: pulumi.Output<string>;
  readonly activeVersionId: pulumi.Output<string>;
  readonly stagedVersion: pulumi.Output<string | undefined>;
  readonly stagedVersionId: pulumi.Output<string | undefined>;
  readonly versionIds: pulumi.Output<{ [version: string]: string }>;
  readonly roles: pulumi.Output<{ [version: string]: ImageRole }>;
  readonly latestVersion: pulumi.Output<string>;
  readonly regions: pulumi.Output<string[]>;
  readonly snapshot: pulumi.Output<ImageSnapshot>;
}

/**
 * The outputs of `image`, whose plan, gallery, definition and version resources are given; also
 * records the image's plain names and version ids for the consumers declared after it.
 */
export function imageOutputs(
  image: pulumi.Resource,
  plan: ImagePlan,
  snapshot: ImageSnapshot,
  galleryId: pulumi.Output<string>,
  definition: compute.GalleryImage,
  versions: Record<string, compute.GalleryImageVersion>,
): ImageOutputs {
  const ids = Object.fromEntries(Object.entries(versions).map(([v, r]) => [v, r.id]));
  const active = plan.versions.find((v) => v.version === plan.activeVersion);
  const regions = (active?.regions ?? []).map((r) => r.name);
  rememberNames(image, {
    imageName: plan.image.name,
    activeVersion: plan.activeVersion,
    stagedVersion: plan.stagedVersion,
    regions,
    snapshot,
  });
  rememberVersionIds(image, ids);
  return {
    galleryId,
    imageDefinitionId: definition.id,
    imageName: pulumi.output(plan.image.name),
    activeVersion: pulumi.output(plan.activeVersion),
    activeVersionId: ids[plan.activeVersion],
    stagedVersion: pulumi.output(plan.stagedVersion),
    stagedVersionId:
      plan.stagedVersion === undefined ? pulumi.output(undefined) : ids[plan.stagedVersion],
    versionIds: pulumi.all(ids),
    roles: pulumi.output({ ...plan.roles }),
    latestVersion: pulumi.output(plan.activeVersion),
    regions: pulumi.output(regions),
    // Plain values only: nothing inside to unwrap.
    snapshot: pulumi.output(snapshot) as unknown as pulumi.Output<ImageSnapshot>,
  };
}
