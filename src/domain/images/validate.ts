/**
 * Validation of the GlobalImage arguments into a typed plan: every bad input raises a
 * GlobalImageError naming the field and the fix, before any resource is registered.
 */
import {
  RegionPlan,
  checkRegions,
  checkTags,
  optionalIsoDate,
  optionalString,
  requireEnum,
  requireInteger,
  requireObject,
  requireString,
} from "../common/checks";
import { invalid, keyField } from "../common/errors";
import { HyperVGeneration, OsState, OsType, SecurityType, SourceKind } from "../common/kinds";
import { ImageRole, ROLE_RULES, computeRoles } from "./roles";
import { sortVersions, versionProblem } from "./version";
import { withdrawnVersions } from "./withdrawn";
import { Ring, checkRings } from "../rings/ringSettings";
import { checkActivationTimes } from "../rings/rings";
import { isRfc3339 } from "../common/time";
import { checkSource } from "./versionSource";
import { BuildPlan, checkBuilds, planBuild } from "../builds/imageBuilder";

/**
 * The arguments as the validator sees them: anything may arrive from JavaScript, YAML or stack
 * config, so every field is checked at run time. Values that may be Pulumi Inputs (resource ids,
 * tag values) are only checked for presence.
 */
export interface GlobalImageSpec {
  readonly galleryName?: unknown;
  readonly image?: unknown;
  readonly regions?: unknown;
  readonly versions?: unknown;
  readonly activeVersion?: unknown;
  readonly stagedVersion?: unknown;
  readonly retainBackups?: unknown;
  readonly tags?: unknown;
  readonly rings?: unknown;
  /** Only its presence is checked (built versions need it). */
  readonly location?: unknown;
}

/** An image definition's identity: what a copy of its versions must be declared with. */
export interface ImageIdentity {
  readonly publisher: string;
  readonly offer: string;
  readonly sku: string;
  readonly osType: OsType;
  readonly osState: OsState;
  readonly hyperVGeneration: HyperVGeneration;
  readonly securityType: SecurityType;
}

/** The image definition with defaults applied. */
export interface ImageDefinitionPlan extends ImageIdentity {
  readonly name: string;
  readonly description?: string;
}

/** One declared version: its role and what the role means for its resource. */
export interface VersionPlan {
  readonly version: string;
  readonly role: ImageRole;
  readonly sourceKind: SourceKind;
  /** The checked Image Builder recipe, when the source is `imageBuilder`. */
  readonly build?: BuildPlan;
  readonly regions: readonly RegionPlan[];
  readonly endOfLifeDate?: string;
  /** When the version became active (RFC 3339), as `global-image promote` records it. */
  readonly activatedAt?: string;
  /** False only for the active version; applied globally and to every target region. */
  readonly excludeFromLatest: boolean;
  /** Pulumi `protect` (active and backup versions). */
  readonly protect: boolean;
  /** Azure's deletion block: protected roles that also carry an end-of-life date. */
  readonly blockDeletionBeforeEndOfLife: boolean;
}

/** The validated arguments: what the component builds, the policies check and the CLI prints. */
export interface ImagePlan {
  readonly image: ImageDefinitionPlan;
  readonly activeVersion: string;
  /** The version under test, or `undefined` when nothing is staged. */
  readonly stagedVersion?: string;
  readonly retainBackups: number;
  readonly roles: Readonly<Record<string, ImageRole>>;
  /** Every declared version, ascending. */
  readonly versions: readonly VersionPlan[];
  /** The rings consumers may follow, in order (none declared: empty). */
  readonly rings: readonly Ring[];
}

/** Azure: 1-80 letters, digits, underscores and periods, starting and ending with a letter or digit. */
const GALLERY_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.]{0,78}[A-Za-z0-9])?$/;
/** Azure: 1-80 letters, digits, hyphens, underscores and periods, starting and ending with a letter or digit. */
const IMAGE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9])?$/;

/** True when `name` is a valid gallery image definition name (also safe as a file name). */
export function isImageName(name: unknown): name is string {
  return typeof name === "string" && IMAGE_NAME.test(name);
}

/**
 * Validates the arguments and computes every version's role and flags. `now` (RFC 3339), when
 * given, also refuses activation times ahead of the clock on an image with rings.
 */
export function planGlobalImage(spec: GlobalImageSpec, now?: string): ImagePlan {
  // The name may be an Output (an existing gallery's); only a plain string can be checked here.
  if (typeof spec.galleryName === "string") checkGalleryName("galleryName", spec.galleryName);
  const image = checkImage(spec.image);
  const regions = checkRegions("regions", spec.regions);
  checkTags("tags", spec.tags);
  const entries = checkVersionMap(spec.versions);
  const versions = Object.keys(entries);
  const activeVersion = checkDeclared("activeVersion", spec.activeVersion, versions);
  const staged =
    spec.stagedVersion === undefined
      ? undefined
      : checkDeclared("stagedVersion", spec.stagedVersion, versions);
  const stagedVersion = staged === activeVersion ? undefined : staged;
  const retainBackups = requireInteger("retainBackups", spec.retainBackups, 0, 1);
  const withdrawn = withdrawnVersions(entries, activeVersion, stagedVersion);
  const roles = computeRoles({
    versions,
    activeVersion,
    stagedVersion,
    retainBackups,
    withdrawnVersions: withdrawn,
  });
  const plans = sortVersions(versions).map((version) =>
    planVersion(version, entries[version], roles[version], regions),
  );
  checkBuilds(plans, image.name, spec.location, image.osType);
  const rings = checkRings("rings", spec.rings);
  if (rings.length > 0)
    checkActivationTimes(
      Object.fromEntries(plans.map((p) => [p.version, p])),
      activeVersion,
      now,
      (v) => `versions${keyField(v)}.activatedAt`,
    );
  return { image, activeVersion, stagedVersion, retainBackups, roles, versions: plans, rings };
}

