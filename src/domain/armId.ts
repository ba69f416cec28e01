/**
 * Azure Resource Manager ids of the gallery resources: built for mocks and offline checks, parsed
 * by policies that match a consumer's image reference to a managed version.
 */

/** The ARM id of a gallery. */
export function galleryArmId(
  subscriptionId: string,
  resourceGroup: string,
  gallery: string,
): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/galleries/${gallery}`;
}

/** The ARM id of a gallery image definition. */
export function imageDefinitionArmId(galleryId: string, image: string): string {
  return `${galleryId}/images/${image}`;
}

/** The ARM id of a gallery image version. */
export function imageVersionArmId(imageDefinitionId: string, version: string): string {
  return `${imageDefinitionId}/versions/${version}`;
}

/** The parts of a gallery image reference (a definition id, or a version id with its version). */
export interface GalleryImageRef {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly gallery: string;
  readonly image: string;
  /** The version name, `"latest"`, or `undefined` for the bare definition. */
  readonly version?: string;
  /** The definition's id, lower-cased (ARM ids compare without case). */
  readonly definitionKey: string;
}

const GALLERY_IMAGE_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/galleries\/([^/]+)\/images\/([^/]+)(?:\/versions\/([^/]+))?\/?$/i;

/** Parses a gallery image definition or version id; `undefined` for any other id. */
export function parseGalleryImageId(id: string): GalleryImageRef | undefined {
  const m = GALLERY_IMAGE_ID.exec(id);
  if (!m) return undefined;
  const [, subscriptionId, resourceGroup, gallery, image, version] = m;
  const definitionKey =
    `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/providers/microsoft.compute/galleries/${gallery}/images/${image}`.toLowerCase();
  return { subscriptionId, resourceGroup, gallery, image, version, definitionKey };
}
