/**
 * A replica: a copy of an image's versions in another gallery (a customer's subscription or
 * tenant), with the same version names and the same role rules. Which versions a replica holds,
 * and their roles, follow from its source's roles and its own settings; this module decides it,
 * purely, from a plain snapshot of the source.
 */
import {
  RegionPlan,
  checkRegions,
  checkTags,
  normalizeRegion,
  requireInteger,
} from "../common/checks";
import { invalid } from "../common/errors";
import { SourceKind } from "../common/kinds";
import { ImageSnapshot } from "../images/snapshot";
import { ringVersion } from "../rings/rings";
import { ImageRole, ROLE_RULES, computeRoles } from "../images/roles";
import { ImageDefinitionPlan, ImagePlan, VersionPlan, checkGalleryName } from "../images/validate";
import { compareVersions, sortVersions } from "../images/version";

/** The replica arguments as the validator sees them (anything may arrive from YAML or config). */
export interface ReplicaSpec {
  readonly galleryName?: unknown;
  readonly location?: unknown;
  readonly regions?: unknown;
  readonly activeVersion?: unknown;
  readonly stagedVersion?: unknown;
  readonly retainBackups?: unknown;
  readonly tags?: unknown;
  /** The source's ring the replica follows (its active version is the ring's version). */
  readonly ring?: unknown;
}

/** A replica's plan: an image plan whose versions are copies, plus what it follows. */
export interface ReplicaPlan extends ImagePlan {
  /** True when the replica follows the source's active version (no `activeVersion` given). */
  readonly following: boolean;
  /** The role each copied version has at the source. */
  readonly sourceRoles: Readonly<Record<string, ImageRole>>;
  /** The ring followed, with why its version is what it is (a replica not pinned, in a ring). */
  readonly ring?: {
    readonly name: string;
    readonly reason: string;
    readonly nextChangeAt?: string;
  };
}

/** The source roles a replica's active version may have. */
const ACTIVATABLE: readonly ImageRole[] = [ImageRole.Active, ImageRole.Backup];

/**
 * Validates a replica's arguments against its source and computes what it copies:
 * - its active version: `activeVersion`, else the source's; it must be active or a backup there;
 * - its staged version: `stagedVersion` when given, the source's staged or active version;
 * - the versions it holds: every source version at or below its active version that the source
 *   has not withdrawn, plus the staged one; roles by the same `computeRoles` as a GlobalImage.
 * A `location` given as a plain string must be a region every copied version is replicated to:
 * Azure copies a version from the source's replica in the region of the new version.
 */
export function planReplica(spec: ReplicaSpec, source: ImageSnapshot, now?: string): ReplicaPlan {
  if (typeof spec.galleryName === "string") checkGalleryName("galleryName", spec.galleryName);
  const regions = checkRegions("regions", spec.regions);
  checkTags("tags", spec.tags);
  const ring = spec.ring === undefined ? undefined : inRing(spec, source, now);
  const activeVersion = ring?.version ?? checkActive(spec.activeVersion, source);
  const staged = checkStaged(spec.stagedVersion, source);
  const stagedVersion = staged === activeVersion ? undefined : staged;
  const retainBackups = requireInteger("retainBackups", spec.retainBackups, 0, 1);
  const copied = Object.keys(source.versions).filter(
    (v) =>
      v === stagedVersion ||
      (source.versions[v].role !== ImageRole.Withdrawn && compareVersions(v, activeVersion) <= 0),
  );
  if (typeof spec.location === "string") checkCopyRegion(spec.location, copied, source);
  const roles = computeRoles({ versions: copied, activeVersion, stagedVersion, retainBackups });
  const versions = sortVersions(copied).map((v) =>
    copyPlan(v, roles[v], regions, source.versions[v].endOfLifeDate),
  );
  return {
    rings: [],
    image: definitionPlan(source),
    activeVersion,
    stagedVersion,
    retainBackups,
    roles,
    versions,
    following: spec.activeVersion === undefined,
    ...(ring && {
      ring: { name: ring.name, reason: ring.reason, nextChangeAt: ring.nextChangeAt },
    }),
    sourceRoles: Object.fromEntries(copied.map((v) => [v, source.versions[v].role])),
  };
}

