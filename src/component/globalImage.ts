import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import { ImageHandle } from "../consumers/imageHandle";
import { ImageRole } from "../domain/images/roles";
import { ImageGuardrails, imageGuardrails } from "../domain/guardrails/guardrails";
import { ImageSnapshot, snapshotOf } from "../domain/images/snapshot";
import { ImagePlan, VersionPlan, planGlobalImage } from "../domain/images/validate";
import { Evidence } from "../evidence/evidence";
import { collectEvidence } from "../evidence/load";
import { GlobalImageArgs } from "./args";
import { currentTime } from "./clock";
import { componentInputs, warnIfInputsSkipped } from "./componentInputs";
import { BuildStatus, builtVersion } from "./builtVersions";
import { buildSupport } from "./buildSupport";
import { GalleryRef, galleryIdOf, imageDefinition, versionResources } from "./gallery";
import { imageOutputs, versionIdsOf } from "./imageOutputs";
import { storageProfile, versionResourceTags } from "./versionInputs";

/**
 * An Azure Compute Gallery image definition and its versions, each with a role: `active` (what
 * production uses and the gallery's "latest"), `staged` (published for testing, excluded from
 * "latest"), `backup` (previous actives, protected, one-property rollback), `retired` and
 * `withdrawn`. A promotion is a change of `activeVersion`: versions are named by their version
 * only, so nothing is rebuilt or replaced, only role flags and tags are updated in place.
 *
 * All arguments are validated before anything is registered; bad input raises a
 * `GlobalImageError` naming the field and the fix.
 */
export class GlobalImage extends pulumi.ComponentResource {
  /** The ARM id of the gallery (created, or the existing one when `createGallery` is false). */
  public readonly galleryId!: pulumi.Output<string>;
  /** The ARM id of the gallery image definition. */
  public readonly imageDefinitionId!: pulumi.Output<string>;
  /** The image definition's name. */
  public readonly imageName!: pulumi.Output<string>;
  /** The version production uses. */
  public readonly activeVersion!: pulumi.Output<string>;
  /** The ARM id of the active version: what production consumers boot from. */
  public readonly activeVersionId!: pulumi.Output<string>;
  /** The version under test, or undefined when nothing is staged. */
  public readonly stagedVersion!: pulumi.Output<string | undefined>;
  /** The ARM id of the staged version, or undefined when nothing is staged. */
  public readonly stagedVersionId!: pulumi.Output<string | undefined>;
  /** The ARM id of every declared version, by version name. */
  public readonly versionIds!: pulumi.Output<{ [version: string]: string }>;
  /** The role of every declared version, by version name. */
  public readonly roles!: pulumi.Output<{ [version: string]: ImageRole }>;
  /** The version the gallery resolves "latest" to: always the active version. */
  public readonly latestVersion!: pulumi.Output<string>;
  /** The regions the active version is replicated to. */
  public readonly regions!: pulumi.Output<string[]>;
  /**
   * The image as plain values (identity, every version's role, regions and end of life, the
   * evidence): what an ImageReplica of it, here or in another stack, plans from.
   */
  public readonly snapshot!: pulumi.Output<ImageSnapshot>;
  /**
   * Where each version built by Image Builder stands after this up (`starting`, `running`,
   * `built`, `failed`, `published`, `not-built`), with its template's name and a message (a
   * failure quotes the build's own). Empty when no version is built.
   */
  public readonly builds!: pulumi.Output<{ [version: string]: BuildStatus }>;
  /**
   * What the `global-image-guardrails` policy pack reads of this image (schema
   * `global-image.guardrails/v1`): versions, roles, regions, rings. Plain values, no evidence.
   */
  public readonly guardrails!: pulumi.Output<ImageGuardrails>;

  constructor(name: string, args: GlobalImageArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate first: a bad argument registers nothing, not even this component.
    // The clock matters only to rings (activation times may not lie ahead of it).
    const plan = planGlobalImage(args, hasRings(args) ? currentTime() : undefined);
    const evidence = collectEvidence(
      args.evidence,
      args.evidenceDir,
      plan.image.name,
      plan.versions.map((v) => v.version),
    );
    super("global-image:index:GlobalImage", name, componentInputs(args, plan, evidence), opts);
    warnIfInputsSkipped(this, "GlobalImage", name);

    const galleryId = galleryIdOf(name, args, this);
    const definition = imageDefinition(name, args, plan.image, galleryId.dependency, this);
    const versions = imageVersions(name, args, plan, evidence, definition, this);
    const built = builtVersions(name, args, plan, evidence, definition, galleryId, this);
    const snapshot = snapshotOf(plan, evidence);
    const guardrails = imageGuardrails(snapshot, { gallery: args.galleryName });
    const outputs = {
      ...imageOutputs(this, plan, snapshot, guardrails, galleryId.id, definition, {
        ...versionIdsOf(versions),
        ...built.ids,
      }),
      builds: built.statuses,
    };
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }

  /**
   * A handle consumers bind to, exportable as a stack output
   * (`export const win11 = image.handle()`) and rebuilt elsewhere with `ImageHandle.fromStack`.
   */
  handle(): ImageHandle {
    return new ImageHandle(this);
  }
}

function imageVersions(
  name: string,
  args: GlobalImageArgs,
  plan: ImagePlan,
  evidence: Record<string, Evidence>,
  definition: compute.GalleryImage,
  parent: pulumi.Resource,
): Record<string, compute.GalleryImageVersion> {
  return versionResources(
    name,
    args,
    plan,
    (version) =>
      version.build === undefined
        ? {
            storageProfile: storageProfile(
              version.sourceKind,
              args.versions[version.version].source,
            ),
            tags: ownTags(args, plan, version, evidence),
          }
        : undefined,
    definition,
    parent,
  );
}

function ownTags(
  args: GlobalImageArgs,
  plan: ImagePlan,
  version: VersionPlan,
  evidence: Record<string, Evidence>,
): Record<string, pulumi.Input<string>> {
  const own = args.versions[version.version];
  return versionResourceTags(
    plan.image.name,
    version,
    args.tags,
    own.tags,
    evidence[version.version],
  );
}

/** The versions built by Image Builder: their ids once published, and where each build stands. */
function builtVersions(
  name: string,
  args: GlobalImageArgs,
  plan: ImagePlan,
  evidence: Record<string, Evidence>,
  definition: compute.GalleryImage,
  gallery: GalleryRef,
  parent: pulumi.Resource,
): {
  ids: Record<string, pulumi.Output<string | undefined>>;
  statuses: pulumi.Output<Record<string, BuildStatus>>;
} {
  const support = buildSupport(name, args, plan, gallery, parent);
  if (support === undefined)
    return { ids: {}, statuses: pulumi.output<Record<string, BuildStatus>>({}) };
  const ctx = { name, placement: args, plan, definition, support, parent };
  const ids: Record<string, pulumi.Output<string | undefined>> = {};
  const statuses: Record<string, pulumi.Output<BuildStatus>> = {};
  for (const version of plan.versions) {
    if (version.build === undefined) continue;
    const built = builtVersion(ctx, version, version.build, {
      tags: ownTags(args, plan, version, evidence),
    });
    ids[version.version] = built.id;
    statuses[version.version] = built.status;
  }
  return { ids, statuses: pulumi.all(statuses) };
}

/** True when the image declares rings (the only thing here that reads the clock). */
function hasRings(args: GlobalImageArgs): boolean {
  return Array.isArray(args.rings) && args.rings.length > 0;
}
