/**
 * What the engine, and so the policy pack, sees of an ImageReplica: its settings with the plan's
 * resolved versions, the evidence of its versions (the source's, passed through unchanged: no
 * attestation per customer) and a plain summary of its source, never the source's Outputs (a
 * staged source version still being created must not hold the replica up).
 */
import * as pulumi from "@pulumi/pulumi";
import { ReplicaPlan } from "../domain/replicas/replica";
import { ImageSnapshot } from "../domain/images/snapshot";
import { Evidence } from "../evidence/evidence";
import { plainOnly } from "./componentInputs";
import { ImageReplicaArgs } from "./replicaArgs";

/** The source's evidence of each copied version (checked when the snapshot was read). */
export function replicaEvidence(
  plan: ReplicaPlan,
  source: ImageSnapshot,
): Record<string, Evidence> {
  const found: Record<string, Evidence> = {};
  for (const { version } of plan.versions) {
    const doc = source.evidence[version];
    if (doc !== undefined) found[version] = doc;
  }
  return found;
}

/** The component inputs: shaped like a GlobalImage's where the policies read both. */
export function replicaInputs(
  args: ImageReplicaArgs,
  plan: ReplicaPlan,
  source: ImageSnapshot,
  evidence: Record<string, Evidence>,
): pulumi.Inputs {
  const { source: _source, ...rest } = args;
  return {
    ...rest,
    tags: plainOnly(args.tags),
    image: plan.image,
    activeVersion: plan.activeVersion,
    stagedVersion: plan.stagedVersion,
    retainBackups: plan.retainBackups,
    following: plan.following,
    versions: Object.fromEntries(plan.versions.map((v) => [v.version, {}])),
    evidence,
    source: {
      imageName: source.imageName,
      activeVersion: source.activeVersion,
      stagedVersion: source.stagedVersion,
      roles: Object.fromEntries(Object.entries(source.versions).map(([v, d]) => [v, d.role])),
      regions: Object.fromEntries(Object.entries(source.versions).map(([v, d]) => [v, d.regions])),
      activatedAt: Object.fromEntries(
        Object.entries(source.versions).flatMap(([v, d]) =>
          d.activatedAt === undefined ? [] : [[v, d.activatedAt]],
        ),
      ),
      rings: source.rings,
    },
    // When the ring moves next: stable between runs (the reason sentence is not).
    ...(plan.ring?.nextChangeAt && { ringNextChangeAt: plan.ring.nextChangeAt }),
  };
}
