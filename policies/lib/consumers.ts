/**
 * What image each consumer (AVD host pool, VM, scale set) boots: the id in its `vmTemplate` or
 * `imageReference` when known, else the `global-image:*` tags ImageHostPool writes (preview-known),
 * else unknown. Resolved against the stack's managed images, or against the binding an
 * ImageHostPool hands the engine (customer stacks, where the image lives in another stack).
 */
import { PolicyResource } from "@pulumi/policy";
import { GalleryImageRef, parseGalleryImageId } from "../../src/domain/common/armId";
import { ImageRole } from "../../src/domain/images/roles";
import { GUARDRAILS_SCHEMA } from "../../src/domain/guardrails/guardrails";
import { TagKey } from "../../src/domain/common/tags";
import { ManagedImage, normalizeRegion } from "./images";
import { known, knownOr } from "./known";
import { CONSUMER_TYPES, Types, describeResource } from "./types";

/** What a consumer's image reference is. */
export type ImageRef =
  | { readonly kind: "gallery"; readonly id: string; readonly parsed: GalleryImageRef }
  | { readonly kind: "tags"; readonly image: string; readonly version: string }
  | { readonly kind: "external"; readonly description: string }
  | { readonly kind: "unknown"; readonly path: string }
  /** Known, but names no image: an empty or missing id (a missing or partial stack output?). */
  | { readonly kind: "unresolved"; readonly reason: string }
  | { readonly kind: "none" };

/** What a reader returns for a reference that is known but names nothing. */
const UNRESOLVED = "unresolved:";

/**
 * The binding an ImageHostPool hands the engine in its `guardrails` output; empty (no active
 * version) when the pool registered none or one of another schema, which fails closed: a
 * production consumer of a managed image with no binding is judged against the image itself, and
 * a pool in a ring without a ring record is a violation.
 */
export interface Binding {
  readonly imageName?: string;
  readonly activeVersion?: string;
  readonly stagedVersion?: string;
  readonly regions: string[];
  /** A validation pool. */
  readonly validation: boolean;
  /** False when the pool registered no guardrails record of this schema: nothing can be judged. */
  readonly readable: boolean;
  /** The ImageHostPool's name (a session host VM's pool may be more than one parent up). */
  readonly pool: string;
  /** The image ring the pool is in, if any. */
  readonly ring?: string;
  /** The version a pool in a ring is bound to, and its role at the image. */
  readonly version?: string;
  readonly versionRole?: string;
  /** What the pool's ring decision was made from (rings, roles, activation times), as sent. */
  readonly ringSource?: { rings?: unknown; roles?: unknown; activatedAt?: unknown };
}

/** A consumer and what it boots. */
export interface Consumer {
  readonly resource: PolicyResource;
  /** `Host pool "prod-pool"`. */
  readonly label: string;
  /** A validation pool, or a session host of one. */
  readonly validation: boolean;
  readonly ref: ImageRef;
  readonly binding?: Binding;
  /** Its region, lower-cased, when known. */
  readonly location?: string;
  /**
   * A session host an ImageHostPool is rolling to the pool's version (tagged `rolling`): it keeps
   * its version until the rollout replaces it.
   */
  readonly rolling: boolean;
}

/** Consumers already read, by resource: three policies read the same consumers in one run. */
const read = new WeakMap<PolicyResource, Consumer>();

/** Every consumer among `resources`. */
export function consumers(resources: readonly PolicyResource[]): Consumer[] {
  return resources
    .filter((r) => CONSUMER_TYPES.includes(r.type))
    .map((r) => {
      let consumer = read.get(r);
      if (!consumer) read.set(r, (consumer = consumerOf(r)));
      return consumer;
    });
}

function consumerOf(resource: PolicyResource): Consumer {
  const pool = imageHostPoolOf(resource);
  const ownFlag =
    resource.type === Types.HostPool &&
    knownOr(() => resource.props.validationEnvironment === true, false);
  const binding = pool ? bindingOf(pool) : undefined;
  const poolFlag = binding?.validation === true;
  const location = knownOr(() => resource.props.location as unknown, undefined);
  return {
    resource,
    label: describeResource(resource.type, resource.name),
    validation: ownFlag || poolFlag,
    ref: imageRefOf(resource),
    binding,
    location: typeof location === "string" ? normalizeRegion(location) : undefined,
    rolling:
      pool !== undefined &&
      resource.type === Types.VirtualMachine &&
      knownOr(() => resource.props.tags?.[TagKey.Rollout] === "rolling", false),
  };
}

function imageHostPoolOf(resource: PolicyResource): PolicyResource | undefined {
  for (let p = resource.parent; p; p = p.parent) if (p.type === Types.ImageHostPool) return p;
  return undefined;
}

