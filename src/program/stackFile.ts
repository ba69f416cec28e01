/**
 * Reads a `Pulumi.<stack>.yaml` file into the flat config map the Pulumi engine hands a program:
 * `namespace:key` → string, structured values as JSON (what `pulumi.Config` parses back). Read as
 * Pulumi reads it: anchors, aliases and merge keys (`<<`) resolved, duplicate keys refused, a
 * byte-order mark ignored.
 */
import { parse } from "yaml";
import { CONFIG_NAMESPACE } from "./configFields";

/** How the YAML library must read every stack file: as Pulumi (go-yaml) does. */
export const STACK_YAML_OPTIONS = { merge: true, uniqueKeys: true, maxAliasCount: 100 } as const;

/** What an offline run passes for a secret it cannot decrypt (other namespaces only). */
export const SECRET_PLACEHOLDER = "offline-check-secret";

/** A stack file's config: the engine's map, and which keys hold secrets (`secure:` values). */
export interface StackConfig {
  readonly values: Record<string, string>;
  /** Keys whose value is (or holds) a `secure:` value, given `SECRET_PLACEHOLDER` offline. */
  readonly secretKeys: string[];
}

/** The parsed document of a stack file, or an error naming the file and the YAML problem. */
export function parseStackYaml(yamlText: string, file: string): unknown {
  try {
    return parse(yamlText.replace(/^\uFEFF/, ""), STACK_YAML_OPTIONS);
  } catch (err) {
    throw new Error(`${file}: not valid YAML (${(err as Error).message.split("\n")[0]})`);
  }
}

/**
 * The config of a stack file as the engine passes it. `secure:` values cannot be decrypted
 * offline: in the `global-image` namespace they are refused (every command needs those values);
 * elsewhere they read as {@link SECRET_PLACEHOLDER}, so they do not block commands that never use
 * them.
 */
export function readStackConfig(yamlText: string, file = "Pulumi.<stack>.yaml"): StackConfig {
  const doc = parseStackYaml(yamlText, file);
  if (doc === null || doc === undefined) return { values: {}, secretKeys: [] };
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new Error(`${file}: expected a YAML mapping with a "config" key`);
  }
  const config = (doc as { config?: unknown }).config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${file}: "config" must be a mapping of "namespace:key" to values`);
  }
  const secretKeys: string[] = [];
  const values = Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      const secret = hasSecret(value);
      if (secret && key.startsWith(`${CONFIG_NAMESPACE}:`)) {
        throw new Error(
          `${file}: "${key}" holds a secret (secure:), which offline commands cannot decrypt; global-image settings hold no secrets: set a plain value`,
        );
      }
      if (secret) secretKeys.push(key);
      const plain = secret ? withoutSecrets(value) : value;
      return [key, typeof plain === "string" ? plain : JSON.stringify(plain)];
    }),
  );
  return { values, secretKeys };
}

/** The engine's config map of a stack file (see {@link readStackConfig}). */
export function stackConfigValues(
  yamlText: string,
  file = "Pulumi.<stack>.yaml",
): Record<string, string> {
  return readStackConfig(yamlText, file).values;
}

function isSecure(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    "secure" in value
  );
}

function hasSecret(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  return Object.values(value).some(hasSecret);
}

function withoutSecrets(value: unknown): unknown {
  if (isSecure(value)) return SECRET_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecrets(v)]));
}
