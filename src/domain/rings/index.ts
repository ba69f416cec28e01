/**
 * Rings: which version a ring may run at a given time (`ringVersion`, soak times, change
 * windows), the ring settings and the activation-time rules.
 * Pure: no Pulumi, no Azure; observations and the clock are inputs.
 */
export * from "./ringSettings";
export * from "./rings";
