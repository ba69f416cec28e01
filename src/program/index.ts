/**
 * The root Pulumi program (`Pulumi.yaml` runs it): deploys the images and host pools declared in
 * stack config.
 * A promotion is `pulumi config set --path 'images.win11.activeVersion' 1.1.0` then `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  CONFIG_KEYS,
  CONFIG_NAMESPACE,
  RawConfig,
  configValue,
  parseProjectConfig,
} from "./config";
import { deployFleet } from "./deploy";

const config = new pulumi.Config(CONFIG_NAMESPACE);
const raw: RawConfig = Object.fromEntries(
  CONFIG_KEYS.map((key) => [key, configValue(config.get(key))]),
);
// Checked as a whole first: a config error registers nothing.
const fleet = deployFleet(parseProjectConfig(raw));

/**
 * Per image, its handle: a customer stack binds to it with
 * `ImageHandle.fromStack(new pulumi.StackReference("org/global-image/prod"), "images.win11")`.
 */
export const images = Object.fromEntries(
  Object.entries(fleet.images).map(([key, image]) => [key, image.handle()]),
);

/** Per host pool, the image version it uses. */
export const hostPools = Object.fromEntries(
  Object.entries(fleet.hostPools).map(([key, pool]) => [
    key,
    {
      hostPoolId: pool.hostPoolId,
      imageVersion: pool.imageVersion,
      imageVersionId: pool.imageVersionId,
    },
  ]),
);
