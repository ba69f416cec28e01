/**
 * The config-driven program as a function: reads `global-image:*` stack config, checks it whole
 * (a config error registers nothing), deploys the fleet and returns the stack outputs. The root
 * project's program is this; any project can run it too (`export = runConfigProgram()`).
 */
import * as pulumi from "@pulumi/pulumi";
import { parseProjectConfig, rawConfig } from "./config";
import { deployFleet } from "./deploy";
import type { ImageHandle } from "../consumers/imageHandle";
import type { RolloutStatus } from "../consumers/rolloutDeclare";

/** The stack outputs of the config-driven program. */
export interface ConfigProgramOutputs {
  /** Per image key, its handle (`ImageHandle.fromStack(ref, "images.<key>")`). */
  readonly images: Record<string, ImageHandle>;
  /** Per host pool key, the pool's id and the image version it uses. */
  readonly hostPools: Record<
    string,
    {
      hostPoolId: pulumi.Output<string>;
      imageVersion: pulumi.Output<string>;
      imageVersionId: pulumi.Output<string>;
      /** Where the pool's session host rollout stands (absent without session hosts). */
      rollout: pulumi.Output<RolloutStatus | undefined>;
    }
  >;
}

export function runConfigProgram(): ConfigProgramOutputs {
  // Every key of the namespace, so a misspelled one is refused rather than ignored.
  const fleet = deployFleet(parseProjectConfig(rawConfig(pulumi.runtime.allConfig())));
  return {
    images: Object.fromEntries(
      Object.entries(fleet.images).map(([key, image]) => [key, image.handle()]),
    ),
    hostPools: Object.fromEntries(
      Object.entries(fleet.hostPools).map(([key, pool]) => [
        key,
        {
          hostPoolId: pool.hostPoolId,
          imageVersion: pool.imageVersion,
          imageVersionId: pool.imageVersionId,
          rollout: pool.rollout,
        },
      ]),
    ),
  };
}
