/**
 * The managed images of a stack. Stack policies read each GlobalImage's and ImageReplica's
 * `guardrails` output (AnalyzeStack gets outputs); the activation gate, a resource policy, reads
 * its inputs (Analyze gets inputs) and turns them into roles with the components' `computeRoles`.
 */
import { PolicyResource } from "@pulumi/policy";
import {
  GUARDRAILS_SCHEMA,
  GuardrailsSource,
  ImageGuardrails,
  activatedAtOf,
  rolesOf,
} from "../../src/domain/guardrails/guardrails";
import { TagKey } from "../../src/domain/common/tags";
import { ImageRole, computeRoles } from "../../src/domain/images/roles";
import { isAzureVersion } from "../../src/domain/images/version";
import { Ring, checkRings } from "../../src/domain/rings/ringSettings";
import { known, knownOr } from "./known";
import { IMAGE_TYPES, Types } from "./types";

/**
 * A GlobalImage or an ImageReplica as the stack policies see it: from its `guardrails` output
 * (what the engine hands AnalyzeStack), or from its inputs for the activation gate (Analyze).
 */
export interface ManagedImage {
  readonly resource: PolicyResource;
  /** The image definition's name. */
  readonly name: string;
  /** The gallery's name when it is a plain string, lower-cased. */
  readonly gallery?: string;
  readonly activeVersion: string;
  readonly stagedVersion?: string;
  readonly roles: Readonly<Record<string, ImageRole>>;
  /** Target regions by version (lower-cased, spaces removed). */
  readonly regions: Readonly<Record<string, string[]>>;
  /** The image's rings (a GlobalImage's; none on a replica), empty when none or unreadable. */
  readonly rings: readonly Ring[];
  /** When each version became active, where recorded. */
  readonly activatedAt: Readonly<Record<string, string>>;
  /** A replica's ring, if it follows one. */
  readonly ring?: string;
  /** A replica's source, as its record carries it. */
  readonly source?: GuardrailsSource;
}

/** An image as its inputs give it, with the evidence the activation gate judges. */
export interface ImageInputs extends ManagedImage {
  /** The evidence by version, as handed to the engine. */
  readonly evidence: Readonly<Record<string, unknown>>;
}

const region = (name: string) => name.replace(/\s+/g, "").toLowerCase();

/**
 * The image of a GlobalImage or ImageReplica from its inputs (what Analyze gets, before the
 * step), or undefined when they are unusable. Only the activation gate reads inputs.
 */
export function imageFromInputs(resource: PolicyResource): ImageInputs | undefined {
  const p = resource.props;
  const name = knownOr(() => p.image?.name as unknown, undefined);
  const active = knownOr(() => p.activeVersion as unknown, undefined);
  const versionMap = knownOr(
    () =>
      (p.versions ?? {}) as Record<
        string,
        { regions?: Array<{ name: string }>; withdrawn?: unknown; activatedAt?: unknown }
      >,
    {},
  );
  const versions = Object.keys(versionMap).filter(isAzureVersion);
  if (typeof name !== "string" || typeof active !== "string" || !versions.includes(active))
    return undefined;
  const stagedRaw = knownOr(() => p.stagedVersion as unknown, undefined);
  const stagedVersion =
    typeof stagedRaw === "string" && stagedRaw !== active ? stagedRaw : undefined;
  const retain = knownOr(() => p.retainBackups as unknown, undefined);
  const defaults = knownOr(() => (p.regions ?? []) as Array<{ name: string }>, []);
  const gallery = knownOr(() => p.galleryName as unknown, undefined);
  return {
    resource,
    name,
    gallery: typeof gallery === "string" ? gallery.toLowerCase() : undefined,
    activeVersion: active,
    stagedVersion,
    roles: computeRoles({
      versions,
      withdrawnVersions: versions.filter((v) => versionMap[v].withdrawn === true),
      activeVersion: active,
      stagedVersion,
      retainBackups: typeof retain === "number" ? retain : undefined,
    }),
    regions: Object.fromEntries(
      versions.map((v) => [v, (versionMap[v].regions ?? defaults).map((r) => region(r.name))]),
    ),
    evidence: knownOr(() => (p.evidence ?? {}) as Record<string, unknown>, {}),
    rings: readRings(knownOr(() => p.rings as unknown, undefined)),
    activatedAt: Object.fromEntries(
      versions.flatMap((v) => {
        const at = versionMap[v].activatedAt;
        return typeof at === "string" ? [[v, at]] : [];
      }),
    ),
  };
}

/**
 * The image of a GlobalImage or ImageReplica from its `guardrails` output, or why it cannot be
 * read (no record, one of another schema, or one the policies cannot use).
 */