/** Throws unless `name` is a valid Azure Compute Gallery name. */
export function checkGalleryName(field: string, name: string): void {
  if (!GALLERY_NAME.test(name)) {
    throw invalid(
      field,
      name,
      "is not a valid Azure Compute Gallery name",
      "Use 1-80 letters, digits, underscores or periods, starting and ending with a letter or digit (no hyphens).",
    );
  }
}

function checkImage(value: unknown): ImageDefinitionPlan {
  const fix = (what: string) => `Set "image.${what}" on the image definition.`;
  const image = requireObject(
    "image",
    value,
    "Describe the image definition as { name, publisher, offer, sku, osType }.",
  );
  const name = requireString("image.name", image.name, fix("name"));
  if (!IMAGE_NAME.test(name)) {
    throw invalid(
      "image.name",
      name,
      "is not a valid gallery image definition name",
      "Use 1-80 letters, digits, hyphens, underscores or periods, starting and ending with a letter or digit.",
    );
  }
  const hyperVGeneration = requireEnum(
    "image.hyperVGeneration",
    image.hyperVGeneration,
    HyperVGeneration,
    HyperVGeneration.V2,
  );
  const securityType = requireEnum(
    "image.securityType",
    image.securityType,
    SecurityType,
    SecurityType.TrustedLaunch,
  );
  if (securityType !== SecurityType.Standard && hyperVGeneration === HyperVGeneration.V1) {
    throw invalid(
      "image.securityType",
      securityType,
      'needs Hyper-V generation "V2" (trusted launch and confidential VMs are generation 2 only)',
      'Set "image.hyperVGeneration" to "V2", or "image.securityType" to "Standard" for a generation 1 image.',
    );
  }
  return {
    name,
    publisher: requireString("image.publisher", image.publisher, fix("publisher")),
    offer: requireString("image.offer", image.offer, fix("offer")),
    sku: requireString("image.sku", image.sku, fix("sku")),
    osType: requireEnum("image.osType", image.osType, OsType),
    osState: requireEnum("image.osState", image.osState, OsState, OsState.Generalized),
    hyperVGeneration,
    securityType,
    description: optionalString(
      "image.description",
      image.description,
      "Describe the image or leave it out.",
    ),
  };
}

function checkVersionMap(value: unknown): Record<string, Record<string, unknown>> {
  const fix =
    'Declare at least one version, e.g. versions: { "1.0.0": { source: { virtualMachineId } } }.';
  const map = requireObject("versions", value, fix);
  const keys = Object.keys(map);
  if (keys.length === 0) throw invalid("versions", value, "must declare at least one version", fix);
  const entries: Record<string, Record<string, unknown>> = {};
  for (const key of keys) {
    const problem = versionProblem(key);
    if (problem !== undefined) {
      throw invalid(
        `versions${keyField(key)}`,
        key,
        `is not an Azure gallery version name: it ${problem}`,
        'Name versions MAJOR.MINOR.PATCH, e.g. "1.2.0".',
      );
    }
    entries[key] = requireObject(
      `versions${keyField(key)}`,
      map[key],
      "Describe the version as { source, regions?, endOfLifeDate?, tags?, withdrawn? }.",
    );
  }
  return entries;
}

function checkDeclared(field: string, value: unknown, versions: string[]): string {
  const declared = sortVersions(versions)
    .map((v) => `"${v}"`)
    .join(", ");
  if (typeof value !== "string" || !versions.includes(value)) {
    throw invalid(
      field,
      value,
      `must name one of the declared versions (${declared})`,
      `Set "${field}" to a key of "versions", or declare that version first.`,
    );
  }
  return value;
}

function planVersion(
  version: string,
  entry: Record<string, unknown>,
  role: ImageRole,
  defaultRegions: RegionPlan[],
): VersionPlan {
  const at = `versions${keyField(version)}`;
  const sourceKind = checkSource(`${at}.source`, entry.source);
  const build =
    sourceKind === SourceKind.ImageBuilder
      ? planBuild(
          `${at}.source.imageBuilder`,
          (entry.source as Record<string, unknown>).imageBuilder,
        )
      : undefined;
  const regions =
    entry.regions === undefined ? defaultRegions : checkRegions(`${at}.regions`, entry.regions);
  const endOfLifeDate = optionalIsoDate(`${at}.endOfLifeDate`, entry.endOfLifeDate);
  const activatedAt = entry.activatedAt;
  if (activatedAt !== undefined && !isRfc3339(activatedAt)) {
    throw invalid(
      `${at}.activatedAt`,
      activatedAt,
      "must be an RFC 3339 date-time with an offset",
      'Write it as "2026-12-01T10:00:00Z" (global-image promote records it).',
    );
  }
  checkTags(`${at}.tags`, entry.tags);
  const rule = ROLE_RULES[role];
  return {
    version,
    role,
    sourceKind,
    ...(build === undefined ? {} : { build }),
    regions,
    endOfLifeDate,
    ...(activatedAt === undefined ? {} : { activatedAt: activatedAt as string }),
    excludeFromLatest: rule.excludeFromLatest,
    protect: rule.protect,
    blockDeletionBeforeEndOfLife: rule.protect && endOfLifeDate !== undefined,
  };
}
