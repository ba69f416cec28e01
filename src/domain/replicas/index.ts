/**
 * Replicas: the plan of an image copied into a customer gallery from its source snapshot,
 * following the source's roles or a ring.
 * Pure: no Pulumi, no Azure; observations and the clock are inputs.
 */
export * from "./replica";
