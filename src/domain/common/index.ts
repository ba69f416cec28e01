/**
 * What every capability shares: the error shape (GlobalImageError, `invalid`), argument checks,
 * printable text, suggestions for typos, RFC 3339 time and the clock, ARM ids, the enum-like
 * kinds and the tag keys.
 * Pure: no Pulumi, no Azure; observations and the clock are inputs.
 */
export * from "./armId";
export * from "./armList";
export * from "./checks";
export * from "./errors";
export * from "./kinds";
export * from "./suggest";
export * from "./tags";
export * from "./text";
export * from "./time";
