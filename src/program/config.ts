/**
 * The root project's stack config: read, checked and turned into component arguments before any
 * resource is registered. Errors name the config path, e.g. `global-image:images.win11.activeVersion`.
 */
import * as fs from "node:fs";
import { resolve as resolvePath } from "node:path";
import type { GlobalImageArgs } from "../component/args";
import { collectEvidence } from "../evidence/load";
import { checkTags, optionalBoolean, requireObject, requireString } from "../domain/common/checks";
import { invalid, joinField } from "../domain/common/errors";
import { ImagePlan, checkGalleryName, planGlobalImage } from "../domain/images/validate";
import { CONFIG_NAMESPACE, configPath as path, under } from "./configFields";
import { ROOT_KEYS, checkShape, unknownKey } from "./configShape";
import { HostPoolConfig, parseHostPools } from "./hostPoolConfig";
import { ReplicaConfig, parseReplicas } from "./replicaConfig";
import { ImageSnapshot, snapshotOf } from "../domain/images/snapshot";
import { currentTime } from "../component/clock";

export { CONFIG_NAMESPACE } from "./configFields";

/** One image of the config: the GlobalImage arguments minus what the project sets for all. */
export type ImageConfig = Omit<
  GlobalImageArgs,
  "resourceGroupName" | "galleryName" | "location" | "createGallery"
>;

/** The checked project config. */
export interface ProjectConfig {
  readonly resourceGroupName: string;
  readonly createResourceGroup: boolean;
  readonly location?: string;
  readonly galleryName: string;
  readonly createGallery: boolean;
  readonly tags?: Record<string, string>;
  /**
   * Where every image's evidence files are: `<evidenceDir>/<image name>/<version>.sigstore.json`
   * (a Sigstore bundle), else `<version>.json` (an evidence document).
   */
  readonly evidenceDir?: string;
  /** Each image by its config key, with its validated plan. */
  readonly images: ReadonlyArray<{ key: string; args: ImageConfig; plan: ImagePlan }>;
  /** Each replica by its config key. */
  readonly replicas: readonly ReplicaConfig[];
  /** Each host pool by its config key. */
  readonly hostPools: readonly HostPoolConfig[];
}

/** The raw config values by key (structured values parsed from their JSON). */
export type RawConfig = Readonly<Record<string, unknown>>;

/**
 * The `global-image:*` values of the engine's flat config map (`namespace:key` → string), read as
 * the Pulumi CLI stores them: strings stay strings (`"2024"` is a valid resource group name),
 * booleans as `Config.getBoolean` reads them, mappings from their JSON (also when written as a
 * JSON string). A key nobody reads is refused, naming the closest known key.
 */
