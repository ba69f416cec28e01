/**
 * Reads a `Pulumi.<stack>.yaml` file into the flat config map the Pulumi engine hands a program:
 * `namespace:key` → string, structured values as JSON (what `pulumi.Config` parses back).
 */
import { isMap, isScalar, parse, parseDocument } from "yaml";

/** The config of a stack file as the engine passes it (`pulumi.runtime.setAllConfig` takes it). */
export function stackConfigValues(
  yamlText: string,
  file = "Pulumi.<stack>.yaml",
): Record<string, string> {
  const doc: unknown = parse(yamlText);
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new Error(`${file}: expected a YAML mapping with a "config" key`);
  }
  const config = (doc as { config?: unknown }).config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${file}: "config" must be a mapping of "namespace:key" to values`);
  }
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      if (value !== null && typeof value === "object" && "secure" in value) {
        throw new Error(
          `${file}: "${key}" is a secret; offline runs cannot decrypt it, set a plain value`,
        );
      }
      return [key, typeof value === "string" ? value : JSON.stringify(value)];
    }),
  );
}

/**
 * `yamlText` with one config value replaced, everything else (comments, quoting, layout) kept:
 * `path` is the key path under `config`, e.g. `["global-image:images", "win11", "activeVersion"]`.
 * With `create`, a missing last key is added to its (existing) mapping. Returns the new text and
 * the previous value.
 */
export function setStackValue(
  yamlText: string,
  path: readonly string[],
  value: string | boolean | number,
  file = "Pulumi.<stack>.yaml",
  create = false,
): { text: string; previous: unknown } {
  const doc = parseDocument(yamlText);
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
  const keys = ["config", ...path];
  const node = doc.getIn(keys, true);
  if (isScalar(node)) {
    const previous = node.value;
    node.value = value;
    return { text: doc.toString({ lineWidth: 0 }), previous };
  }
  if (node === undefined && create && isMap(doc.getIn(keys.slice(0, -1), true))) {
    doc.setIn(keys, value);
    return { text: doc.toString({ lineWidth: 0 }), previous: undefined };
  }
  throw new Error(`${file}: config ${path.join(".")} is not set; cannot change it in place`);
}
