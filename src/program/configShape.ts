/**
 * Every key the root project's `global-image:*` config may hold, at every level. A key that is not
 * here is refused before anything is registered, naming the key and the closest known one: a
 * misspelled `global-image:hostPool` must not quietly deploy no host pools.
 *
 * test/program/configShape.test.ts pins these lists to the multi-language schema (schema.json), so
 * a new component argument cannot be forgotten here.
 */
import { invalid, joinField, keyField } from "../domain/common/errors";
import { SourceKind, enumValues } from "../domain/common/kinds";
import { didYouMean } from "../domain/common/suggest";

/** What a config value holds below it. */
export type Shape =
  /** A value whose inside is not ours to check (a string, a number, tag names, evidence). */
  | { readonly kind: "leaf" }
  /** An object with exactly these keys (each optional). */
  | { readonly kind: "fields"; readonly fields: Readonly<Record<string, Shape>> }
  /** An object of user-chosen names (image keys, versions, pools), each with the same shape. */
  | { readonly kind: "map"; readonly of: Shape }
  /** A list, each item with the same shape. */
  | { readonly kind: "list"; readonly of: Shape };

const leaf: Shape = { kind: "leaf" };
const fields = (f: Record<string, Shape> | readonly string[]): Shape => ({
  kind: "fields",
  fields: Array.isArray(f)
    ? Object.fromEntries(f.map((k) => [k, leaf]))
    : (f as Record<string, Shape>),
});
const mapOf = (of: Shape): Shape => ({ kind: "map", of });
const listOf = (of: Shape): Shape => ({ kind: "list", of });

const REGION = fields(["name", "replicas", "storageAccountType"]);

/** `global-image:images.<key>.image`. */
export const IMAGE_DEFINITION_KEYS = [
  "name",
  "publisher",
  "offer",
  "sku",
  "osType",
  "osState",
  "hyperVGeneration",
  "securityType",
  "description",
] as const;

const VERSION = fields({
  source: fields([...enumValues(SourceKind), "storageAccountId"]),
  regions: listOf(REGION),
  endOfLifeDate: leaf,
  tags: leaf,
  withdrawn: leaf,
  activatedAt: leaf,
});

const RING = fields({
  name: leaf,
  soakDays: leaf,
  window: fields(["timeZone", "days", "start", "hours"]),
});

const IMAGE = fields({
  image: fields(IMAGE_DEFINITION_KEYS),
  evidence: leaf,
  regions: listOf(REGION),
  versions: mapOf(VERSION),
  activeVersion: leaf,
  stagedVersion: leaf,
  retainBackups: leaf,
  tags: leaf,
  customTimeouts: fields(["create", "update", "delete"]),
  rings: listOf(RING),
});

const REPLICA = fields({
  source: leaf,
  provider: leaf,
  resourceGroupName: leaf,
  location: leaf,
  galleryName: leaf,
  createGallery: leaf,
  regions: listOf(REGION),
  activeVersion: leaf,
  stagedVersion: leaf,
  retainBackups: leaf,
  tags: leaf,
  customTimeouts: fields(["create", "update", "delete"]),
  ring: leaf,
});

const POOL = fields({
  image: leaf,
  hostPoolName: leaf,
  hostPoolType: leaf,
  loadBalancerType: leaf,
  preferredAppGroupType: leaf,
  validationEnvironment: leaf,
  ring: leaf,
  maxSessionLimit: leaf,
  startVMOnConnect: leaf,
  personalDesktopAssignmentType: leaf,
  customRdpProperty: leaf,
  friendlyName: leaf,
  description: leaf,
  registrationTokenExpiration: leaf,
  vmTemplate: fields([
    "namePrefix",
    "vmSize",
    "vmCores",
    "vmRamGB",
    "osDiskType",
    "diskSizeGB",
    "securityType",
    "secureBoot",
    "vTPM",
    "domain",
    "hibernate",
  ]),
  sessionHosts: fields({
    count: leaf,
    subnetId: leaf,
    adminUsername: leaf,
    agentConfigurationUrl: leaf,
    licenseType: leaf,
    rollout: fields(["batchSize", "drainGraceMinutes", "surge", "message", "maxFailedHosts"]),
  }),
  tags: leaf,
});

/** How the engine hands a top-level key's value to the program, and how it is read back. */
export const ConfigValueKind = {
  /** Kept exactly as the string the engine passes (`"2024"` stays a string). */
  String: "string",
  /** `true` or `false`, as `pulumi.Config.getBoolean` reads it. */
  Boolean: "boolean",
  /** A mapping: the engine passes it as JSON text. */
  Object: "object",
} as const;
export type ConfigValueKind = (typeof ConfigValueKind)[keyof typeof ConfigValueKind];

/** The top-level keys of the `global-image` namespace, how each is read, and its shape. */
export const ROOT_KEYS: Readonly<Record<string, { kind: ConfigValueKind; shape: Shape }>> = {
  resourceGroupName: { kind: "string", shape: leaf },
  createResourceGroup: { kind: "boolean", shape: leaf },
  location: { kind: "string", shape: leaf },
  galleryName: { kind: "string", shape: leaf },
  createGallery: { kind: "boolean", shape: leaf },
  tags: { kind: "object", shape: leaf },
  evidenceDir: { kind: "string", shape: leaf },
  /** The policy pack config file the CLI reads (`status`, `promote`, `verify`, `check`). */
  policyConfig: { kind: "string", shape: leaf },
  images: { kind: "object", shape: mapOf(IMAGE) },
  replicas: { kind: "object", shape: mapOf(REPLICA) },
  hostPools: { kind: "object", shape: mapOf(POOL) },
};

/** Throws on the first key anywhere in `value` that `shape` does not know, naming the closest. */
export function checkShape(at: string, value: unknown, shape: Shape): void {
  if (shape.kind === "leaf" || typeof value !== "object" || value === null) return;
  if (shape.kind === "list") {
    if (Array.isArray(value)) value.forEach((item, i) => checkShape(`${at}[${i}]`, item, shape.of));
    return;
  }
  if (Array.isArray(value)) return; // the validators say what the value must be
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (shape.kind === "map") {
      checkShape(joinField(at, mapKey(key)), child, shape.of);
      continue;
    }
    const known = Object.keys(shape.fields);
    if (!known.includes(key)) throw unknownKey(at, key, child, known);
    checkShape(joinField(at, mapKey(key)), child, shape.fields[key]);
  }
}

/** The error for a key nobody reads. */
export function unknownKey(
  at: string,
  key: string,
  value: unknown,
  known: readonly string[],
): Error {
  return invalid(
    at.endsWith(":") ? `${at}${key}` : joinField(at, mapKey(key)),
    value,
    "is not a known setting here",
    `Check the spelling.${didYouMean(key, known)} Known here: ${known.join(", ")}.`,
  );
}

/** Config paths write plain keys as `.key` and others (versions, odd names) as `["1.0.0"]`. */
function mapKey(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? key : keyField(key);
}
