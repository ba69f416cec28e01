/**
 * `global-image:hostPools`: pool name → ImageHostPool arguments, with `image` naming a key of
 * `global-image:images`. Checked with the same validator as the component, errors re-rooted under
 * the pool's config path.
 */
import type { ImageHostPoolArgs } from "../consumers/args";
import { requireObject } from "../domain/common/checks";
import { invalid, joinField } from "../domain/common/errors";
import { HostPoolPlan, planHostPool } from "../domain/hostPools/hostPool";
import { configPath, under } from "./configFields";

/** One host pool of the config: ImageHostPool arguments with the image named by its config key. */
export interface HostPoolConfig {
  readonly key: string;
  /** The key of `global-image:images` (or `global-image:replicas`) the pool binds to. */
  readonly image: string;
  readonly args: Omit<ImageHostPoolArgs, "image" | "resourceGroupName" | "location">;
  readonly plan: HostPoolPlan;
}

/** Checks `global-image:hostPools` (absent: no pools). */
export function parseHostPools(
  raw: unknown,
  imageKeys: readonly string[],
  replicaKeys: readonly string[] = [],
): HostPoolConfig[] {
  if (raw === undefined) return [];
  const pools = requireObject(
    configPath("hostPools"),
    raw,
    "Declare host pools as a map of pool name to settings.",
  );
  const clash = replicaKeys.find((k) => imageKeys.includes(k));
  if (clash !== undefined) {
    throw invalid(
      joinField(configPath("replicas"), clash),
      clash,
      `is also the key of an image of ${configPath("images")}, so a pool's "image" could mean either`,
      "Give the replica another name.",
    );
  }
  const keys = [...imageKeys, ...replicaKeys];
  return Object.entries(pools).map(([key, value]) => parsePool(key, value, keys));
}

function parsePool(key: string, value: unknown, imageKeys: readonly string[]): HostPoolConfig {
  const at = joinField(configPath("hostPools"), key);
  const pool = requireObject(
    at,
    value,
    "Describe the pool as { image, hostPoolType, loadBalancerType, preferredAppGroupType }.",
  );
  const { image, ...args } = pool;
  if (typeof image !== "string" || !imageKeys.includes(image)) {
    throw invalid(
      joinField(at, "image"),
      image,
      `must name an image of ${configPath("images")} or a replica of ${configPath("replicas")} (${imageKeys.map((k) => `"${k}"`).join(", ")})`,
      "Set it to the key of the image the pool's session hosts boot.",
    );
  }
  const plan = under(at, () => planHostPool(key, args));
  return { key, image, args: args as unknown as HostPoolConfig["args"], plan };
}