export function imageFromOutputs(resource: PolicyResource): ManagedImage | string {
  const record = known(() => resource.props.guardrails as unknown);
  if (!record.known)
    return `its guardrails output (${record.path}) is unknown, so nothing bound to it can be checked`;
  const g = record.value as Partial<ImageGuardrails> | undefined;
  if (typeof g !== "object" || g === null)
    return "it registered no guardrails output (a global-image release older than this pack?), so nothing bound to it can be checked. Upgrade the global-image package the program uses";
  if (g.schema !== GUARDRAILS_SCHEMA)
    return `its guardrails output has schema ${JSON.stringify(g.schema)}, and this pack reads ${GUARDRAILS_SCHEMA}. Use the same global-image release for the program and the pack`;
  const versions = g.versions ?? {};
  if (
    typeof g.imageName !== "string" ||
    typeof g.activeVersion !== "string" ||
    !versions[g.activeVersion]
  )
    return "its guardrails output names no image and active version, so nothing bound to it can be checked";
  return {
    resource,
    name: g.imageName,
    gallery: g.gallery,
    activeVersion: g.activeVersion,
    stagedVersion: g.stagedVersion === g.activeVersion ? undefined : g.stagedVersion,
    roles: rolesOf(versions) as Record<string, ImageRole>,
    regions: Object.fromEntries(
      Object.entries(versions).map(([v, d]) => [v, (d.regions ?? []).map(region)]),
    ),
    rings: readRings(g.rings),
    activatedAt: activatedAtOf(versions),
    ...(typeof g.ring === "string" ? { ring: g.ring } : {}),
    ...(g.source ? { source: g.source } : {}),
  };
}

/** Rings as the component checked them; unreadable rings read as none (the component refuses them). */
export function readRings(value: unknown): Ring[] {
  if (value === undefined || value === null) return [];
  try {
    return checkRings("rings", value);
  } catch {
    return [];
  }
}

/** The managed images among `resources` (from their outputs), and those that cannot be read. */
export function managedImages(resources: readonly PolicyResource[]): ManagedImage[] {
  return readImages(resources).images;
}

/** Every GlobalImage and ImageReplica among `resources`: readable ones, and why the rest are not. */
export function readImages(resources: readonly PolicyResource[]): {
  images: ManagedImage[];
  unreadable: Array<{ resource: PolicyResource; why: string }>;
} {
  const images: ManagedImage[] = [];
  const unreadable: Array<{ resource: PolicyResource; why: string }> = [];
  for (const resource of resources.filter((r) => IMAGE_TYPES.includes(r.type))) {
    let image = read.get(resource);
    if (image === undefined) read.set(resource, (image = imageFromOutputs(resource)));
    if (typeof image === "string") unreadable.push({ resource, why: image });
    else images.push(image);
  }
  return { images, unreadable };
}

/** Images already read, by resource: several policies read the same images in one run. */
const read = new WeakMap<PolicyResource, ManagedImage | string>();

/**
 * The version a gallery version resource is, from its outputs: the `global-image:version` tag the
 * components write (known in a preview), else the provider's `name` output.
 */
export function versionNameOf(resource: PolicyResource): string | undefined {
  const tagged = knownOr(() => resource.props.tags?.[TagKey.Version] as unknown, undefined);
  if (typeof tagged === "string") return tagged;
  const name = knownOr(() => resource.props.name as unknown, undefined);
  return typeof name === "string" ? name : undefined;
}

/** The version resources a GlobalImage or ImageReplica created, by version name. */
export function versionResources(
  image: ManagedImage,
  resources: readonly PolicyResource[],
): Map<string, PolicyResource> {
  const found = new Map<string, PolicyResource>();
  for (const r of resources) {
    if (r.type !== Types.GalleryImageVersion || r.parent?.urn !== image.resource.urn) continue;
    const version = versionNameOf(r);
    if (version !== undefined) found.set(version, r);
  }
  return found;
}

/**
 * Gallery versions declared outside any image component that belong to `image`'s definition:
 * the engine hands AnalyzeStack no URL parameters (no `galleryImageName`), so they are known by
 * their dependencies on the image (`galleryImageName: image.imageName` depends on its definition).
 */
export function foreignVersions(
  image: ManagedImage,
  resources: readonly PolicyResource[],
): PolicyResource[] {
  const own = new Set<string>([image.resource.urn]);
  for (const r of resources)
    if (r.parent?.urn === image.resource.urn && r.type === Types.GalleryImage) own.add(r.urn);
  return resources.filter((r) => {
    if (r.type !== Types.GalleryImageVersion) return false;
    if (r.parent && IMAGE_TYPES.includes(r.parent.type)) return false;
    const deps = [...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat()];
    return deps.some((d) => own.has(d.urn));
  });
}

export { region as normalizeRegion };
