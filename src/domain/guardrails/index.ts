/**
 * The output contract the policy pack reads (`global-image.guardrails/v1`): what GlobalImage,
 * ImageReplica and ImageHostPool register for the engine.
 * Pure: no Pulumi, no Azure; observations and the clock are inputs.
 */
export * from "./guardrails";
