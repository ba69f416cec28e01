import * as pulumi from "@pulumi/pulumi";
import {
  HostPoolType,
  LoadBalancerType,
  OsDiskType,
  PreferredAppGroupType,
  VmSecurityType,
} from "../domain/hostPools/hostPool";
import { ImageBinding } from "./imageHandle";

/** The session host template a pool records in `vmTemplate`; every setting has a default. */
export interface VmTemplateArgs {
  /**
   * Session host computer names are `<namePrefix>-<n>`: 1-11 letters, digits or hyphens.
   * @default the component name, shortened
   */
  readonly namePrefix?: string;
  /**
   * The session host VM size.
   * @default "Standard_D4s_v5"
   */
  readonly vmSize?: string;
  /**
   * vCPUs of `vmSize`; needed only for sizes this package does not know.
   * @default looked up from `vmSize`
   */
  readonly vmCores?: number;
  /**
   * Memory of `vmSize` in GiB; needed only for sizes this package does not know.
   * @default looked up from `vmSize`
   */
  readonly vmRamGB?: number;
  /**
   * The OS disk storage.
   * @default "StandardSSD_LRS"
   */
  readonly osDiskType?: OsDiskType;
  /**
   * The OS disk size in GiB; 0 keeps the image's size.
   * @default 0
   */
  readonly diskSizeGB?: number;
  /**
   * The VM security type; must be one the image definition allows.
   * @default "TrustedLaunch"
   */
  readonly securityType?: VmSecurityType;
  /**
   * Secure boot.
   * @default true unless securityType is "Standard"
   */
  readonly secureBoot?: boolean;
  /**
   * Virtual TPM.
   * @default true unless securityType is "Standard"
   */
  readonly vTPM?: boolean;
  /**
   * The Active Directory domain session hosts join; empty for Microsoft Entra join.
   * @default "" (Microsoft Entra join)
   */
  readonly domain?: string;
  /**
   * Hibernation support.
   * @default false
   */
  readonly hibernate?: boolean;
}

/**
 * Session host VMs to create from the pool's image version (Microsoft Entra joined). A new
 * version reaches them by a rolling update, one safe step per `pulumi up` (see `rollout`): never
 * all at once.
 */
export interface SessionHostsArgs {
  /** How many session hosts to create, named `<namePrefix>-0` ... `<namePrefix>-<count-1>`. */
  readonly count: number;
  /** The subnet the session hosts' network interfaces join. */
  readonly subnetId: pulumi.Input<string>;
  /**
   * The local administrator's name (the password is generated and kept secret).
   * @default "avdadmin"
   */
  readonly adminUsername?: pulumi.Input<string>;
  /**
   * The AVD agent configuration package the DSC extension installs.
   * @default the package Microsoft's session host templates use
   */
  readonly agentConfigurationUrl?: pulumi.Input<string>;
  /**
   * Windows license type: "Windows_Client" for Windows 10/11 multi-session, "Windows_Server" for server.
   * @default "Windows_Client"
   */
  readonly licenseType?: pulumi.Input<string>;
  /**
   * How hosts move to a new version: drained in batches, replaced once empty or past their grace
   * period, the first batch a canary of one host; halted by a host that does not come up healthy.
   * @default batches of 1, 60 minutes' grace, no surge, halt at the first failed host
   */
  readonly rollout?: RolloutArgs;
}

/**
 * How session hosts move to a new version (the domain's `RolloutSettings`, as the multi-language
 * schema can carry it: `batchSize` is a number or a percentage string, so it is typed `any`).
 */
