/** Helpers shared by the root project's config readers: config paths and nested errors. */
import { isGlobalImageError } from "../domain/common/errors";

/** The config namespace of the root project (its Pulumi project name). */
export const CONFIG_NAMESPACE = "global-image";

/** The full config path of a key: `global-image:<key>`. */
export const configPath = (key: string): string => `${CONFIG_NAMESPACE}:${key}`;

/** Runs a validator whose fields are relative to `at`, re-rooting its errors under `at`. */
export function under<T>(at: string, validate: () => T): T {
  try {
    return validate();
  } catch (err) {
    throw isGlobalImageError(err) ? err.withFieldPrefix(at) : err;
  }
}
