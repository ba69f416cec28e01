/**
 * Validation and defaults of an image-bound AVD host pool: its kind, the session host template
 * (`vmTemplate`) settings, and the optional session hosts. Every bad value raises a
 * GlobalImageError naming the field, before anything is registered.
 */
import {
  checkTags,
  optionalBoolean,
  optionalIsoDate,
  requireEnum,
  requireInteger,
  requireIntegerIn,
  isOutputLike,
  requireObject,
  requireString,
} from "../common/checks";
import { invalid } from "../common/errors";
import { knownVmSize } from "./vmSizes";
import {
  MAX_SESSION_HOSTS,
  RolloutSettingsSummary,
  resolveRollout,
  summarizeRollout,
} from "./rolloutSettings";

/** Whether users share session hosts (`Pooled`) or each gets one (`Personal`). */
export const HostPoolType = { Pooled: "Pooled", Personal: "Personal" } as const;
export type HostPoolType = (typeof HostPoolType)[keyof typeof HostPoolType];

/** How sessions are spread over session hosts. */
export const LoadBalancerType = {
  BreadthFirst: "BreadthFirst",
  DepthFirst: "DepthFirst",
  Persistent: "Persistent",
} as const;
export type LoadBalancerType = (typeof LoadBalancerType)[keyof typeof LoadBalancerType];

/** What the pool's default application group publishes. */
export const PreferredAppGroupType = {
  Desktop: "Desktop",
  RailApplications: "RailApplications",
  None: "None",
} as const;
export type PreferredAppGroupType =
  (typeof PreferredAppGroupType)[keyof typeof PreferredAppGroupType];

/** The storage of a session host's OS disk. */
export const OsDiskType = {
  Standard_LRS: "Standard_LRS",
  StandardSSD_LRS: "StandardSSD_LRS",
  Premium_LRS: "Premium_LRS",
} as const;
export type OsDiskType = (typeof OsDiskType)[keyof typeof OsDiskType];

/** The VM security type of the session hosts (must be one the image definition allows). */
export const VmSecurityType = {
  Standard: "Standard",
  TrustedLaunch: "TrustedLaunch",
  ConfidentialVM: "ConfidentialVM",
} as const;
export type VmSecurityType = (typeof VmSecurityType)[keyof typeof VmSecurityType];

/** Which version of an image a consumer boots. */
export const ConsumerRole = {
  /** The active version: production. */
  Active: "active",
  /** The staged version, or the active one when nothing is staged: validation. */
  Staged: "staged",
} as const;
export type ConsumerRole = (typeof ConsumerRole)[keyof typeof ConsumerRole];

/** The session host template settings with defaults applied. */
export interface VmTemplatePlan {
  readonly namePrefix: string;
  readonly vmSize: string;
  readonly vmCores: number;
  readonly vmRamGB: number;
  readonly osDiskType: OsDiskType;
  readonly diskSizeGB: number;
  readonly securityType: VmSecurityType;
  readonly secureBoot: boolean;
  readonly vTPM: boolean;
  readonly domain: string;
  readonly hibernate: boolean;
}

/** The validated plain parts of a host pool's arguments. */
export interface HostPoolPlan {
  readonly validationEnvironment: boolean;
  /** The image ring a production pool follows, if any. */
  readonly ring?: string;
  readonly vmTemplate: VmTemplatePlan;
  /** How many session hosts to create (0: none, the pool's hosts are managed elsewhere). */
  readonly sessionHostCount: number;
  /** With session hosts: what the rollout settings resolve to for that count. */
  readonly rollout?: RolloutSettingsSummary;
  readonly registrationTokenExpiration?: string;
}

/** What the validator reads; anything may arrive from JavaScript, YAML or stack config. */
export interface HostPoolSpec {
  readonly hostPoolType?: unknown;
  readonly loadBalancerType?: unknown;
  readonly preferredAppGroupType?: unknown;
  readonly maxSessionLimit?: unknown;
  readonly validationEnvironment?: unknown;
  readonly ring?: unknown;
  readonly vmTemplate?: unknown;
  readonly sessionHosts?: unknown;
  readonly registrationTokenExpiration?: unknown;
  readonly tags?: unknown;
}

