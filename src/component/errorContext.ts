/**
 * Where a component's arguments came from, for errors raised inside its Outputs (after Azure was
 * read, so after the constructor returned): the root project registers the config path of each
 * image (`global-image:images.win11`), and such an error then names the full path, once, as the
 * errors raised before registration do.
 */
import { isGlobalImageError } from "../domain/common/errors";

const prefixes = new WeakMap<object, string>();

/** Errors `resource` raises from now on name their fields under `prefix`. */
export function reportFieldsUnder(resource: object, prefix: string): void {
  prefixes.set(resource, prefix);
}

/** `err` with its field under the prefix registered for `resource` (unchanged when none is). */
export function inContext(resource: object, err: unknown): unknown {
  const prefix = prefixes.get(resource);
  return prefix !== undefined && isGlobalImageError(err) ? err.withFieldPrefix(prefix) : err;
}
