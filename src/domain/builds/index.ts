/**
 * Versions built by Azure VM Image Builder: the recipe and its checks, template names, and what
 * an up declares for a build in each observed state (`decideBuild`).
 * Pure: no Pulumi, no Azure; observations and the clock are inputs.
 */
export * from "./buildNames";
export * from "./buildRecipeChecks";
export * from "./buildStep";
export * from "./imageBuilder";
