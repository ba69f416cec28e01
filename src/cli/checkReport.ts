/**
 * What `check` reports from an offline run: images and their roles, every consumer and the
 * version it boots, and the promotion diff between two runs (`--against`).
 */
import { PolicyResource } from "@pulumi/policy";
import { consumers, matchImage, referencedVersion, roleFor } from "../../policies/lib/consumers";
import { managedImages } from "../../policies/lib/images";
import { sortVersions } from "../domain/version";
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

/** One resource whose inputs differ between two runs. */
export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly kind: "create" | "delete" | "update" | "replace";
  /** A component resource: its inputs changed, but nothing in Azure does because of it. */
  readonly component: boolean;
  /** The changed input paths, with before → after. */
  readonly changes: Array<{ path: string; before: unknown; after: unknown }>;
  /** A delete of a resource the base run protects: `pulumi up` would refuse it. */
  readonly protected?: boolean;
}

/** Inputs whose change replaces a gallery image version (Azure cannot change them in place). */
const VERSION_REPLACING = [
  "resourceGroupName",
  "galleryName",
  "galleryImageName",
  "galleryImageVersionName",
  "storageProfile",
  "location",
];
const VERSION_TYPE = "azure-native:compute:GalleryImageVersion";

/** The changes from `before` to `after`, by URN. */
export function diffRuns(
  before: readonly RegisteredResource[],
  after: readonly RegisteredResource[],
): ResourceChange[] {
  const old = new Map(before.map((r) => [r.urn, r]));
  const now = new Map(after.map((r) => [r.urn, r]));
  const changes: ResourceChange[] = [];
  for (const r of after) {
    const prior = old.get(r.urn);
    if (!prior) {
      changes.push({
        urn: r.urn,
        type: r.type,
        kind: "create",
        component: r.custom === false,
        changes: [],
      });
      continue;
    }
    const diffs = diffValues("", prior.inputs, r.inputs);
    if (diffs.length === 0) continue;
    const replaces =
      r.type === VERSION_TYPE &&
      diffs.some((d) => VERSION_REPLACING.includes(d.path.split(/[.[]/)[0]));
    changes.push({
      urn: r.urn,
      type: r.type,
      kind: replaces ? "replace" : "update",
      component: r.custom === false,
      changes: diffs,
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

/**
 * What `check --against` fails on: image versions the change would create or replace (a promotion
 * never does), and protected resources it would delete (Pulumi refuses; an active or backup
 * version must retire first).
 */
export function blockingChanges(diff: readonly ResourceChange[]): {
  churn: ResourceChange[];
  protectedDeletes: ResourceChange[];
} {
  return {
    churn: diff.filter(
      (c) => c.type === VERSION_TYPE && (c.kind === "create" || c.kind === "replace"),
    ),
    protectedDeletes: diff.filter((c) => c.kind === "delete" && c.protected === true),
  };
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
