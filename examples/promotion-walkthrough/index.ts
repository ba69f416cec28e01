/**
 * The config-driven program: images and host pools come from `global-image:*` stack config
 * (Pulumi.dev.yaml). The walkthrough changes only that config.
 */
import { runConfigProgram } from "global-image";

const outputs = runConfigProgram();
export const images = outputs.images;
export const hostPools = outputs.hostPools;
