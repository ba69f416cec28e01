import * as pulumi from "@pulumi/pulumi";
import type { EvidenceDocument } from "../evidence/document";
import {
  HyperVGeneration,
  OsState,
  OsType,
  ReplicaStorageType,
  SecurityType,
} from "../domain/common/kinds";
import { Weekday } from "../domain/rings/ringSettings";
import type { ImageBuilderArgs } from "./buildArgs";

/** The gallery image definition every version belongs to. */
export interface ImageDefinitionArgs {
  /** The image definition's name in the gallery (1-80 letters, digits, `-`, `_`, `.`). */
  readonly name: string;
  /** The publisher part of the image identifier, e.g. `"Contoso"`. */
  readonly publisher: string;
  /** The offer part of the image identifier, e.g. `"avd"`. */
  readonly offer: string;
  /** The SKU part of the image identifier, e.g. `"win11-24h2-multi"`. */
  readonly sku: string;
  /** The operating system of the image. */
  readonly osType: OsType;
  /**
   * Whether the source was generalized (sysprep) or specialized.
   * @default "Generalized"
   */
  readonly osState?: OsState;
  /**
   * The Hyper-V generation of VMs booted from the image.
   * @default "V2"
   */
  readonly hyperVGeneration?: HyperVGeneration;
  /**
   * The image definition's `SecurityType` feature; `Standard` declares none.
   * @default "TrustedLaunch"
   */
  readonly securityType?: SecurityType;
  /**
   * A description shown in the portal.
   * @default no description
   */
  readonly description?: string;
}

/** A region a version is replicated to. */
export interface RegionArgs {
  /** The Azure region, e.g. `"westeurope"`. Each region may be listed once. */
  readonly name: string;
  /**
   * How many replicas of the version to keep in this region (more replicas serve more parallel
   * VM creations, e.g. an autoscale burst).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The storage of the replicas in this region.
   * @default "Standard_ZRS"
   */
  readonly storageAccountType?: ReplicaStorageType;
}

/** What a version is made from: give exactly one of the fields (`vhdUri` with `storageAccountId`). */
export interface ImageSourceArgs {
  /** Capture this generalized VM (Nerdio's "Set as image"). */
  readonly virtualMachineId?: pulumi.Input<string>;
  /** Copy this managed image (`Microsoft.Compute/images`). */
  readonly managedImageId?: pulumi.Input<string>;
  /** Use this OS disk snapshot. */
  readonly snapshotId?: pulumi.Input<string>;
  /** Use this managed OS disk. */
  readonly diskId?: pulumi.Input<string>;
  /** Copy this gallery image version, e.g. from another gallery. */
  readonly galleryImageVersionId?: pulumi.Input<string>;
  /** Import this VHD blob URI; needs `storageAccountId`. */
  readonly vhdUri?: pulumi.Input<string>;
  /** The storage account that holds `vhdUri`; only with `vhdUri`. */
  readonly storageAccountId?: pulumi.Input<string>;
  /**
   * Build the version with Azure VM Image Builder: the component creates the template, Azure
   * builds, and the version is published once the build succeeds (see docs/building-images.md).
   */
  readonly imageBuilder?: ImageBuilderArgs;
}

/** One image version, keyed by its name in `versions`. */
export interface ImageVersionArgs {
  /** What this version is made from. Changing it replaces the version: publish a new one instead. */
  readonly source: ImageSourceArgs;
  /**
   * Where this version is replicated, replacing the image's default `regions`.
   * @default the component's `regions`
   */
  readonly regions?: RegionArgs[];
  /**
   * The version's end-of-life date (ISO 8601, e.g. `"2027-06-30"`, or a date-time with an offset).
   * Azure takes a date-time: a date alone is sent as midnight UTC (`2027-06-30T00:00:00Z`).
   * Informational for consumers; on active and backup versions it also turns on Azure's
   * `blockDeletionBeforeEndOfLife`.
   * @default no end-of-life date
   */
  readonly endOfLifeDate?: string;
  /**
   * Extra tags for this version (the `global-image:*` keys are reserved).
   * @default no extra tags
   */
  readonly tags?: { [key: string]: pulumi.Input<string> };
  /**
   * Marks the version as found bad: its role is `withdrawn` wherever it sits, so it is never a
   * backup a rollback could land on. `global-image rollback` sets it on the version it leaves;
   * remove it to stage or activate the version again.
   * @default false
   */
  readonly withdrawn?: boolean;
  /**
   * When the version became active (RFC 3339, e.g. `"2026-12-01T10:00:00Z"`), recorded by
   * `global-image promote` and kept by `rollback`: rings count their soak time from it. Tagged
   * `global-image:activated-at` on the version. Required on the active version when `rings` are
   * declared.
   * @default not recorded
   */
  readonly activatedAt?: string;
}

