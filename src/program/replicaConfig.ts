/**
 * `global-image:replicas`: replica name → ImageReplica arguments, with `source` naming an image of
 * this stack (`win11`, a key of `global-image:images`) or one of another stack
 * (`{ stack: "org/project/stack", output: "images.win11" }`), and an optional `provider` for the
 * customer's subscription (and tenant). Replicas of this stack's images are planned here, with the
 * component's validator; replicas of another stack's images once that stack has been read.
 */
import type { ImageReplicaArgs } from "../component/replicaArgs";
import { checkKnownKeys, requireObject, requireString } from "../domain/common/checks";
import { invalid, joinField } from "../domain/common/errors";
import { isGuid } from "../domain/common/armId";
import { planReplica } from "../domain/replicas/replica";
import { ImageSnapshot } from "../domain/images/snapshot";
import { configPath, under } from "./configFields";

/** Where a replica's source is. */
export type ReplicaSource =
  { readonly image: string } | { readonly stack: string; readonly output: string };

/** The azure-native provider of a replica: the customer's subscription, and tenant when another. */
export interface ReplicaProviderConfig {
  readonly subscriptionId: string;
  readonly tenantId?: string;
  readonly auxiliaryTenantIds?: string[];
}

/** One replica of the config. */
export interface ReplicaConfig {
  readonly key: string;
  /** Its config path, for errors raised once another stack has been read. */
  readonly at: string;
  readonly source: ReplicaSource;
  readonly provider?: ReplicaProviderConfig;
  readonly args: Omit<ImageReplicaArgs, "source">;
}

/** Checks `global-image:replicas` (absent: none); `snapshots` are this stack's images by key. */
export function parseReplicas(
  raw: unknown,
  snapshots: Readonly<Record<string, ImageSnapshot>>,
  now: string,
): ReplicaConfig[] {
  if (raw === undefined) return [];
  const replicas = requireObject(
    configPath("replicas"),
    raw,
    "Declare replicas as a map of replica name to { source, resourceGroupName, galleryName, regions }.",
  );
  return Object.entries(replicas).map(([key, value]) => parseReplica(key, value, snapshots, now));
}

function parseReplica(
  key: string,
  value: unknown,
  snapshots: Readonly<Record<string, ImageSnapshot>>,
  now: string,
): ReplicaConfig {
  const at = joinField(configPath("replicas"), key);
  const fields = requireObject(
    at,
    value,
    "Describe the replica as { source, resourceGroupName, galleryName, regions }.",
  );
  const { source: rawSource, provider: rawProvider, ...args } = fields;
  const source = parseSource(joinField(at, "source"), rawSource, Object.keys(snapshots));
  requireString(
    joinField(at, "resourceGroupName"),
    args.resourceGroupName,
    "Name the customer's resource group that holds the replica's gallery.",
  );
  requireString(joinField(at, "galleryName"), args.galleryName, "Name the replica's gallery.");
  if ("image" in source) under(at, () => planReplica(args, snapshots[source.image], now));
  // The other stack's rings are not known yet: its ring is checked once it has been read.
  else under(at, () => planReplica({ ...args, ring: undefined }, anySnapshotFor(args), now));
  return {
    key,
    at,
    source,
    provider:
      rawProvider === undefined ? undefined : parseProvider(joinField(at, "provider"), rawProvider),
    args: args as unknown as ReplicaConfig["args"],
  };
}

/**
 * A stand-in source for checking a remote replica's own settings before the other stack is read:
 * one version, active, with no known regions (so only the replica's own fields can fail).
 */
function anySnapshotFor(args: Record<string, unknown>): ImageSnapshot {
  const version = typeof args.activeVersion === "string" ? args.activeVersion : "1.0.0";
  const staged = typeof args.stagedVersion === "string" ? args.stagedVersion : undefined;
  return {
    imageName: "source",
    identity: {
      publisher: "p",
      offer: "o",
      sku: "s",
      osType: "Windows",
      osState: "Generalized",
      hyperVGeneration: "V2",
      securityType: "TrustedLaunch",
    },
    activeVersion: version,
    stagedVersion: staged,
    versions: {
      [version]: { role: "active", regions: [] },
      ...(staged && staged !== version
        ? { [staged]: { role: "staged" as const, regions: [] } }
        : {}),
    },
    rings: [],
    evidence: {},
  };
}

function parseSource(at: string, value: unknown, imageKeys: readonly string[]): ReplicaSource {
  const fix = `Set it to the key of an image of ${configPath("images")} (${imageKeys.map((k) => `"${k}"`).join(", ") || "none declared"}), or to { stack: "org/project/stack", output: "images.<key>" } for an image of another stack.`;
  if (typeof value === "string") {
    if (!imageKeys.includes(value)) throw invalid(at, value, "names no image of this stack", fix);
    return { image: value };
  }
  const ref = requireObject(at, value, fix);
  checkKnownKeys(at, ref, ["stack", "output"], "a source setting");
  const stack = requireString(joinField(at, "stack"), ref.stack, fix);
  if (stack.split("/").length !== 3 || stack.split("/").some((p) => p === ""))
    throw invalid(
      joinField(at, "stack"),
      stack,
      "must be a fully qualified stack name",
      'Write it as "org/project/stack".',
    );
  return { stack, output: requireString(joinField(at, "output"), ref.output, fix) };
}

function parseProvider(at: string, value: unknown): ReplicaProviderConfig {
  const fix =
    "Describe the customer's subscription as { subscriptionId, tenantId?, auxiliaryTenantIds? } (credentials come from the environment, as for any azure-native provider).";
  const provider = requireObject(at, value, fix);
  checkKnownKeys(
    at,
    provider,
    ["subscriptionId", "tenantId", "auxiliaryTenantIds"],
    "a provider setting",
  );
  const guid = (field: string, v: unknown) => {
    if (!isGuid(v)) throw invalid(joinField(at, field), v, "must be a GUID", fix);
    return v;
  };
  const aux = provider.auxiliaryTenantIds;
  if (aux !== undefined && (!Array.isArray(aux) || aux.length > 3))
    throw invalid(
      joinField(at, "auxiliaryTenantIds"),
      aux,
      "must be a list of at most 3 tenant ids",
      fix,
    );
  return {
    subscriptionId: guid("subscriptionId", provider.subscriptionId),
    tenantId: provider.tenantId === undefined ? undefined : guid("tenantId", provider.tenantId),
    auxiliaryTenantIds: aux?.map((t: unknown, i: number) => guid(`auxiliaryTenantIds[${i}]`, t)),
  };
}
