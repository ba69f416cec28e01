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

/** An Azure Resource Manager resource id, parsed. */
export interface ArmId {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** `Microsoft.Compute/galleries/images/versions`: the namespace and each type segment. */
  readonly type: string;
  /** The names, one per type segment (`["msp_images", "win11", "1.0.0"]`). */
  readonly names: readonly string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a GUID (a subscription or tenant id). */
export function isGuid(value: unknown): value is string {
  return typeof value === "string" && GUID.test(value);
}
/** Resource group names: 1-90 letters, digits, `._-()`, not ending in a period (ARM's rule). */
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;

/** True for an Azure resource group name: 1-90 letters, digits, `_-.()`, not ending in a period. */
export function isResourceGroupName(name: string): boolean {
  return RESOURCE_GROUP.test(name);
}
const NAMESPACE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/;
const TYPE = /^[A-Za-z][A-Za-z0-9]*$/;
/** A resource name: no path or URL characters, no control characters, no surrounding spaces. */
const NAME = /^[^/\\?#%&:<>*"\s\p{Cc}](?:[^/\\?#%&:<>*"\p{Cc}]*[^/\\?#%&:<>*"\s\p{Cc}])?$/u;

/**
 * Parses `/subscriptions/{guid}/resourceGroups/{group}/providers/{Namespace}/{type}/{name}[/{type}/{name}…]`
 * by ARM's grammar (segments, not a pattern guess): undefined for anything else, a trailing
 * slash, an empty segment or a name with path or URL characters included.
 */
export function parseArmId(id: unknown): ArmId | undefined {
  if (typeof id !== "string" || !id.startsWith("/")) return undefined;
  const parts = id.slice(1).split("/");
  if (parts.length < 8 || parts.length % 2 !== 0) return undefined;
  const [subs, subscriptionId, groups, resourceGroup, providers, namespace, ...rest] = parts;
  if (subs.toLowerCase() !== "subscriptions" || !isGuid(subscriptionId)) return undefined;
  if (groups.toLowerCase() !== "resourcegroups" || !RESOURCE_GROUP.test(resourceGroup))
    return undefined;
  if (providers.toLowerCase() !== "providers" || !NAMESPACE.test(namespace)) return undefined;
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    if (!TYPE.test(rest[i]) || !NAME.test(rest[i + 1])) return undefined;
    types.push(rest[i]);
    names.push(rest[i + 1]);
  }
  return { subscriptionId, resourceGroup, type: [namespace, ...types].join("/"), names };
}

/** True when `id` is an ARM id of a resource of `type` (compared without case, as ARM does). */
export function isArmIdOf(id: unknown, type: string): boolean {
  return parseArmId(id)?.type.toLowerCase() === type.toLowerCase();
}
