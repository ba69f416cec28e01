/**
 * The root Pulumi program (`Pulumi.yaml` runs it): deploys the images and host pools declared in
 * stack config. A promotion is
 * `pulumi config set --path 'global-image:images.win11.activeVersion' 1.1.0` then `pulumi up`.
 */
import { runConfigProgram } from "./run";

const outputs = runConfigProgram();

/**
 * Per image, its handle: a customer stack binds to it with
 * `ImageHandle.fromStack(new pulumi.StackReference("org/global-image/prod"), "images.win11")`.
 */
export const images = outputs.images;

/** Per image, where each version built by Image Builder stands (`pulumi stack output builds`). */
export const builds = outputs.builds;

/** Per replica, its handle (`ImageHandle.fromStackAsync(ref, "replicas.<key>")`). */
export const replicas = outputs.replicas;

/** Per host pool, the image version it uses. */
export const hostPools = outputs.hostPools;
