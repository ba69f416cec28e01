/**
 * An image as plain values: what a `GlobalImage` or an `ImageReplica` knows of itself when it is
 * declared, what its handle exports, and what a replica in another stack reads back. A snapshot
 * read from a stack output is untrusted input: `readSnapshot` checks every field.
 */
import { Evidence, parseAnyEvidence } from "../../evidence/evidence";
import { normalizeRegion, requireObject, requireString } from "../common/checks";
import { invalid, joinField, keyField } from "../common/errors";
import { HyperVGeneration, OsState, OsType, SecurityType, enumValues } from "../common/kinds";
import { IMAGE_ROLES, ImageRole } from "./roles";
import { ImageIdentity, ImagePlan } from "./validate";

export type { ImageIdentity } from "./validate";
import { isAzureVersion } from "./version";
import { Ring, checkRings } from "../rings/ringSettings";
import { checkActivationTimes } from "../rings/rings";
import { isRfc3339 } from "../common/time";

/** One version of an image as a replica sees it. */
export interface SnapshotVersion {
  readonly role: ImageRole;
  /** The regions the version is replicated to (normalized names); empty when not known. */
  readonly regions: string[];
  /** The version's end-of-life date, copied to the replica's version. */
  readonly endOfLifeDate?: string;
  /** The version's ARM id, when known as a plain value (a handle read from another stack). */
  readonly id?: string;
  /** When the version became active (RFC 3339), as `global-image promote` recorded it. */
  readonly activatedAt?: string;
}

/**
 * An image as plain values, known when a consumer is declared: what a `GlobalImage` or an
 * `ImageReplica` knows of itself, and what `ImageHandle.fromStackAsync` reads from another stack.
 */
