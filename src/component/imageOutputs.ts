/**
 * The outputs a GlobalImage and an ImageReplica share, computed one way for both, so a replica is
 * bound to exactly like an image (`handle()`, ImageHostPool, vmImageReference, imageTags).
 */
import * as pulumi from "@pulumi/pulumi";
import type * as compute from "@pulumi/azure-native/compute";
import { rememberNames, rememberVersionIds } from "../consumers/knownNames";
import { ImageRole } from "../domain/images/roles";
import { ImageGuardrails } from "../domain/guardrails/guardrails";
import { ImageSnapshot } from "../domain/images/snapshot";
import { ImagePlan } from "../domain/images/validate";

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
  readonly guardrails: pulumi.Output<ImageGuardrails>;
}

/**
 * The outputs of `image`, whose plan, gallery, definition and version resources are given; also
 * records the image's plain names and version ids for the consumers declared after it.
 */
export function imageOutputs(
  image: pulumi.Resource,
  plan: ImagePlan,
  snapshot: ImageSnapshot,
  guardrails: ImageGuardrails,
  galleryId: pulumi.Output<string>,
  definition: compute.GalleryImage,
  ids: Record<string, pulumi.Output<string | undefined>>,
): ImageOutputs {
  const active = plan.versions.find((v) => v.version === plan.activeVersion);
  const staged = plan.versions.find((v) => v.version === plan.stagedVersion);
  // A staged version built by Image Builder exists once its build succeeded: until then the
  // image reports nothing staged, and validation consumers bind through these outputs.
  const stagedPending = staged?.build !== undefined;
  const regions = (active?.regions ?? []).map((r) => r.name);
  rememberNames(image, {
    imageName: plan.image.name,
    activeVersion: plan.activeVersion,
    stagedVersion: plan.stagedVersion,
    ...(stagedPending ? { stagedPending } : {}),
    regions,
    snapshot,
  });
  // Versions of a build are known once their build succeeded; a copy waits for them.
  rememberVersionIds(image, ids as Record<string, pulumi.Output<string>>);
  const stagedId = staged === undefined ? pulumi.output(undefined) : ids[staged.version];
  return {
    galleryId,
    imageDefinitionId: definition.id,
    // Known in a preview, and carrying the image definition as a dependency: a version declared
    // outside the component with `galleryImageName: image.imageName` is seen to belong to it.
    imageName: definition.urn.apply(() => plan.image.name),
    activeVersion: pulumi.output(plan.activeVersion),
    // Never undefined: a built active version that does not exist is refused (decideBuild).
    activeVersionId: ids[plan.activeVersion] as pulumi.Output<string>,
    stagedVersion: stagedPending
      ? stagedId.apply((id) => (id === undefined ? undefined : plan.stagedVersion))
      : pulumi.output(plan.stagedVersion),
    stagedVersionId: stagedId,
    versionIds: pulumi
      .all(ids)
      .apply(
        (all) =>
          Object.fromEntries(Object.entries(all).filter(([, id]) => id !== undefined)) as Record<
            string,
            string
          >,
      ),
    roles: pulumi.output({ ...plan.roles }),
    latestVersion: pulumi.output(plan.activeVersion),
    regions: pulumi.output(regions),
    // Plain values only: nothing inside to unwrap.
    snapshot: pulumi.output(snapshot) as unknown as pulumi.Output<ImageSnapshot>,
    guardrails: pulumi.output(guardrails) as unknown as pulumi.Output<ImageGuardrails>,
  };
}

/** The id Output of each version resource, by version. */
export function versionIdsOf(
  versions: Record<string, compute.GalleryImageVersion>,
): Record<string, pulumi.Output<string>> {
  return Object.fromEntries(Object.entries(versions).map(([v, r]) => [v, r.id]));
}