/** The ring's version for a replica that follows a ring (none when it pins a version). */
function inRing(spec: ReplicaSpec, source: ImageSnapshot, now: string | undefined) {
  const fix = `Name one of the source's rings (${source.rings.map((r) => `"${r.name}"`).join(", ") || "it declares none"}), or leave "ring" out.`;
  if (typeof spec.ring !== "string") throw invalid("ring", spec.ring, "must be a ring name", fix);
  if (!source.rings.some((r) => r.name === spec.ring))
    throw invalid("ring", spec.ring, `is not a ring of ${source.imageName}`, fix);
  // A pinned replica keeps its pin; the ring-order-respected policy judges it.
  if (spec.activeVersion !== undefined) return undefined;
  if (now === undefined) throw new Error("planReplica: a replica in a ring needs the clock");
  const answer = ringVersion({
    rings: source.rings,
    ring: spec.ring,
    versions: source.versions,
    activeVersion: source.activeVersion,
    now,
  });
  return { name: spec.ring, ...answer };
}

function checkActive(value: unknown, source: ImageSnapshot): string {
  if (value === undefined) return source.activeVersion;
  const allowed = sortVersions(
    Object.keys(source.versions).filter((v) => ACTIVATABLE.includes(source.versions[v].role)),
  );
  const choices = allowed.map((v) => `"${v}"`).join(", ");
  const fix = `A replica runs its source's active version or one of its backups: set "activeVersion" to one of ${choices}, or leave it out to follow ${source.imageName}'s active version ${source.activeVersion}.`;
  if (typeof value !== "string") throw invalid("activeVersion", value, "must be a version", fix);
  const at = source.versions[value];
  if (at === undefined)
    throw invalid("activeVersion", value, `is not a version of ${source.imageName}`, fix);
  if (!ACTIVATABLE.includes(at.role))
    throw invalid("activeVersion", value, `is ${at.role} at the source ${source.imageName}`, fix);
  return value;
}

function checkStaged(value: unknown, source: ImageSnapshot): string | undefined {
  if (value === undefined) return undefined;
  const allowed = [source.stagedVersion, source.activeVersion].filter(
    (v): v is string => v !== undefined,
  );
  if (typeof value === "string" && allowed.includes(value)) return value;
  const role = typeof value === "string" ? source.versions[value]?.role : undefined;
  const problem =
    role === undefined
      ? `is not the staged or active version of ${source.imageName}`
      : `is ${role} at the source ${source.imageName}; only its staged or active version can be tested`;
  throw invalid(
    "stagedVersion",
    value,
    problem,
    `Set "stagedVersion" to ${allowed.map((v) => `"${v}"`).join(" or ")}, or leave it out (a replica copies the staged version only when it asks to test it).`,
  );
}

function checkCopyRegion(location: string, copied: readonly string[], source: ImageSnapshot) {
  const region = normalizeRegion(location);
  for (const version of sortVersions(copied)) {
    const reached = source.versions[version].regions;
    if (reached.length === 0 || reached.includes(region)) continue;
    throw invalid(
      "location",
      location,
      `is a region ${source.imageName} ${version} is not replicated to (it is in ${reached.join(", ")}); Azure copies a version from the source's replica in the replica's region`,
      `Add ${region} to the regions of ${source.imageName} ${version} at the source, or place the replica's gallery in one of ${reached.join(", ")}.`,
    );
  }
}

function definitionPlan(source: ImageSnapshot): ImageDefinitionPlan {
  return { name: source.imageName, ...source.identity };
}

function copyPlan(
  version: string,
  role: ImageRole,
  regions: readonly RegionPlan[],
  endOfLifeDate: string | undefined,
): VersionPlan {
  const rule = ROLE_RULES[role];
  return {
    version,
    role,
    sourceKind: SourceKind.GalleryImageVersion,
    regions,
    endOfLifeDate,
    excludeFromLatest: rule.excludeFromLatest,
    protect: rule.protect,
    blockDeletionBeforeEndOfLife: rule.protect && endOfLifeDate !== undefined,
  };
}
