/**
 * The inputs of one gallery image version, derived from its validated plan. Pure mapping: the same
 * plan always gives the same inputs (no clock, no randomness), so there are no perpetual diffs.
 */
import { toArmDateTime } from "../domain/common/time";
import * as pulumi from "@pulumi/pulumi";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { SourceKind } from "../domain/common/kinds";
import { TagKey, versionTags } from "../domain/common/tags";
import { evidenceSha256 } from "../evidence/canonical";
import { Evidence } from "../evidence/evidence";
import { testsTag } from "../evidence/verdict";
import { VersionPlan } from "../domain/images/validate";
import { ImageSourceArgs, VersionTimeoutsArgs } from "./args";

type StorageProfile = azureInputs.compute.GalleryImageVersionStorageProfileArgs;
type PublishingProfile = azureInputs.compute.GalleryImageVersionPublishingProfileArgs;
type SafetyProfile = azureInputs.compute.GalleryImageVersionSafetyProfileArgs;

/** Default timeouts of the version resources: replication to several regions takes hours. */
export const DEFAULT_VERSION_TIMEOUTS: Required<VersionTimeoutsArgs> = {
  create: "3h",
  update: "3h",
  delete: "1h",
};

/** Where Azure expects each kind of source in `storageProfile`. */
export function storageProfile(kind: SourceKind, source: ImageSourceArgs): StorageProfile {
  switch (kind) {
    case SourceKind.VirtualMachine:
      return { source: { virtualMachineId: source.virtualMachineId } };
    case SourceKind.ManagedImage:
      return { source: { id: source.managedImageId } };
    case SourceKind.GalleryImageVersion:
      return { source: { id: source.galleryImageVersionId } };
    case SourceKind.Snapshot:
      return { osDiskImage: { source: { id: source.snapshotId } } };
    case SourceKind.Disk:
      return { osDiskImage: { source: { id: source.diskId } } };
    case SourceKind.Vhd:
      return {
        osDiskImage: { source: { uri: source.vhdUri, storageAccountId: source.storageAccountId } },
      };
    case SourceKind.ImageBuilder:
      // Its source is the build's output, known once the build succeeded (builtVersions.ts).
      throw new Error("a built version's storage profile comes from its build");
    default: {
      const unhandled: never = kind;
      throw new Error(`unhandled source kind ${String(unhandled)}`);
    }
  }
}

/**
 * Replication and "latest": the role's `excludeFromLatest` is set globally and on every target
 * region, so the gallery's implicit "latest" is always the active version.
 */
export function publishingProfile(plan: VersionPlan): PublishingProfile {
  return {
    excludeFromLatest: plan.excludeFromLatest,
    // ARM declares it format: date-time; users may give a date (midnight UTC).
    endOfLifeDate: plan.endOfLifeDate === undefined ? undefined : toArmDateTime(plan.endOfLifeDate),
    targetRegions: plan.regions.map((region) => ({
      name: region.name,
      regionalReplicaCount: region.replicas,
      storageAccountType: region.storageAccountType,
      excludeFromLatest: plan.excludeFromLatest,
    })),
  };
}

/**
 * Deletion safety: protected roles (active, backup) block deletion before their end-of-life date
 * (Azure only enforces the block when the version has one) and refuse to drop replicated regions;
 * other roles may lose regions freely.
 */
export function safetyProfile(plan: VersionPlan): SafetyProfile {
  return {
    blockDeletionBeforeEndOfLife: plan.blockDeletionBeforeEndOfLife,
    allowDeletionOfReplicatedLocations: !plan.protect,
  };
}

/** Component tags, then the version's own, then the reserved role and evidence tags. */
export function versionResourceTags(
  imageName: string,
  plan: VersionPlan,
  componentTags: Record<string, pulumi.Input<string>> | undefined,
  ownTags: Record<string, pulumi.Input<string>> | undefined,
  evidence: Evidence | undefined,
): Record<string, pulumi.Input<string>> {
  const evidenceTags: Record<string, string> = evidence
    ? { [TagKey.Tests]: testsTag(evidence), [TagKey.EvidenceSha256]: evidenceSha256(evidence) }
    : {};
  const activated: Record<string, string> = plan.activatedAt
    ? { [TagKey.ActivatedAt]: plan.activatedAt }
    : {};
  return {
    ...componentTags,
    ...ownTags,
    ...versionTags(imageName, plan.version, plan.role),
    ...evidenceTags,
    ...activated,
  };
}