export interface ImageSnapshot {
  readonly imageName: string;
  readonly identity: ImageIdentity;
  readonly activeVersion: string;
  /** Undefined when nothing is staged. */
  readonly stagedVersion?: string;
  readonly versions: { [version: string]: SnapshotVersion };
  /** The rings consumers of the image may follow, in order (empty: none). */
  readonly rings: Ring[];
  /**
   * Test evidence by version, passed through unchanged: an evidence document
   * (`EvidenceDocument`) or a Sigstore bundle's JSON (`<version>.sigstore.json`). Typed `any`
   * because the multi-language schema has no unions; `readSnapshot` checks each value's shape.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: Evidence, schema Any
  readonly evidence: { [version: string]: any };
}

/** The snapshot of a validated image plan, with the evidence of its versions. */
export function snapshotOf(
  plan: ImagePlan,
  evidence: Readonly<Record<string, Evidence>>,
): ImageSnapshot {
  const { name, publisher, offer, sku, osType, osState, hyperVGeneration, securityType } =
    plan.image;
  return {
    imageName: name,
    identity: { publisher, offer, sku, osType, osState, hyperVGeneration, securityType },
    activeVersion: plan.activeVersion,
    stagedVersion: plan.stagedVersion,
    versions: Object.fromEntries(
      plan.versions.map((v) => [
        v.version,
        {
          role: v.role,
          regions: v.regions.map((r) => normalizeRegion(r.name)),
          ...(v.endOfLifeDate === undefined ? {} : { endOfLifeDate: v.endOfLifeDate }),
          ...(v.activatedAt === undefined ? {} : { activatedAt: v.activatedAt }),
        },
      ]),
    ),
    rings: plan.rings.map((r) => ({ ...r })),
    evidence: Object.fromEntries(
      Object.entries(evidence).filter(([v]) => plan.roles[v] !== undefined),
    ),
  };
}

/**
 * Checks a snapshot read from outside (another stack's output) and returns it; `field` names
 * where it was read, `fix` says how to produce a good one.
 */
export function readSnapshot(raw: unknown, field: string, fix: string): ImageSnapshot {
  const obj = (value: unknown, at: string) => requireObject(at, value, fix);
  const str = (value: unknown, at: string) => requireString(at, value, fix);
  const oneOf = <T extends string>(value: unknown, at: string, allowed: readonly T[]): T => {
    if (!allowed.includes(value as T))
      throw invalid(at, value, `must be one of ${allowed.join(", ")}`, fix);
    return value as T;
  };
  const root = obj(raw, field);
  const identity = obj(root.identity, joinField(field, "identity"));
  const idAt = (key: string) => joinField(field, `identity.${key}`);
  const versionsRaw = obj(root.versions, joinField(field, "versions"));
  const versions: Record<string, SnapshotVersion> = {};
  for (const [version, value] of Object.entries(versionsRaw)) {
    const at = joinField(field, `versions${keyField(version)}`);
    if (!isAzureVersion(version)) throw invalid(at, version, "is not a version name", fix);
    const v = obj(value, at);
    if (v.regions !== undefined && !Array.isArray(v.regions))
      throw invalid(joinField(at, "regions"), v.regions, "must be a list of region names", fix);
    const regions = (v.regions ?? []) as unknown[];
    for (const key of ["endOfLifeDate", "id"] as const)
      if (v[key] !== undefined && typeof v[key] !== "string")
        throw invalid(joinField(at, key), v[key], "must be a string", fix);
    if (v.activatedAt !== undefined && !isRfc3339(v.activatedAt))
      throw invalid(
        joinField(at, "activatedAt"),
        v.activatedAt,
        "must be an RFC 3339 date-time with an offset",
        fix,
      );
    versions[version] = {
      role: oneOf(v.role, joinField(at, "role"), IMAGE_ROLES),
      regions: regions.map((r, i) => normalizeRegion(str(r, `${at}.regions[${i}]`))),
      ...(typeof v.endOfLifeDate === "string" ? { endOfLifeDate: v.endOfLifeDate } : {}),
      ...(typeof v.id === "string" ? { id: v.id } : {}),
      ...(v.activatedAt === undefined ? {} : { activatedAt: v.activatedAt as string }),
    };
  }
  const activeVersion = str(root.activeVersion, joinField(field, "activeVersion"));
  if (versions[activeVersion]?.role !== ImageRole.Active)
    throw invalid(
      joinField(field, "activeVersion"),
      activeVersion,
      "is not an active version",
      fix,
    );
  const staged = root.stagedVersion;
  if (staged !== undefined && staged !== null && versions[String(staged)] === undefined)
    throw invalid(joinField(field, "stagedVersion"), staged, "is not one of its versions", fix);
  const evidenceRaw =
    root.evidence === undefined ? {} : obj(root.evidence, joinField(field, "evidence"));
  const evidence: Record<string, Evidence> = {};
  for (const [version, doc] of Object.entries(evidenceRaw))
    evidence[version] = parseAnyEvidence(doc, joinField(field, `evidence${keyField(version)}`));
  const rings =
    root.rings === undefined || (Array.isArray(root.rings) && root.rings.length === 0)
      ? []
      : checkRings(joinField(field, "rings"), root.rings);
  // As strict as local config: a ring's soak counts from these times (a trust boundary).
  if (rings.length > 0)
    checkActivationTimes(versions, activeVersion, undefined, (v) =>
      joinField(field, `versions${keyField(v)}.activatedAt`),
    );
  return {
    imageName: str(root.imageName, joinField(field, "imageName")),
    identity: {
      publisher: str(identity.publisher, idAt("publisher")),
      offer: str(identity.offer, idAt("offer")),
      sku: str(identity.sku, idAt("sku")),
      osType: oneOf(identity.osType, idAt("osType"), enumValues(OsType)),
      osState: oneOf(identity.osState, idAt("osState"), enumValues(OsState)),
      hyperVGeneration: oneOf(
        identity.hyperVGeneration,
        idAt("hyperVGeneration"),
        enumValues(HyperVGeneration),
      ),
      securityType: oneOf(identity.securityType, idAt("securityType"), enumValues(SecurityType)),
    },
    activeVersion,
    stagedVersion: typeof staged === "string" && staged !== activeVersion ? staged : undefined,
    versions,
    rings,
    evidence,
  };
}
