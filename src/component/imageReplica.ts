import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import { ImageHandle } from "../consumers/imageHandle";
import { knownNames, knownVersionIds } from "../consumers/knownNames";
import { GlobalImageError } from "../domain/common/errors";
import { ReplicaPlan, planReplica } from "../domain/replicas/replica";
import { ImageRole } from "../domain/images/roles";
import { ImageGuardrails, imageGuardrails } from "../domain/guardrails/guardrails";
import { ImageSnapshot, snapshotOf } from "../domain/images/snapshot";
import { Evidence } from "../evidence/evidence";
import { currentTime } from "./clock";
import { warnIfInputsSkipped } from "./componentInputs";
import { galleryIdOf, imageDefinition, versionResources } from "./gallery";
import { imageOutputs, versionIdsOf } from "./imageOutputs";
import { ImageReplicaArgs } from "./replicaArgs";
import { replicaEvidence, replicaInputs } from "./replicaInputs";
import { versionResourceTags } from "./versionInputs";

/**
 * A copy of a GlobalImage in another gallery (a customer's subscription, or tenant through an
 * explicit provider), with the same version names and the same roles: its active version is the
 * source's (or a pinned backup of it), protected backups follow the same rules, and "latest" is
 * always its active version. Each version is an Azure gallery copy of the source version's id; a
 * promotion at the source reaches a following replica as flag and tag updates, never a copy.
 *
 * Bad arguments, and versions the source does not allow (an active version that is not active or
 * a backup there, a staged version that is not its staged or active one), raise a
 * `GlobalImageError` before anything is registered.
 */
export class ImageReplica extends pulumi.ComponentResource {
  /** The ARM id of the replica's gallery. */
  public readonly galleryId!: pulumi.Output<string>;
  /** The ARM id of the replica's image definition. */
  public readonly imageDefinitionId!: pulumi.Output<string>;
  /** The image definition's name: the source's. */
  public readonly imageName!: pulumi.Output<string>;
  /** The version the customer's production uses. */
  public readonly activeVersion!: pulumi.Output<string>;
  /** The ARM id of the replica's active version: what the customer's production boots. */
  public readonly activeVersionId!: pulumi.Output<string>;
  /** The version the customer tests, or undefined when nothing is staged. */
  public readonly stagedVersion!: pulumi.Output<string | undefined>;
  /** The ARM id of the staged copy, or undefined when nothing is staged. */
  public readonly stagedVersionId!: pulumi.Output<string | undefined>;
  /** The ARM id of every copied version, by version name. */
  public readonly versionIds!: pulumi.Output<{ [version: string]: string }>;
  /** The role of every copied version, by version name. */
  public readonly roles!: pulumi.Output<{ [version: string]: ImageRole }>;
  /** The version the replica gallery resolves "latest" to: always its active version. */
  public readonly latestVersion!: pulumi.Output<string>;
  /** The regions the replica's active version is replicated to. */
  public readonly regions!: pulumi.Output<string[]>;
  /** The replica as plain values: what a replica of this replica plans from. */
  public readonly snapshot!: pulumi.Output<ImageSnapshot>;
  /**
   * What the `global-image-guardrails` policy pack reads of this replica (schema
   * `global-image.guardrails/v1`): its versions and roles, its ring, and its source's versions.
   */
  public readonly guardrails!: pulumi.Output<ImageGuardrails>;

