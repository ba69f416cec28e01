/**
 * Host pools and their session hosts: the ImageHostPool plan, VM sizes, and the rolling re-image
 * (rollout settings, the planner of one safe step, its simulation).
 * Pure: no Pulumi, no Azure; observations and the clock are inputs.
 */
export * from "./fleetObservation";
export * from "./hostPool";
export * from "./rollout";
export * from "./rolloutHosts";
export * from "./rolloutSettings";
export * from "./rolloutSimulation";
export * from "./rolloutStep";
export * from "./vmSizes";
