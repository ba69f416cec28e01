/**
 * The `global-image:*` tags: plain, preview-known values that carry an image binding even while
 * resource ids are still unknown (a first preview), read by the policies and the CLI.
 */
import { TAG_PREFIX } from "./checks";
import { ImageRole } from "../images/roles";

/** The tag keys this package writes. */
export const TagKey = {
  /** A version's role. */
  Role: `${TAG_PREFIX}role`,
  /** The image definition's name. */
  Image: `${TAG_PREFIX}image`,
  /** A version's name. */
  Version: `${TAG_PREFIX}version`,
  /** A version's test outcome from its evidence, e.g. `passed 12/12`. */
  Tests: `${TAG_PREFIX}tests`,
  /** The SHA-256 of a version's evidence document (canonical form). */
  EvidenceSha256: `${TAG_PREFIX}evidence-sha256`,
  /** On a version: when it became active (RFC 3339), as `global-image promote` recorded it. */
  ActivatedAt: `${TAG_PREFIX}activated-at`,
  /** On a session host VM: when a rollout drained it (RFC 3339). */
  DrainingSince: `${TAG_PREFIX}draining-since`,
  /** On a session host VM: `rolling` while it runs a version other than its pool's. */
  Rollout: `${TAG_PREFIX}rollout`,
  /** On a replaced personal session host VM: the user its desktop is given back to. */
  AssignedUser: `${TAG_PREFIX}assigned-user`,
  /** On a session host VM: when this incarnation of it was created (its replacement trigger). */
  CreatedAt: `${TAG_PREFIX}created-at`,
  /** On a built version and its Image Builder template: the digest of its recipe. */
  RecipeSha256: `${TAG_PREFIX}recipe-sha256`,
  /** On the build definition and the builder identity: the image they build for. */
  BuildFor: `${TAG_PREFIX}build-for`,
  /**
   * On a host pool: how many session host slots (`<prefix>-0` ...) a rollout looked at.
   * @deprecated No longer written or read: a rollout lists the pool's registrations and the
   * resource group's VMs, and sees every host whatever a tag says. Kept so code naming it builds.
   */
  HostSlots: `${TAG_PREFIX}host-slots`,
  /** On a session host VM: the name of the host pool it is a session host of. */
  HostPool: `${TAG_PREFIX}host-pool`,
} as const;
export type TagKey = (typeof TagKey)[keyof typeof TagKey];

/** The tags every version resource carries. */
export function versionTags(
  image: string,
  version: string,
  role: ImageRole,
): Record<string, string> {
  return { [TagKey.Role]: role, [TagKey.Image]: image, [TagKey.Version]: version };
}
