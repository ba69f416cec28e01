/**
 * The managed images of a stack: each GlobalImage's and ImageReplica's inputs (what the engine
 * and the policies see) turned into its roles, using the same `computeRoles` as the components.
 */
import { PolicyResource } from "@pulumi/policy";
import { ImageRole, computeRoles } from "../../src/domain/roles";
import { isAzureVersion } from "../../src/domain/version";
import { Ring, checkRings } from "../../src/domain/ringSettings";
import { knownOr } from "./known";
import { IMAGE_TYPES, Types } from "./types";

/** A GlobalImage or an ImageReplica as the policies see it (both send the same input shape). */
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
  /** The evidence by version, as handed to the engine. */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** The image's rings (a GlobalImage's; none on a replica), empty when none or unreadable. */
  readonly rings: readonly Ring[];
  /** When each version became active, where recorded. */
  readonly activatedAt: Readonly<Record<string, string>>;
}

const region = (name: string) => name.replace(/\s+/g, "").toLowerCase();

/** The managed image of a GlobalImage resource, or undefined when its inputs are unusable. */
export function managedImage(resource: PolicyResource): ManagedImage | undefined {
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

/** Rings as the component checked them; unreadable rings read as none (the component refuses them). */
export function readRings(value: unknown): Ring[] {
  if (value === undefined || value === null) return [];
  try {
    return checkRings("rings", value);
  } catch {
    return [];
  }
}

/** Every usable managed image among `resources`. */
export function managedImages(resources: readonly PolicyResource[]): ManagedImage[] {
  return resources
    .filter((r) => IMAGE_TYPES.includes(r.type))
    .map(managedImage)
    .filter((m): m is ManagedImage => m !== undefined);
}

/** The version resources a GlobalImage created, by version name. */
export function versionResources(
  image: ManagedImage,
  resources: readonly PolicyResource[],
): Map<string, PolicyResource> {
  const found = new Map<string, PolicyResource>();
  for (const r of resources) {
    if (r.type !== Types.GalleryImageVersion || r.parent?.urn !== image.resource.urn) continue;
    const version = knownOr(() => r.props.galleryImageVersionName as unknown, undefined);
    if (typeof version === "string") found.set(version, r);
  }
  return found;
}

export { region as normalizeRegion };
