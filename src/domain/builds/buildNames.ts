/**
 * Names and ids of what a build needs, derived from the image's names only (no clock, no
 * randomness: the same image always gives the same names, so nothing is replaced by a rerun).
 */
import { createHash } from "node:crypto";

/** The image definition Image Builder writes to: beside the image, never the image itself. */
export function buildDefinitionName(imageName: string): string {
  return `${imageName}-build`;
}

/**
 * The user-assigned identity the component creates for an image's builds. Identity names take
 * letters, digits, hyphens and underscores only: an image name's periods become hyphens.
 */
export function builderIdentityName(imageName: string): string {
  return `${imageName.replace(/[^A-Za-z0-9_-]/g, "-")}-builder`;
}

/** A GUID derived from `seed` (role definition and assignment names must be GUIDs). */
export function guidOf(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  // RFC 4122 layout: version 5 style nibble and the variant bits.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Azure's built-in roles a build may need, by their fixed ids. */
export const BuiltInRole = {
  /** Read the base gallery version. */
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  /** Build in a staging resource group the user named. */
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
} as const;

/**
 * What the created identity may do on the build definition, and nothing else: the gallery
 * permissions Microsoft lists for distributing to an Azure Compute Gallery.
 */
export const BUILD_DEFINITION_ACTIONS = [
  "Microsoft.Compute/galleries/read",
  "Microsoft.Compute/galleries/images/read",
  "Microsoft.Compute/galleries/images/versions/read",
  "Microsoft.Compute/galleries/images/versions/write",
] as const;