/** When a ring may change version: from `start` on each of `days`, for `hours`, local time. */
export interface RingWindowArgs {
  /** An IANA time zone, e.g. `"Europe/Amsterdam"`; daylight saving time is followed. */
  readonly timeZone: string;
  /** The days a window opens on. */
  readonly days: Weekday[];
  /** Local start time, `HH:MM` (24-hour), e.g. `"22:00"`. */
  readonly start: string;
  /** How long each window lasts: 1 to 168 hours (it may run past midnight). */
  readonly hours: number;
}

/** One ring of consumers: the first gets the active version at once, later ones after soaking. */
export interface RingArgs {
  /** The ring's name (lower-case letters, digits, hyphens), e.g. `"pilot"`. */
  readonly name: string;
  /**
   * Days a version must have been in the previous ring before this ring gets it (not on the
   * first ring).
   * @default 0
   */
  readonly soakDays?: number;
  /**
   * When this ring may change version; a version that has soaked waits for the next opening.
   * A rollback is never held by a window.
   * @default no window: at any time
   */
  readonly window?: RingWindowArgs;
}

/** Custom timeouts for the version resources (durations such as `"3h"` or `"90m"`). */
export interface VersionTimeoutsArgs {
  /**
   * How long creating (and replicating) a version may take.
   * @default "3h"
   */
  readonly create?: string;
  /**
   * How long an update (role flags, regions, replicas) may take.
   * @default "3h"
   */
  readonly update?: string;
  /**
   * How long deleting a version may take.
   * @default "1h"
   */
  readonly delete?: string;
}

/** The arguments of a {@link GlobalImage}. */
export interface GlobalImageArgs {
  /** The resource group of the gallery and everything in it. */
  readonly resourceGroupName: pulumi.Input<string>;
  /**
   * The region of the gallery, its image definition and versions.
   * @default the resource group's region
   */
  readonly location?: pulumi.Input<string>;
  /** The gallery's name (letters, digits, `_` and `.`; no hyphens). */
  readonly galleryName: pulumi.Input<string>;
  /**
   * Create the gallery (`true`) or use an existing gallery of that name in `resourceGroupName`.
   * @default true
   */
  readonly createGallery?: boolean;
  /** The image definition the versions belong to. */
  readonly image: ImageDefinitionArgs;
  /** The default replication of every version: at least one region, each listed once. */
  readonly regions: RegionArgs[];
  /**
   * Every version, keyed by its Azure name (`MAJOR.MINOR.PATCH`). A version's key names its
   * resource: a promotion or rollback never replaces one.
   */
  readonly versions: { [version: string]: ImageVersionArgs };
  /** The version production uses: the gallery's "latest" and every production consumer's image. */
  readonly activeVersion: string;
  /**
   * The version under test: published, excluded from "latest", used only by validation pools.
   * Equal to `activeVersion` right after a promotion (nothing staged).
   * @default nothing staged
   */
  readonly stagedVersion?: string;
  /**
   * How many versions below the active one stay protected backups for a rollback (0 keeps none).
   * @default 1
   */
  readonly retainBackups?: number;
  /**
   * Tags for every resource the component creates (the `global-image:*` keys are reserved).
   * @default no extra tags
   */
  readonly tags?: { [key: string]: pulumi.Input<string> };
  /**
   * Test evidence by version (what `global-image attest` writes). It reaches the engine with the
   * component's inputs, where the policy pack judges the active version's evidence; each version
   * with evidence is tagged `global-image:tests` and `global-image:evidence-sha256`.
   * @default no inline evidence
   */
  readonly evidence?: { [version: string]: EvidenceDocument };
  /**
   * A directory of evidence files: `<evidenceDir>/<image name>/<version>.sigstore.json` (a
   * Sigstore bundle of an in-toto test-result attestation), else `<version>.json` (an evidence
   * document); inline `evidence` wins over a file for the same version.
   * @default no evidence directory
   */
  readonly evidenceDir?: string;
  /**
   * Rings consumers may follow (`ring` on ImageHostPool and ImageReplica), in order: e.g.
   * `[{ name: "pilot" }, { name: "early", soakDays: 2 }, { name: "broad", soakDays: 7, window }]`.
   * @default no rings: every production consumer runs the active version
   */
  readonly rings?: RingArgs[];
  /**
   * Timeouts of the version resources; replication to many regions takes hours, and a
   * component's own timeouts are not inherited by its children.
   * @default { create: "3h", update: "3h", delete: "1h" }
   */
  readonly customTimeouts?: VersionTimeoutsArgs;
}