export interface RolloutArgs {
  /**
   * Hosts changed per step: a number such as 2, or a percentage of the pool such as "25%". A
   * percentage is a ceiling: without surge at most ⌊N % × count⌋ hosts (at least 1) are out of
   * service at once; with surge ⌈N % × count⌉ extra hosts are added per batch. The first batch
   * of every rollout is a canary of one host, whatever this says.
   * @default 1
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a number or a string; schemas have no unions
  readonly batchSize?: any;
  /**
   * Minutes a drained host may keep user sessions before it is replaced anyway; 0 replaces a
   * host in the step after it was drained.
   * @default 60
   */
  readonly drainGraceMinutes?: number;
  /**
   * Add new hosts before old ones are removed, so hosts accepting sessions never drop below the
   * pool's count (needs quota and subnet room for a batch of extra VMs). Not for personal pools.
   * @default false
   */
  readonly surge?: boolean;
  /**
   * Text sent to every user session of a host when it starts draining (AVD's "send message"),
   * at most 1,000 characters.
   * @default no message
   */
  readonly message?: string;
  /**
   * New hosts that may fail to become healthy before the rollout halts; 0 halts at the first.
   * @default 0
   */
  readonly maxFailedHosts?: number;
}

/** The arguments of an {@link ImageHostPool}. */
export interface ImageHostPoolArgs {
  /** The image the pool's session hosts boot: a `GlobalImage` or an `ImageHandle`. */
  readonly image: ImageBinding;
  /** The resource group of the host pool (and its session hosts). */
  readonly resourceGroupName: pulumi.Input<string>;
  /**
   * The host pool's region (metadata); session hosts use it too.
   * @default the resource group's region
   */
  readonly location?: pulumi.Input<string>;
  /**
   * The host pool's name.
   * @default the component name
   */
  readonly hostPoolName?: pulumi.Input<string>;
  /** Pooled (shared session hosts) or Personal. */
  readonly hostPoolType: pulumi.Input<HostPoolType>;
  /** How sessions are spread over session hosts. */
  readonly loadBalancerType: pulumi.Input<LoadBalancerType>;
  /** What the pool's default application group publishes. */
  readonly preferredAppGroupType: pulumi.Input<PreferredAppGroupType>;
  /**
   * AVD's validation flag. A validation pool boots the staged version (the active one when nothing
   * is staged) and receives AVD service updates first; a production pool boots the active version.
   * @default false
   */
  readonly validationEnvironment?: boolean;
  /**
   * The image ring this production pool is in (one of the image's `rings`): the pool runs the
   * newest version that has reached that ring (soaked in the ring before it, inside the ring's
   * change window), and moves on by itself on a later `pulumi up`. The image's versions must be
   * known when the pool is declared (a GlobalImage or ImageReplica of this program, or
   * `await ImageHandle.fromStackAsync`).
   * @default no ring: the active version
   */
  readonly ring?: string;
  /**
   * The most sessions per session host (pooled pools).
   * @default the service default
   */
  readonly maxSessionLimit?: pulumi.Input<number>;
  /**
   * Start a deallocated session host when a user connects.
   * @default false
   */
  readonly startVMOnConnect?: pulumi.Input<boolean>;
  /**
   * For personal pools: "Automatic" or "Direct" assignment.
   * @default the service default
   */
  readonly personalDesktopAssignmentType?: pulumi.Input<string>;
  /**
   * RDP properties, e.g. "audiocapturemode:i:1;redirectclipboard:i:1;".
   * @default the service default
   */
  readonly customRdpProperty?: pulumi.Input<string>;
  /**
   * The name users see.
   * @default none
   */
  readonly friendlyName?: pulumi.Input<string>;
  /**
   * A description.
   * @default none
   */
  readonly description?: pulumi.Input<string>;
  /**
   * Expiration of the pool's registration token (ISO date-time, at most 30 days ahead). Required
   * with `sessionHosts`; a fixed value (not computed from the clock) so runs do not drift.
   * @default no registration token
   */
  readonly registrationTokenExpiration?: string;
  /**
   * The session host template recorded in `vmTemplate`.
   * @default every setting's default
   */
  readonly vmTemplate?: VmTemplateArgs;
  /**
   * Session host VMs to create from the pool's version.
   * @default none
   */
  readonly sessionHosts?: SessionHostsArgs;
  /**
   * Tags on the host pool and its session hosts (`global-image:*` keys are reserved).
   * @default none
   */
  readonly tags?: { [key: string]: pulumi.Input<string> };
}
