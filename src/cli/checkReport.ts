/**
 * What `check` reports from an offline run: images and their roles, every consumer and the
 * version it boots, and the promotion diff between two runs (`--against`).
 */
import { PolicyResource } from "@pulumi/policy";
import type { RolloutSettingsSummary } from "../domain/hostPools/rolloutSettings";
import { consumers, matchImage, referencedVersion, roleFor } from "../../policies/lib/consumers";
import { managedImages } from "../../policies/lib/images";
import { sortVersions } from "../domain/images/version";
import { canonicalJson } from "../evidence/canonical";
import type { RegisteredResource } from "../check/policyRun";

export interface ImageReport {
  readonly resource: string;
  readonly image: string;
  /** Version → role, highest version first. */
  readonly roles: Array<{ version: string; role: string }>;
}

export interface ConsumerReport {
  readonly consumer: string;
  readonly urn: string;
  readonly image?: string;
  readonly version?: string;
  readonly role?: string;
  readonly validation: boolean;
}

export function imageReports(resources: readonly PolicyResource[]): ImageReport[] {
  const images = managedImages(resources).sort((a, b) => a.name.localeCompare(b.name));
  return images.map((m) => ({
    resource: m.resource.name,
    image: m.name,
    roles: sortVersions(Object.keys(m.roles))
      .reverse()
      .map((version) => ({ version, role: m.roles[version] })),
  }));
}

export function consumerReports(resources: readonly PolicyResource[]): ConsumerReport[] {
  const images = managedImages(resources);
  const sorted = consumers(resources).sort((a, b) => a.label.localeCompare(b.label));
  return sorted.map((c) => {
    const image = matchImage(c.ref, images);
    const version = referencedVersion(c.ref);
    const described =
      c.ref.kind === "external"
        ? c.ref.description
        : c.ref.kind === "unknown"
          ? "unknown"
          : c.ref.kind === "unresolved"
            ? `unresolved (${c.ref.reason})`
            : undefined;
    return {
      consumer: c.label,
      urn: c.resource.urn,
      image: image?.name ?? c.binding?.imageName ?? described,
      version,
      role: version === undefined ? undefined : roleFor(version, image, c.binding),
      validation: c.validation,
    };
  });
}

/** A pool's session host rollout as the check resolves it: how many hosts go at once. */
export interface RolloutReport {
  readonly pool: string;
  readonly settings: RolloutSettingsSummary;
  /** What this step does (offline: what the first up against the base's fleet would do). */
  readonly summary: string;
}

/** The rollouts of the ImageHostPools with session hosts (their registered `rollout` output). */
export function rolloutReports(resources: readonly PolicyResource[]): RolloutReport[] {
  return resources
    .filter((r) => r.type === "global-image:index:ImageHostPool")
    .flatMap((r) => {
      const rollout = r.props.rollout as
        { settings?: RolloutSettingsSummary; summary?: string } | undefined;
      if (!rollout?.settings) return [];
      return [{ pool: r.name, settings: rollout.settings, summary: String(rollout.summary ?? "") }];
    })
    .sort((a, b) => a.pool.localeCompare(b.pool));
}

/** One resource whose inputs differ between two runs, in Pulumi's vocabulary. */
export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly kind: "create" | "delete" | "update" | "replace";
  /** A component resource: its inputs changed, but nothing in Azure does because of it. */
  readonly component: boolean;
  /** The changed input paths, with before → after. */
  readonly changes: Array<{ path: string; before: unknown; after: unknown }>;
  /** The base run protects it: `pulumi up` refuses to delete or replace it. */
  readonly protected?: boolean;
}

/** Pulumi's symbols for each kind of change. */
export const CHANGE_SYMBOL: Record<ResourceChange["kind"], string> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
};

const VERSION_TYPE = "azure-native:compute:GalleryImageVersion";

/**
 * Inputs whose change replaces the resource (Azure cannot change them in place): the ARM id's
 * parts and location for every type, and what each type's create-only properties add.
 */
