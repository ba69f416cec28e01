/** Helpers shared by the root project's config readers: config paths and nested errors. */
import { invalid, isGlobalImageError, joinField } from "../domain/errors";

/** The config namespace of the root project (its Pulumi project name). */
export const CONFIG_NAMESPACE = "global-image";

/** The full config path of a key: `global-image:<key>`. */
export const configPath = (key: string): string => `${CONFIG_NAMESPACE}:${key}`;

/** Throws on the first key of `value` that is not in `allowed` (a misspelled setting). */
export function checkKnownKeys(
  at: string,
  value: Record<string, unknown>,
  allowed: readonly string[],
): void {
  const unknown = Object.keys(value).find((k) => !allowed.includes(k));
  if (unknown !== undefined) {
    throw invalid(
      joinField(at, unknown),
      value[unknown],
      "is not a known setting here",
      `Use only ${allowed.join(", ")}; check the spelling.`,
    );
  }
}

/** Runs a validator whose fields are relative to `at`, re-rooting its errors under `at`. */
export function under<T>(at: string, validate: () => T): T {
  try {
    return validate();
  } catch (err) {
    throw isGlobalImageError(err) ? err.withFieldPrefix(at) : err;
  }
}
