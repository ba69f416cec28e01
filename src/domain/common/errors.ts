/**
 * Errors raised for bad input. Every message has one shape: the argument path in quotes, the
 * value received, what is allowed, and how to fix it, so a user can act on it without reading code.
 */

/** An invalid argument or configuration value, raised before any resource is registered. */
export class GlobalImageError extends Error {
  /** The argument path that holds the bad value, e.g. `versions["1.2.0"].source`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = "GlobalImageError";
    this.field = field;
    // Raised inside an Output, the error passes through Pulumi's serializer once per property
    // that depends on it, and each pass prepends `error serializing property "…": ` to the same
    // object's message (pulumi/pulumi sdk/nodejs/runtime/rpc.ts, serializeAllProperties): six
    // times over for three pools. The message already names the field and the fix; keep it.
    // (An accessor whose setter ignores the write: a read-only value would throw in strict code.)
    Object.defineProperty(this, "message", {
      get: () => message,
      set: () => undefined,
      enumerable: false,
      configurable: true,
    });
  }

  /**
   * The same error with its field placed under `prefix`, for callers that nest component
   * arguments in a larger document (the root project reads them from `global-image:images.<key>`).
   */
  withFieldPrefix(prefix: string): GlobalImageError {
    const field = joinField(prefix, this.field);
    // Every quoted mention: the fix sentence names the same path as the problem.
    const message = this.message.split(`"${this.field}"`).join(`"${field}"`);
    return new GlobalImageError(field, message);
  }
}

/** True when `err` is a {@link GlobalImageError}, also across duplicated copies of this package. */
export function isGlobalImageError(err: unknown): err is GlobalImageError {
  return (
    err instanceof GlobalImageError ||
    (err instanceof Error &&
      err.name === "GlobalImageError" &&
      typeof (err as GlobalImageError).field === "string")
  );
}

/**
 * Builds the one message format: `"<field>" <problem> (received <value>). <fix>`.
 *
 * @param field the argument path.
 * @param received the value received; rendered as JSON, `undefined` as "nothing".
 * @param problem what is wrong, phrased after the field name ("must be ...").
 * @param fix how to repair it, a full sentence.
 */
export function invalid(
  field: string,
  received: unknown,
  problem: string,
  fix: string,
): GlobalImageError {
  return new GlobalImageError(
    field,
    `"${field}" ${problem} (received ${describe(received)}). ${fix}`,
  );
}

/** Joins two argument paths: `joinField("versions", "[\"1.0.0\"]")` is `versions["1.0.0"]`. */
export function joinField(prefix: string, field: string): string {
  if (prefix === "") return field;
  if (field === "") return prefix;
  return field.startsWith("[") ? `${prefix}${field}` : `${prefix}.${field}`;
}

/** The path segment for a map key: `versionKey("1.0.0")` is `["1.0.0"]`. */
export function keyField(key: string): string {
  return `[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "function") return "a function";
  if (typeof value === "object" && value !== null && "__pulumiOutput" in value) return "an Output";
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return "a value that is not plain data (for example an Output)";
  }
}