/** Default session host size: 4 vCPUs, 16 GiB, a common multi-session size. */
export const DEFAULT_VM_SIZE = "Standard_D4s_v5";

/**
 * Validates a pool's arguments. `name` (the component name) seeds the default session host name
 * prefix. Values that may be Outputs (enums passed as Inputs) are checked only when plain.
 */
export function planHostPool(name: string, spec: HostPoolSpec): HostPoolPlan {
  const plainEnum = <T extends Record<string, string>>(
    field: string,
    value: unknown,
    values: T,
  ) => {
    if (!isOutputLike(value)) requireEnum(field, value, values);
  };
  plainEnum("hostPoolType", spec.hostPoolType, HostPoolType);
  plainEnum("loadBalancerType", spec.loadBalancerType, LoadBalancerType);
  plainEnum("preferredAppGroupType", spec.preferredAppGroupType, PreferredAppGroupType);
  if (spec.maxSessionLimit !== undefined && !isOutputLike(spec.maxSessionLimit)) {
    requireInteger("maxSessionLimit", spec.maxSessionLimit, 1);
  }
  const validationEnvironment = spec.validationEnvironment ?? false;
  if (typeof validationEnvironment !== "boolean") {
    throw invalid(
      "validationEnvironment",
      validationEnvironment,
      "must be true or false (a plain value: it decides which image version the pool uses)",
      "Set it to true for a validation pool (staged version) or leave it out for production.",
    );
  }
  checkTags("tags", spec.tags);
  const vmTemplate = planVmTemplate(name, spec.vmTemplate);
  const { count: sessionHostCount, rollout } = planSessionHosts(
    spec.sessionHosts,
    spec.hostPoolType,
  );
  if (sessionHostCount > 0 && vmTemplate.securityType === VmSecurityType.ConfidentialVM) {
    throw invalid(
      "vmTemplate.securityType",
      vmTemplate.securityType,
      "is not supported for session hosts this component creates (confidential OS disk encryption is not set up)",
      'Use "TrustedLaunch" or "Standard", or create confidential session hosts outside the component.',
    );
  }
  const registrationTokenExpiration = optionalIsoDate(
    "registrationTokenExpiration",
    spec.registrationTokenExpiration,
  );
  if (sessionHostCount > 0 && registrationTokenExpiration === undefined) {
    throw invalid(
      "registrationTokenExpiration",
      undefined,
      "is required when sessionHosts are declared (the hosts register with the pool's token)",
      'Set an ISO date-time within 30 days, e.g. "2026-12-20T00:00:00Z"; renew it in config before the hosts are re-created.',
    );
  }
  const ring = checkPoolRing(spec.ring, validationEnvironment);
  return {
    validationEnvironment,
    ...(ring === undefined ? {} : { ring }),
    vmTemplate,
    sessionHostCount,
    ...(rollout === undefined ? {} : { rollout }),
    registrationTokenExpiration,
  };
}

