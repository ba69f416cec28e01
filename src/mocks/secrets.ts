/** How the Pulumi engine marks a secret value in serialized resource inputs. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/**
 * `value` as plain JSON data: secrets unwrapped, undefined members left out; `leaf` may replace
 * any value first (the policy runner turns unknowns into the SDK's sentinel).
 */
export function plainData(value: unknown, leaf?: (v: unknown) => unknown): unknown {
  const replaced = leaf?.(value);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(value)) return value.map((v) => plainData(v, leaf));
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (SECRET_SIG in record) return plainData(record.value, leaf);
  return Object.fromEntries(
    Object.entries(record)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, plainData(v, leaf)]),
  );
}
