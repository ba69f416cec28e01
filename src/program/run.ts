/**
 * The config-driven program as a function: reads `global-image:*` stack config, checks it whole
 * (a config error registers nothing), deploys the fleet and returns the stack outputs. The root
 * project's program is this; any project can run it too (`export = runConfigProgram()`).
 */
import { isAbsolute } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseProjectConfig, rawConfig } from "./config";
import { deployFleet } from "./deploy";
import type { ImageHandle } from "../consumers/imageHandle";
import type { ImageHostPool } from "../consumers/imageHostPool";
import type { RolloutStatus } from "../consumers/rolloutDeclare";
import type { BuildStatus } from "../component/builtVersions";

/** The stack outputs of the config-driven program. */
export interface ConfigProgramOutputs {
  /** Per image key, its handle (`ImageHandle.fromStack(ref, "images.<key>")`). */
  readonly images: Record<string, ImageHandle>;
  /** Per image key, where each of its versions built by Image Builder stands (`{}`: none). */
  readonly builds: Record<string, pulumi.Output<Record<string, BuildStatus>>>;
  /** Per replica key, its handle, like an image's (a customer's stacks bind to it the same way). */
  readonly replicas: Record<string, pulumi.Output<ImageHandle>>;
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

/**
 * The project directory: `pulumi up` runs the program in the directory of `main` and names the
 * project's with --root-directory (`pulumi.runtime.getRootDirectory()`). Outside the engine (the
 * mock runtime answers a placeholder) the working directory is the project's.
 */
export function projectRoot(): string {
  const root = pulumi.runtime.getRootDirectory();
  return isAbsolute(root) ? root : process.cwd();
}

export function runConfigProgram(): ConfigProgramOutputs {
  // Every key of the namespace, so a misspelled one is refused rather than ignored.
  const fleet = deployFleet(
    parseProjectConfig(rawConfig(pulumi.runtime.allConfig()), undefined, projectRoot()),
  );
  return {
    images: Object.fromEntries(
      Object.entries(fleet.images).map(([key, image]) => [key, image.handle()]),
    ),
    builds: Object.fromEntries(
      Object.entries(fleet.images).map(([key, image]) => [key, image.builds]),
    ),
    replicas: Object.fromEntries(
      Object.entries(fleet.replicas).map(([key, replica]) => [
        key,
        pulumi.output(replica.then((r) => r.handle())) as unknown as pulumi.Output<ImageHandle>,
      ]),
    ),
    hostPools: Object.fromEntries(
      Object.entries(fleet.hostPools).map(([key, pool]) => {
        const field = <T>(read: (p: ImageHostPool) => pulumi.Output<T>) =>
          pulumi.output(pool.then(read)) as unknown as pulumi.Output<T>;
        return [
          key,
          {
            hostPoolId: field((p) => p.hostPoolId),
            imageVersion: field((p) => p.imageVersion),
            imageVersionId: field((p) => p.imageVersionId),
            rollout: field((p) => p.rollout),
          },
        ];
      }),
    ),
  };
}