const REPLACING: Record<string, readonly string[]> = {
  [VERSION_TYPE]: ["galleryName", "galleryImageName", "galleryImageVersionName", "storageProfile"],
  "azure-native:desktopvirtualization:HostPool": ["hostPoolName"],
  "azure-native:compute:VirtualMachine": [
    "vmName",
    "storageProfile.imageReference",
    "storageProfile.osDisk.name",
  ],
  "azure-native:compute:VirtualMachineScaleSet": ["vmScaleSetName"],
};
const ALWAYS_REPLACING = ["resourceGroupName", "location"];

/** The changes from `before` to `after`, by URN. */
export function diffRuns(
  before: readonly RegisteredResource[],
  after: readonly RegisteredResource[],
): ResourceChange[] {
  const old = new Map(before.map((r) => [r.urn, r]));
  const now = new Set(after.map((r) => r.urn));
  const changes: ResourceChange[] = [];
  for (const r of after) {
    const prior = old.get(r.urn);
    const component = r.custom === false;
    if (!prior) {
      changes.push({ urn: r.urn, type: r.type, kind: "create", component, changes: [] });
      continue;
    }
    const diffs = diffValues("", prior.inputs, r.inputs);
    if (diffs.length === 0) continue;
    const replacing = [
      ...ALWAYS_REPLACING,
      ...(REPLACING[r.type] ?? []),
      // Pulumi writes `tags["a:b"]`; the diff's paths are `tags.a:b`.
      ...(r.replaceOnChanges ?? []).map((p) => p.replace(/\["([^"]*)"\]/g, ".$1")),
    ];
    const replaces = !component && diffs.some((d) => replacing.some((p) => within(d.path, p)));
    changes.push({
      urn: r.urn,
      type: r.type,
      kind: replaces ? "replace" : "update",
      component,
      changes: diffs,
      protected: prior.protect,
    });
  }
  for (const r of before) {
    if (now.has(r.urn)) continue;
    changes.push({
      urn: r.urn,
      type: r.type,
      kind: "delete",
      component: r.custom === false,
      changes: [],
      protected: r.protect,
    });
  }
  return changes;
}

/** True when input `path` is `prefix` or inside it (`storageProfile.source.id` in `storageProfile`). */
function within(path: string, prefix: string): boolean {
  return (
    path === prefix ||
    path.startsWith(`${prefix}.`) ||
    path.startsWith(`${prefix}[`) ||
    prefix === "*"
  );
}

/** A change `check --against` fails on, and why. */
export interface BlockingChange {
  readonly change: ResourceChange;
  readonly reason: string;
}

/**
 * What `check --against` fails on: an existing image version replaced (a promotion never does;
 * creating a new version to stage it is normal), a protected resource deleted or replaced (Pulumi
 * refuses; an active or backup version must retire first), and a production consumer (host pool,
 * scale set or VM bound to an image; not a validation pool) deleted or replaced.
 */
export function blockingChanges(
  diff: readonly ResourceChange[],
  base: readonly PolicyResource[] = [],
): BlockingChange[] {
  const production = new Set(
    consumers(base)
      .filter((c) => !c.validation)
      .map((c) => c.resource.urn),
  );
  const blocking: BlockingChange[] = [];
  for (const change of diff) {
    if (change.kind !== "delete" && change.kind !== "replace") continue;
    const verb = change.kind === "delete" ? "deleted" : "replaced";
    if (change.protected)
      blocking.push({
        change,
        reason: `is protected and would be ${verb}: pulumi up refuses. ${change.type === VERSION_TYPE ? "Let it retire first (one pulumi up), then remove it" : "Unprotect it deliberately first"}`,
      });
    else if (change.type === VERSION_TYPE && change.kind === "replace")
      blocking.push({
        change,
        reason:
          "is an existing image version and would be replaced: publish a new version number instead",
      });
    else if (production.has(change.urn))
      blocking.push({
        change,
        reason: `is a production consumer and would be ${verb}${change.kind === "replace" ? " (its users lose their sessions)" : ""}`,
      });
  }
  return blocking;
}

function diffValues(
  path: string,
  a: unknown,
  b: unknown,
): Array<{ path: string; before: unknown; after: unknown }> {
  if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) return [];
  const bothObjects = isRecord(a) && isRecord(b);
  if (!bothObjects) return [{ path: path || "(inputs)", before: a, after: b }];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((k) =>
    diffValues(path ? (Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`) : k, a[k], b[k]),
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}