export function rawConfig(all: Readonly<Record<string, string>>): RawConfig {
  const raw: Record<string, unknown> = {};
  const known = Object.keys(ROOT_KEYS);
  for (const [fullKey, text] of Object.entries(all)) {
    if (!fullKey.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
    const key = fullKey.slice(CONFIG_NAMESPACE.length + 1);
    const spec = ROOT_KEYS[key];
    if (spec === undefined) throw unknownKey(CONFIG_NAMESPACE + ":", key, text, known);
    raw[key] = readValue(path(key), text, spec.kind);
  }
  return raw;
}

function readValue(field: string, text: string, kind: string): unknown {
  if (kind === "string") return text;
  if (kind === "boolean") {
    if (text === "true" || text === "false") return text === "true";
    throw invalid(field, text, "must be true or false", `Set "${field}" to true or false.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(
      field,
      text,
      "must be a mapping",
      `Write "${field}" as a YAML mapping under config (or valid JSON text).`,
    );
  }
}

/**
 * Checks the whole config; throws a GlobalImageError naming the config path. Relative paths
 * (`evidenceDir`) resolve from `rootDir`, the project directory: `pulumi up` runs the program in
 * the directory of `main` (`src/program/`), and `pulumi.runtime.getRootDirectory()` names the
 * project's (pulumi/pulumi pkg/engine `getPwdMain`).
 */
export function parseProjectConfig(
  raw: RawConfig,
  now: string = currentTime(),
  rootDir: string = process.cwd(),
): ProjectConfig {
  for (const [key, value] of Object.entries(raw)) {
    const spec = ROOT_KEYS[key];
    if (spec === undefined)
      throw unknownKey(CONFIG_NAMESPACE + ":", key, value, Object.keys(ROOT_KEYS));
    checkShape(path(key), value, spec.shape);
  }
  const set = (key: string) => `Set it with \`pulumi config set ${path(key)} <value>\`.`;
  const resourceGroupName = requireString(
    path("resourceGroupName"),
    raw.resourceGroupName,
    set("resourceGroupName"),
  );
  const hasImages = raw.images !== undefined || raw.replicas === undefined;
  // A customer stack may hold replicas only: then no gallery of its own is needed.
  const galleryName = hasImages
    ? requireString(path("galleryName"), raw.galleryName, set("galleryName"))
    : typeof raw.galleryName === "string"
      ? raw.galleryName
      : "";
  if (hasImages || galleryName !== "") checkGalleryName(path("galleryName"), galleryName);
  checkTags(path("tags"), raw.tags);
  const location =
    raw.location === undefined
      ? undefined
      : requireString(path("location"), raw.location, set("location"));
  const evidenceSetting =
    raw.evidenceDir === undefined
      ? undefined
      : requireString(path("evidenceDir"), raw.evidenceDir, set("evidenceDir"));
  const evidenceDir =
    evidenceSetting === undefined ? undefined : resolvePath(rootDir, evidenceSetting);
  if (evidenceDir !== undefined && !isDirectory(evidenceDir)) {
    throw invalid(
      path("evidenceDir"),
      evidenceSetting,
      "must be an existing directory",
      "Create it (relative paths start at the project directory), or remove the setting.",
    );
  }
  const images = hasImages
    ? requireObject(
        path("images"),
        raw.images,
        "Declare the images under `global-image:images` in Pulumi.<stack>.yaml (see Pulumi.dev.yaml), or replicas of another stack's images under `global-image:replicas`.",
      )
    : {};
  if (hasImages && Object.keys(images).length === 0) {
    throw invalid(
      path("images"),
      images,
      "must declare at least one image",
      "Add an image under `global-image:images` (or declare only `global-image:replicas`).",
    );
  }
  const parsedImages = Object.entries(images).map(([key, value]) =>
    parseImage(key, value, galleryName, evidenceDir, location, now),
  );
  const snapshots = Object.fromEntries(
    parsedImages.map((i) => [i.key, snapshotOf(i.plan, i.args.evidence ?? {})]),
  );
  const replicas = parseReplicas(raw.replicas, snapshots, now);
  const hostPools = parseHostPools(
    raw.hostPools,
    Object.keys(images),
    replicas.map((r) => r.key),
  );
  checkPoolRings(hostPools, snapshots);
  return {
    resourceGroupName,
    createResourceGroup: optionalBoolean(
      path("createResourceGroup"),
      raw.createResourceGroup,
      true,
    ),
    location,
    galleryName,
    createGallery: optionalBoolean(path("createGallery"), raw.createGallery, true),
    tags: raw.tags as Record<string, string> | undefined,
    evidenceDir,
    images: parsedImages,
    replicas,
    hostPools,
  };
}

function parseImage(
  key: string,
  value: unknown,
  galleryName: string,
  evidenceDir: string | undefined,
  location: string | undefined,
  now: string,
) {
  const at = joinField(path("images"), key);
  const args = requireObject(
    at,
    value,
    "Describe the image as { image, regions, versions, activeVersion }.",
  );
  // deployFleet gives every image the stack's location: a built version needs one, set there.
  if (location === undefined && hasBuiltVersion(args.versions))
    throw invalid(
      path("location"),
      undefined,
      "is required when a version is built by Image Builder",
      "Set global-image:location to the gallery's region: the build runs there, and the version is copied from there.",
    );
  const plan = under(at, () => planGlobalImage({ galleryName, location, ...args }, now));
  // Read the evidence files now, so a malformed one stops the run before anything is registered.
  const versions = plan.versions.map((v) => v.version);
  const inline = args.evidence as Record<string, unknown> | undefined;
  const evidence = collectEvidence(
    inline,
    evidenceDir,
    plan.image.name,
    versions,
    joinField(at, "evidence"),
  );
  return { key, args: { ...args, evidence } as unknown as ImageConfig, plan };
}

/** True when some version of `versions` (as config gave it) names an Image Builder recipe. */
function hasBuiltVersion(versions: unknown): boolean {
  if (typeof versions !== "object" || versions === null) return false;
  return Object.values(versions).some(
    (v) =>
      (v as { source?: { imageBuilder?: unknown } } | null)?.source?.imageBuilder !== undefined,
  );
}

function isDirectory(dir: string): boolean {
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory();
}

/** A pool's ring must be one of its image's rings (checked now, before anything is registered). */
function checkPoolRings(
  pools: readonly HostPoolConfig[],
  snapshots: Readonly<Record<string, ImageSnapshot>>,
): void {
  for (const pool of pools) {
    if (pool.plan.ring === undefined) continue;
    const rings = snapshots[pool.image]?.rings.map((r) => r.name) ?? [];
    if (rings.includes(pool.plan.ring)) continue;
    throw invalid(
      joinField(joinField(path("hostPools"), pool.key), "ring"),
      pool.plan.ring,
      snapshots[pool.image]
        ? `is not a ring of ${path("images")}.${pool.image}`
        : "names a ring, but the pool is on a replica (a replica is in a ring of its source; its pools run its active version)",
      rings.length > 0
        ? `Use one of ${rings.map((r) => `"${r}"`).join(", ")}.`
        : `Declare rings on the image (${path("images")}.${pool.image}.rings), or remove ring.`,
    );
  }
}