/** The binding from the pool's `guardrails` output (AnalyzeStack gets outputs, not inputs). */
function bindingOf(pool: PolicyResource): Binding {
  const raw = knownOr(() => pool.props.guardrails as unknown, undefined);
  const readable =
    typeof raw === "object" &&
    raw !== null &&
    (raw as { schema?: unknown }).schema === GUARDRAILS_SCHEMA;
  const image = (readable ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const regions = Array.isArray(image.regions)
    ? (image.regions as unknown[]).filter((r): r is string => typeof r === "string")
    : [];
  return {
    imageName: str(image.imageName),
    activeVersion: str(image.activeVersion),
    stagedVersion: str(image.stagedVersion),
    regions: regions.map(normalizeRegion),
    validation: image.validation === true,
    readable,
    pool: pool.name,
    ring: str(image.ring),
    version: str(image.version),
    versionRole: str(image.versionRole),
    ringSource:
      typeof image.ringSource === "object" && image.ringSource !== null
        ? (image.ringSource as Binding["ringSource"])
        : undefined,
  };
}

function imageRefOf(resource: PolicyResource): ImageRef {
  const read = referenceReader(resource);
  const raw = known(read);
  if (raw.known) return classify(raw.value);
  const tags = knownOr(() => (resource.props.tags ?? {}) as Record<string, unknown>, {});
  const image = tags[TagKey.Image];
  const version = tags[TagKey.Version];
  if (typeof image === "string" && typeof version === "string")
    return { kind: "tags", image, version };
  return { kind: "unknown", path: raw.path };
}

/** Reads what the resource boots, as an id, a marketplace URN, or undefined for nothing. */
function referenceReader(resource: PolicyResource): () => string | undefined {
  const p = resource.props;
  switch (resource.type) {
    case Types.HostPool:
      return () => {
        const text = p.vmTemplate as string | undefined;
        if (text === undefined) return undefined;
        let doc: Record<string, unknown>;
        try {
          doc = JSON.parse(text) as Record<string, unknown>;
        } catch {
          return `vmTemplate that is not JSON: ${text.slice(0, 40)}`;
        }
        if (doc.imageType === "CustomImage")
          return nonEmpty(doc.customImageId) ?? `${UNRESOLVED}vmTemplate.customImageId is empty`;
        return marketplace(
          doc.galleryImagePublisher,
          doc.galleryImageOffer,
          doc.galleryImageSKU,
          "vmTemplate",
        );
      };
    case Types.VirtualMachine:
      return () => imageReferenceString(p.storageProfile?.imageReference);
    default:
      return () => imageReferenceString(p.virtualMachineProfile?.storageProfile?.imageReference);
  }
}

function imageReferenceString(ref: Record<string, unknown> | undefined): string | undefined {
  if (ref === undefined) return undefined;
  for (const key of ["id", "sharedGalleryImageId", "communityGalleryImageId"]) {
    if (key in ref && ref[key] !== undefined)
      return nonEmpty(ref[key]) ?? `${UNRESOLVED}imageReference.${key} is empty`;
  }
  return marketplace(ref.publisher, ref.offer, ref.sku, "imageReference");
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** A marketplace image, or unresolved when its publisher, offer or SKU is missing. */
function marketplace(publisher: unknown, offer: unknown, sku: unknown, where: string): string {
  const parts = [publisher, offer, sku].map(nonEmpty);
  if (parts.some((p) => p === undefined))
    return `${UNRESOLVED}${where} names no image id and no complete marketplace image`;
  return `marketplace:${parts.join(":")}`;
}

function classify(value: string | undefined): ImageRef {
  if (value === undefined) return { kind: "none" };
  if (value.startsWith(UNRESOLVED))
    return { kind: "unresolved", reason: value.slice(UNRESOLVED.length) };
  const parsed = parseGalleryImageId(value);
  return parsed ? { kind: "gallery", id: value, parsed } : { kind: "external", description: value };
}

/** The managed image a reference points at, if any. */
export function matchImage(
  ref: ImageRef,
  images: readonly ManagedImage[],
): ManagedImage | undefined {
  if (ref.kind === "gallery") {
    const name = ref.parsed.image.toLowerCase();
    const gallery = ref.parsed.gallery.toLowerCase();
    return images.find(
      (i) => i.name.toLowerCase() === name && (i.gallery === undefined || i.gallery === gallery),
    );
  }
  if (ref.kind === "tags") {
    // An image and its replicas share a name: prefer the one this version is active in.
    const named = images.filter((i) => i.name === ref.image);
    return named.find((i) => i.roles[ref.version] === "active") ?? named[0];
  }
  return undefined;
}

/** The version a reference names: a version, "latest", or undefined for the bare definition. */
export function referencedVersion(ref: ImageRef): string | undefined {
  if (ref.kind === "gallery") return ref.parsed.version;
  if (ref.kind === "tags") return ref.version;
  return undefined;
}

/** The role of `version` for a consumer: from the managed image, else from its pool's binding. */
export function roleFor(
  version: string,
  image: ManagedImage | undefined,
  binding: Binding | undefined,
): ImageRole | "undeclared" | undefined {
  if (image) return image.roles[version] ?? "undeclared";
  if (binding?.activeVersion === undefined) return undefined;
  if (version === binding.activeVersion) return "active";
  if (version === binding.stagedVersion) return "staged";
  if (binding.ring !== undefined && version === binding.version && binding.versionRole)
    return binding.versionRole as ImageRole;
  return "undeclared";
}
