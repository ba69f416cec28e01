/**
 * The guardrails record: the one output of `GlobalImage`, `ImageReplica` and `ImageHostPool` that
 * the stack policies of the `global-image-guardrails` pack read.
 *
 * Why an output: the Pulumi engine hands a stack policy (AnalyzeStack) each resource's *outputs*,
 * and a component's outputs are exactly what it passed to `registerOutputs` (its constructor
 * arguments are not among them; pulumi/pulumi pkg/resource/deploy/step_generator.go,
 * `AnalyzeResources`). A resource policy (Analyze) gets inputs, before the step: the activation
 * gate stays one of those and reads the component's inputs.
 *
 * The record is plain values only (known in a preview too), small (no evidence documents) and
 * versioned by `schema`: a pack reading a record of another schema refuses to judge it.
 */
import { Ring } from "../rings/ringSettings";
import { ImageSnapshot } from "../images/snapshot";

/** The schema of the record this version of the package writes and its pack reads. */
export const GUARDRAILS_SCHEMA = "global-image.guardrails/v1";

/** What the guardrails record says of one version. */
export interface GuardrailsVersion {
  /** The version's role (`active`, `staged`, `backup`, `retired`, `withdrawn`). */
  readonly role: string;
  /** The regions it is replicated to (normalized names). */
  readonly regions: string[];
  /** When it became active (RFC 3339), where recorded. */
  readonly activatedAt?: string;
}

/** What an ImageReplica's record says of its source image. */
export interface GuardrailsSource {
  readonly imageName: string;
  readonly activeVersion: string;
  readonly stagedVersion?: string;
  /** Every source version, with its role, regions and activation time. */
  readonly versions: { [version: string]: GuardrailsVersion };
  /** The source's rings, in order. */
  readonly rings: Ring[];
}

/** The guardrails record of a GlobalImage or an ImageReplica. */
export interface ImageGuardrails {
  /** Always {@link GUARDRAILS_SCHEMA}. */
  readonly schema: string;
  /** The image definition's name. */
  readonly imageName: string;
  /** The gallery's name, lower-cased, when it was a plain value. */
  readonly gallery?: string;
  readonly activeVersion: string;
  readonly stagedVersion?: string;
  /** Every declared version. */
  readonly versions: { [version: string]: GuardrailsVersion };
  /** The image's rings, in order (a replica's: none of its own). */
  readonly rings: Ring[];
  /** A replica's ring, if it follows one. */
  readonly ring?: string;
  /** A replica's source. */
  readonly source?: GuardrailsSource;
}

/** The ring decision of a consumer in a ring, as the guardrails record carries it. */
export interface GuardrailsRingSource {
  readonly rings: Ring[];
  /** The role of each of the image's versions. */
  readonly roles: { [version: string]: string };
  /** When each version became active, where recorded. */
  readonly activatedAt: { [version: string]: string };
}

/** The guardrails record of an ImageHostPool: what it is bound to. */
export interface PoolGuardrails {
  /** Always {@link GUARDRAILS_SCHEMA}. */
  readonly schema: string;
  readonly imageName: string;
  /** The version the pool is bound to. */
  readonly version: string;
  /** The image's active and staged versions when the pool was bound. */
  readonly activeVersion?: string;
  readonly stagedVersion?: string;
  /** The regions of the bound version. */
  readonly regions: string[];
  /** A validation pool (`validationEnvironment: true`). */
  readonly validation: boolean;
  /** The image ring the pool is in, the bound version's role, and what the ring decided from. */
  readonly ring?: string;
  readonly versionRole?: string;
  readonly ringSource?: GuardrailsRingSource;
}

function versionsOf(snapshot: ImageSnapshot): { [version: string]: GuardrailsVersion } {
  return Object.fromEntries(
    Object.entries(snapshot.versions).map(([v, d]) => [
      v,
      {
        role: d.role,
        regions: [...d.regions],
        ...(d.activatedAt === undefined ? {} : { activatedAt: d.activatedAt }),
      },
    ]),
  );
}

/** The record of an image (or replica, with `source` and `ring`) from its snapshot. */
export function imageGuardrails(
  snapshot: ImageSnapshot,
  extra: { gallery?: unknown; ring?: string; source?: ImageSnapshot } = {},
): ImageGuardrails {
  const { source } = extra;
  return {
    schema: GUARDRAILS_SCHEMA,
    imageName: snapshot.imageName,
    ...(typeof extra.gallery === "string" ? { gallery: extra.gallery.toLowerCase() } : {}),
    activeVersion: snapshot.activeVersion,
    ...(snapshot.stagedVersion === undefined ? {} : { stagedVersion: snapshot.stagedVersion }),
    versions: versionsOf(snapshot),
    rings: snapshot.rings.map((r) => ({ ...r })),
    ...(extra.ring === undefined ? {} : { ring: extra.ring }),
    ...(source === undefined
      ? {}
      : {
          source: {
            imageName: source.imageName,
            activeVersion: source.activeVersion,
            ...(source.stagedVersion === undefined ? {} : { stagedVersion: source.stagedVersion }),
            versions: versionsOf(source),
            rings: source.rings.map((r) => ({ ...r })),
          },
        }),
  };
}

/** The roles of a record's versions. */
export function rolesOf(versions: { [version: string]: GuardrailsVersion }): {
  [version: string]: string;
} {
  return Object.fromEntries(Object.entries(versions).map(([v, d]) => [v, d.role]));
}

/** The activation times of a record's versions, where recorded. */
export function activatedAtOf(versions: { [version: string]: GuardrailsVersion }): {
  [version: string]: string;
} {
  return Object.fromEntries(
    Object.entries(versions).flatMap(([v, d]) =>
      d.activatedAt === undefined ? [] : [[v, d.activatedAt]],
    ),
  );
}
