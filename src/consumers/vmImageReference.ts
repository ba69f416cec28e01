/**
 * Which version of an image a consumer boots, with no dependency on any other version: a
 * production consumer's inputs derive from the active version alone, so a failed or slow staged
 * version cannot block or touch it.
 */
import * as pulumi from "@pulumi/pulumi";
import { requireEnum } from "../domain/checks";
import { ConsumerRole } from "../domain/hostPool";
import { TagKey } from "../domain/tags";
import { ImageBinding } from "./imageHandle";

/** The version a consumer is bound to. */
export interface BoundVersion {
  /** The image definition's name. */
  readonly imageName: pulumi.Output<string>;
  /** The version name (a preview-known value for tags). */
  readonly version: pulumi.Output<string>;
  /** The version's ARM id. */
  readonly versionId: pulumi.Output<string>;
}

/**
 * The version for `role`: `active`, or `staged` (the staged version, the active one when nothing
 * is staged). The active binding reads only the active fields, never the staged ones.
 */
export function bindVersion(image: ImageBinding, role: ConsumerRole): BoundVersion {
  const imageName = pulumi.output(image.imageName);
  switch (role) {
    case ConsumerRole.Active:
      return {
        imageName,
        version: pulumi.output(image.activeVersion),
        versionId: pulumi.output(image.activeVersionId),
      };
    case ConsumerRole.Staged:
      return {
        imageName,
        version: pulumi
          .all([image.stagedVersion, image.activeVersion])
          .apply(([staged, active]) => staged ?? active),
        versionId: pulumi
          .all([image.stagedVersionId, image.activeVersionId])
          .apply(([staged, active]) => staged ?? active),
      };
    default: {
      const unhandled: never = role;
      throw new Error(`unhandled consumer role ${String(unhandled)}`);
    }
  }
}

/**
 * The `storageProfile.imageReference` of a `compute.VirtualMachine` or
 * `compute.VirtualMachineScaleSet` that boots the image: the exact version id, never "latest".
 *
 * @param image a `GlobalImage` or `ImageHandle`.
 * @param role `"active"` (production) or `"staged"` (validation; the active version when nothing
 * is staged). @default "active"
 */
export function vmImageReference(
  image: ImageBinding,
  role: ConsumerRole = ConsumerRole.Active,
): { id: pulumi.Output<string> } {
  const checked = requireEnum("role", role, ConsumerRole);
  return { id: bindVersion(image, checked).versionId };
}

/**
 * The `global-image:image` and `global-image:version` tags for a VM or scale set that boots
 * `image`: preview-known values that let the policy pack check the binding while the version's id
 * is still unknown (a first preview). Spread them into the consumer's `tags`.
 *
 * @param role `"active"` or `"staged"`, as given to {@link vmImageReference}. @default "active"
 */
export function imageTags(
  image: ImageBinding,
  role: ConsumerRole = ConsumerRole.Active,
): pulumi.Output<Record<string, string>> {
  const bound = bindVersion(image, requireEnum("role", role, ConsumerRole));
  return pulumi
    .all([bound.imageName, bound.version])
    .apply(([name, version]): Record<string, string> => ({
      [TagKey.Image]: name,
      [TagKey.Version]: version,
    }));
}