function planVmTemplate(name: string, value: unknown): VmTemplatePlan {
  const t =
    value === undefined
      ? {}
      : requireObject("vmTemplate", value, "Give vmTemplate as an object of settings.");
  const namePrefix =
    t.namePrefix === undefined ? defaultNamePrefix(name) : checkNamePrefix(t.namePrefix);
  const vmSize =
    t.vmSize === undefined
      ? DEFAULT_VM_SIZE
      : requireString(
          "vmTemplate.vmSize",
          t.vmSize,
          'Name an Azure VM size, e.g. "Standard_D4s_v5".',
        );
  const known = knownVmSize(vmSize);
  if (!known && (t.vmCores === undefined || t.vmRamGB === undefined)) {
    throw invalid(
      "vmTemplate.vmCores",
      t.vmCores,
      `must be given with vmRamGB for the VM size "${vmSize}", which this package does not know`,
      "Set vmTemplate.vmCores and vmTemplate.vmRamGB to the size's vCPUs and memory in GiB.",
    );
  }
  const securityType = requireEnum(
    "vmTemplate.securityType",
    t.securityType,
    VmSecurityType,
    VmSecurityType.TrustedLaunch,
  );
  const secured = securityType !== VmSecurityType.Standard;
  return {
    namePrefix,
    vmSize,
    vmCores: requireInteger("vmTemplate.vmCores", t.vmCores, 1, known?.cores ?? 1),
    vmRamGB: requireInteger("vmTemplate.vmRamGB", t.vmRamGB, 1, known?.ram ?? 1),
    osDiskType: requireEnum(
      "vmTemplate.osDiskType",
      t.osDiskType,
      OsDiskType,
      OsDiskType.StandardSSD_LRS,
    ),
    diskSizeGB: requireInteger("vmTemplate.diskSizeGB", t.diskSizeGB, 0, 0),
    securityType,
    secureBoot: optionalBoolean("vmTemplate.secureBoot", t.secureBoot, secured),
    vTPM: optionalBoolean("vmTemplate.vTPM", t.vTPM, secured),
    domain:
      t.domain === undefined
        ? ""
        : requireString(
            "vmTemplate.domain",
            t.domain,
            "Give the AD domain to join, or leave it out for Microsoft Entra join.",
          ),
    hibernate: optionalBoolean("vmTemplate.hibernate", t.hibernate, false),
  };
}

/** Session host names are `<prefix>-<n>` and Windows computer names have at most 15 characters. */
const NAME_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,9}[a-z0-9])?$/i;

function checkNamePrefix(value: unknown): string {
  const prefix = requireString(
    "vmTemplate.namePrefix",
    value,
    'Give a short prefix such as "avd-prod".',
  );
  if (!NAME_PREFIX.test(prefix)) {
    throw invalid(
      "vmTemplate.namePrefix",
      prefix,
      "must be 1-11 letters, digits or hyphens, starting and ending with a letter or digit",
      "Shorten it: session host computer names are <prefix>-<number> and Windows allows 15 characters.",
    );
  }
  return prefix;
}

/** The component name, reduced to what a computer name prefix allows. */
export function defaultNamePrefix(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "")
    .slice(0, 11)
    .replace(/^-+|-+$/g, "");
  return cleaned === "" ? "avd" : cleaned;
}

function planSessionHosts(
  value: unknown,
  hostPoolType: unknown,
): { count: number; rollout?: RolloutSettingsSummary } {
  if (value === undefined) return { count: 0 };
  const hosts = requireObject(
    "sessionHosts",
    value,
    "Give sessionHosts as { count, subnetId, ... }.",
  );
  const count = requireIntegerIn("sessionHosts.count", hosts.count, 0, MAX_SESSION_HOSTS);
  const rollout = resolveRollout(hosts.rollout, "sessionHosts.rollout");
  if (count > 0 && rollout.maxFailedHosts >= count)
    throw invalid(
      "sessionHosts.rollout.maxFailedHosts",
      rollout.maxFailedHosts,
      `is not below the pool's ${count} hosts: the rollout could never halt on failed hosts`,
      `Set it below ${count} (0, the default, halts at the first host that fails).`,
    );
  if (rollout.surge && hostPoolType === HostPoolType.Personal) {
    throw invalid(
      "sessionHosts.rollout.surge",
      true,
      "cannot be used in a personal pool (surge hosts get new names, and personal desktops are assigned by name)",
      "Leave surge out: personal hosts are replaced in place under their own names.",
    );
  }
  if (count > 0 && (hosts.subnetId === undefined || hosts.subnetId === "")) {
    throw invalid(
      "sessionHosts.subnetId",
      hosts.subnetId,
      "is required to create session hosts",
      "Set it to the id of the subnet the session hosts join.",
    );
  }
  return count > 0 ? { count, rollout: summarizeRollout(rollout, count) } : { count };
}

function checkPoolRing(value: unknown, validation: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "")
    throw invalid(
      "ring",
      value,
      "must be the name of one of the image's rings",
      "Name a ring of the image, or leave it out to use the active version.",
    );
  if (validation)
    throw invalid(
      "ring",
      value,
      "cannot be set on a validation pool",
      "A validation pool tests the staged version; rings order production pools. Remove ring or validationEnvironment.",
    );
  return value;
}
