/**
 * Reading resource properties that may be unknown during `pulumi preview`. The policy SDK throws
 * `UnknownValueError` when an unknown value is read; left uncaught, the SDK turns the whole policy
 * into an advisory "can't run during preview" note, so a mandatory check would pass silently.
 * Policies read through `known()` and decide what an unknown means themselves.
 */
import type { UnknownValueError as UnknownValueErrorClass } from "@pulumi/policy";

/** The SDK's error class, loaded only when a read fails: loading the policies stays cheap. */
function isUnknownValueError(err: unknown): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see above
  const { UnknownValueError } = require("@pulumi/policy") as {
    UnknownValueError: typeof UnknownValueErrorClass;
  };
  return err instanceof UnknownValueError;
}

/** A value that was known, or the fact that it was not. */
export type Known<T> =
  { readonly known: true; readonly value: T } | { readonly known: false; readonly path: string };

/** Runs `read`; an unknown value on the way gives `{ known: false }` with its property path. */
export function known<T>(read: () => T): Known<T> {
  try {
    const value = read();
    // An object is read through whole here, so an unknown nested member surfaces now; what is
    // returned is a plain copy, so later reads do not go through the SDK's checking proxies.
    if (value !== null && typeof value === "object")
      return { known: true, value: JSON.parse(JSON.stringify(value)) as T };
    return { known: true, value };
  } catch (err) {
    if (isUnknownValueError(err))
      return {
        known: false,
        path: (err as { props?: PropertyKey[] }).props?.map(String).join(".") ?? "",
      };
    throw err;
  }
}

/** The value when known, else `fallback`. */
export function knownOr<T>(read: () => T, fallback: T): T {
  const result = known(read);
  return result.known ? result.value : fallback;
}
