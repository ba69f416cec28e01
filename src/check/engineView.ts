/**
 * What the Pulumi engine hands a policy pack, reproduced from what a program registered:
 *
 * - Analyze (resource policies) gets each resource's **inputs**, before its step;
 * - AnalyzeStack (stack policies) gets each resource's **outputs**, after every step: for a
 *   component, exactly what it passed to `registerOutputs`; for a provider's resource, the output
 *   properties the provider declares (URL parameters such as `galleryImageVersionName` are inputs
 *   only), computed ones unknown in a preview
 *   (pulumi/pulumi pkg/resource/deploy/step_generator.go `AnalyzeResources`).
 *
 * The declared output properties of a provider resource are read from its SDK: the generated
 * class lists them in the branch that reads an existing resource (`resourceInputs["name"] =
 * undefined /*out*\/`), which is the provider schema's output list.
 */
import * as fs from "node:fs";

/** `preview`: computed values are unknown; `update`: the provider has answered. */
export type EngineMode = "preview" | "update";

/** The engine's marker for an unknown value in serialized properties. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const declared = new Map<string, string[] | undefined>();

/**
 * The output properties a provider declares for `type` (e.g.
 * `azure-native:compute:GalleryImageVersion`), from its Node SDK; undefined when the SDK is not
 * installed or its module cannot be read.
 */
export function declaredOutputKeys(type: string, from: string = __dirname): string[] | undefined {
  if (declared.has(type)) return declared.get(type);
  let keys: string[] | undefined;
  try {
    const source = fs.readFileSync(require.resolve(sdkModule(type), { paths: [from] }), "utf8");
    keys = readBranchKeys(source);
  } catch {
    keys = undefined;
  }
  declared.set(type, keys);
  return keys;
}

/** The SDK module of a resource type: `azure-native:compute:GalleryImageVersion` → its file. */
function sdkModule(type: string): string {
  const [pkg, mod, name] = type.split(":");
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  // `random:index/randomPassword:RandomPassword`: the module names the file.
  const [dir, file] = mod.includes("/") ? mod.split("/") : [mod, lower];
  const folder = dir === "index" ? "" : `${dir}/`;
  return `@pulumi/${pkg}/${folder}${file}`;
}

/** The keys the generated constructor sets when it reads an existing resource (`opts.id`). */
function readBranchKeys(source: string): string[] | undefined {
  const start = source.indexOf("if (!opts.id) {");
  const other = start < 0 ? -1 : source.indexOf("else {", start);
  if (other < 0) return undefined;
  const end = source.indexOf("}", other);
  const branch = source.slice(other, end);
  const keys = [...branch.matchAll(/resourceInputs\["([^"]+)"\]\s*=\s*undefined/g)].map(
    (m) => m[1],
  );
  return keys.length > 0 ? keys : undefined;
}

/**
 * The outputs the engine records for a provider resource: its declared output properties, each
 * from what the provider answered (`state`, update) or, in a preview, the input of the same name
 * when there is one and unknown otherwise. A type whose SDK cannot be read keeps every answered
 * property (update) or its inputs (preview).
 */
export function providerOutputs(
  type: string,
  inputs: Record<string, unknown>,
  state: Record<string, unknown>,
  mode: EngineMode,
): Record<string, unknown> {
  const keys = declaredOutputKeys(type);
  if (keys === undefined) return mode === "update" ? { ...state } : { ...inputs };
  const outputs: Record<string, unknown> = {};
  for (const key of keys) {
    if (mode === "preview") outputs[key] = key in inputs ? inputs[key] : UNKNOWN;
    else if (state[key] !== undefined) outputs[key] = state[key];
  }
  return outputs;
}
