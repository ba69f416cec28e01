/**
 * Which version of an image a consumer boots, with no dependency on any other version: a
 * production consumer's inputs derive from the active version alone, so a failed or slow staged
 * version cannot block or touch it.
 */
import * as pulumi from "@pulumi/pulumi";
import { requireEnum } from "../domain/common/checks";
import { ConsumerRole } from "../domain/hostPools/hostPool";
import { TagKey } from "../domain/common/tags";
import { ImageBinding } from "./imageHandle";
import { knownNames } from "./knownNames";

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
  const imageName = asOutput(image.imageName);
  switch (role) {
    case ConsumerRole.Active:
      return {
        imageName,
        version: asOutput(image.activeVersion),
        versionId: asOutput(image.activeVersionId),
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
 * What a consumer sends the engine about its image: the bound version and its id, and the names
 * policies read (active and staged version, regions). Plain values when the image was declared
 * in this program, so a fleet of consumers resolves no Output for them; Outputs otherwise.
 */
export interface ConsumerBinding {
  readonly imageName: pulumi.Input<string>;
  readonly version: pulumi.Input<string>;
  readonly versionId: pulumi.Output<string>;
  readonly activeVersion: pulumi.Input<string>;
  readonly stagedVersion: pulumi.Input<string | undefined>;
  readonly regions: pulumi.Input<string[]>;
}

/** The binding of a consumer with `role` to `image` (see {@link bindVersion}). */
export function consumerBinding(image: ImageBinding, role: ConsumerRole): ConsumerBinding {
  const names = knownNames(image);
  if (!names || (role === ConsumerRole.Staged && names.stagedPending)) {
    const bound = bindVersion(image, role);
    return {
      ...bound,
      activeVersion: image.activeVersion,
      stagedVersion: image.stagedVersion,
      regions: image.regions ?? [],
    };
  }
  const staged = role === ConsumerRole.Staged && names.stagedVersion !== undefined;
  return {
    imageName: names.imageName,
    version: staged ? (names.stagedVersion as string) : names.activeVersion,
    versionId: staged
      ? asOutput(image.stagedVersionId as pulumi.Input<string>)
      : asOutput(image.activeVersionId),
    activeVersion: names.activeVersion,
    stagedVersion: names.stagedVersion,
    regions: [...names.regions],
  };
}

/**
 * The value as an Output: an Output as it is (a `GlobalImage`'s or `ImageHandle`'s fields), so a
 * fleet of consumers does not wrap each field again (`pulumi.output` always makes a new Output).
 */
function asOutput(value: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.Output.isInstance<string>(value) ? value : pulumi.output(value);
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
