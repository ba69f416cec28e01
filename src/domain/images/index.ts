/**
 * Image versions and their roles: version names and order, `computeRoles`, the validation of
 * GlobalImage arguments into a plan, withdrawn versions, version sources, and the snapshot an
 * image hands to other stacks.
 * Pure: no Pulumi, no Azure; observations and the clock are inputs.
 */
export * from "./roles";
export * from "./snapshot";
export * from "./validate";
export * from "./version";
export * from "./versionSource";
export * from "./withdrawn";
