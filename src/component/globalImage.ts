import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import { ImageHandle } from "../consumers/imageHandle";
import { ImageRole } from "../domain/roles";
import { ImageSnapshot, snapshotOf } from "../domain/snapshot";
import { ImagePlan, planGlobalImage } from "../domain/validate";
import { EvidenceDocument } from "../evidence/document";
import { collectEvidence } from "../evidence/load";
import { GlobalImageArgs } from "./args";
import { componentInputs, warnIfInputsSkipped } from "./componentInputs";
import { galleryIdOf, imageDefinition, versionResources } from "./gallery";
import { imageOutputs } from "./imageOutputs";
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

  constructor(name: string, args: GlobalImageArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate first: a bad argument registers nothing, not even this component.
    const plan = planGlobalImage(args);
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
    const outputs = imageOutputs(
      this,
      plan,
      snapshotOf(plan, evidence),
      galleryId.id,
      definition,
      versions,
    );
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
  evidence: Record<string, EvidenceDocument>,
  definition: compute.GalleryImage,
  parent: pulumi.Resource,
): Record<string, compute.GalleryImageVersion> {
  return versionResources(
    name,
    args,
    plan,
    (version) => {
      const own = args.versions[version.version];
      return {
        storageProfile: storageProfile(version.sourceKind, own.source),
        tags: versionResourceTags(
          plan.image.name,
          version,
          args.tags,
          own.tags,
          evidence[version.version],
        ),
      };
    },
    definition,
    parent,
  );
}