  constructor(name: string, args: ImageReplicaArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate first: a bad argument registers nothing, not even this component.
    const source = sourceSnapshot(args);
    const plan = planReplica(args, source, currentTime());
    const evidence = replicaEvidence(plan, source);
    const sourceIds = sourceVersionIds(args, plan, source);
    super(
      "global-image:index:ImageReplica",
      name,
      replicaInputs(args, plan, source, evidence),
      opts,
    );
    warnIfInputsSkipped(this, "ImageReplica", name);

    const galleryId = galleryIdOf(name, args, this);
    const definition = imageDefinition(name, args, plan.image, galleryId.dependency, this);
    const versions = copies(name, args, plan, { sourceIds, evidence }, definition, this);
    const snapshot = snapshotOf(plan, evidence);
    const guardrails = imageGuardrails(snapshot, {
      gallery: args.galleryName,
      ring: args.ring,
      source,
    });
    const outputs = imageOutputs(
      this,
      plan,
      snapshot,
      guardrails,
      galleryId.id,
      definition,
      versionIdsOf(versions),
    );
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }

  /** A handle consumers bind to, exportable as a stack output, like a GlobalImage's. */
  handle(): ImageHandle {
    return new ImageHandle(this);
  }
}

/** The source as plain values, or an error saying how to make it known. */
function sourceSnapshot(args: ImageReplicaArgs): ImageSnapshot {
  const source: unknown = args?.source;
  if (typeof source !== "object" || source === null) {
    throw new GlobalImageError(
      "source",
      `"source" must be the image to copy (received ${source === undefined ? "nothing" : typeof source}). Pass a GlobalImage, its handle(), or \`await ImageHandle.fromStackAsync(ref, "images.<key>")\`.`,
    );
  }
  const snapshot = knownNames(source)?.snapshot;
  if (snapshot === undefined) {
    throw new GlobalImageError(
      "source",
      `"source" has no versions known when the replica is declared (an ImageHandle.fromStack handle, or Outputs): a replica decides which versions to copy from them. In TypeScript use \`await ImageHandle.fromStackAsync(ref, "images.<key>")\`; in stack config, \`source: { stack, output }\`.`,
    );
  }
  return snapshot;
}

/**
 * Each copied version's source id: the source version resource's id when it was declared in this
 * program (so the copy waits for that version alone), else the id read with the handle.
 */
function sourceVersionIds(
  args: ImageReplicaArgs,
  plan: ReplicaPlan,
  source: ImageSnapshot,
): Record<string, pulumi.Input<string>> {
  const inProgram = knownVersionIds(args.source);
  const ids: Record<string, pulumi.Input<string>> = {};
  for (const { version } of plan.versions) {
    const id = inProgram?.[version] ?? source.versions[version].id;
    if (id === undefined) {
      throw new GlobalImageError(
        "source",
        `"source" does not say the id of ${source.imageName} ${version}. Pass the GlobalImage (or its handle) itself, or a handle read with ImageHandle.fromStackAsync.`,
      );
    }
    ids[version] = inProgram?.[version] ? published(source.imageName, version, id) : id;
  }
  return ids;
}

/**
 * The id of a source version declared in this program: a version built by Image Builder has
 * none until its build succeeded, and a copy of it fails the up saying so (not Azure's 400).
 */
function published(
  image: string,
  version: string,
  id: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.output(id).apply((value) => {
    if (value === undefined)
      throw new GlobalImageError(
        "source",
        `"source" has no published ${image} ${version} yet: it is built by Image Builder and its build has not succeeded. Copy it once it is published (leave it out of the replica's stagedVersion until then).`,
      );
    return value;
  });
}

function copies(
  name: string,
  args: ImageReplicaArgs,
  plan: ReplicaPlan,
  from: {
    sourceIds: Record<string, pulumi.Input<string>>;
    evidence: Record<string, Evidence>;
  },
  definition: compute.GalleryImage,
  parent: pulumi.Resource,
): Record<string, compute.GalleryImageVersion> {
  return versionResources(
    name,
    args,
    plan,
    (version) => ({
      // Azure's gallery copy: the source is the MSP's version itself.
      storageProfile: { source: { id: from.sourceIds[version.version] } },
      tags: versionResourceTags(
        plan.image.name,
        version,
        args.tags,
        undefined,
        from.evidence[version.version],
      ),
    }),
    definition,
    parent,
  );
}
