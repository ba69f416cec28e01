/**
 * Reads a `Pulumi.<stack>.yaml` file into the flat config map the Pulumi engine hands a program:
 * `namespace:key` → string, structured values as JSON (what `pulumi.Config` parses back).
 */
import { parse } from "yaml";

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
