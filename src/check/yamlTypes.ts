/**
 * The shape of a Pulumi YAML program, checked, and the SDK class behind each resource type token
 * the offline check can register.
 */
type Pulumi = typeof import("@pulumi/pulumi");

/** A resource of a YAML program. */
export interface YamlResource {
  readonly type: string;
  /** The logical name, when it differs from the key. */
  readonly name?: string;
  readonly properties?: Record<string, unknown>;
  readonly options?: Record<string, unknown>;
}

/** A config key the program declares (`config:` in Pulumi.yaml, without a namespace). */
export interface YamlConfig {
  readonly type?: string;
  readonly default?: unknown;
}

export interface YamlProgram {
  readonly config: Record<string, YamlConfig>;
  readonly variables: Record<string, unknown>;
  readonly resources: Record<string, YamlResource>;
  readonly outputs: Record<string, unknown>;
  readonly packages: Record<string, unknown>;
}

/** A resource class as the YAML runtime calls it: name, properties, options. */
export type ResourceClass = new (
  name: string,
  args: unknown,
  opts: Record<string, unknown>,
) => import("@pulumi/pulumi").Resource;

/** The checked program; errors name the file and the section. */
export function loadYamlProgram(doc: unknown, file: string): YamlProgram {
  if (!isMapping(doc)) throw new Error(`${file}: expected a YAML mapping`);
  const section = (key: string): Record<string, unknown> => {
    const value = doc[key] ?? {};
    if (!isMapping(value)) throw new Error(`${file}: ${key} must be a mapping`);
    return value;
  };
  const resources: Record<string, YamlResource> = {};
  for (const [name, spec] of Object.entries(section("resources"))) {
    const field = `${file}: resources.${name}`;
    if (!isMapping(spec) || typeof spec.type !== "string")
      throw new Error(`${field}: needs a type (e.g. global-image:ImageHostPool)`);
    if ("get" in spec)
      throw new Error(`${field}.get: reading existing resources is not run offline`);
    for (const key of ["properties", "options"])
      if (spec[key] !== undefined && !isMapping(spec[key]))
        throw new Error(`${field}.${key} must be a mapping`);
    resources[name] = spec as unknown as YamlResource;
  }
  const config = Object.fromEntries(
    Object.entries(section("config"))
      .filter(([key]) => !key.includes(":")) // namespaced keys configure providers
      .map(([key, spec]) => [key, isMapping(spec) ? (spec as YamlConfig) : { default: spec }]),
  );
  const program = {
    config,
    variables: section("variables"),
    resources,
    outputs: section("outputs"),
    packages: section("packages"),
  };
  checkNames(program, file);
  return program;
}

function checkNames(program: YamlProgram, file: string): void {
  const seen = new Map<string, string>();
  for (const kind of ["config", "variables", "resources"] as const) {
    for (const name of Object.keys(program[kind])) {
      const other = seen.get(name);
      if (other)
        throw new Error(`${file}: "${name}" is both in ${other} and in ${kind}; rename one`);
      seen.set(name, kind);
    }
  }
  const usesPackage = Object.values(program.resources).some((r) =>
    r.type.startsWith("global-image:"),
  );
  if (usesPackage && !("global-image" in program.packages))
    throw new Error(
      `${file}: packages has no global-image entry: run \`pulumi package add <path or git url of ` +
        `global-image>\`, which adds it`,
    );
}

const COMPONENTS = ["GlobalImage", "ImageHostPool"];

/** The class to register a resource of `type` with, or an error naming the field. */
export function resourceClass(type: string, field: string, pulumi: Pulumi): ResourceClass {
  const [pkg, module, name] = type.split(":");
  const member = name ?? module;
  if (type === "pulumi:pulumi:StackReference")
    return pulumi.StackReference as unknown as ResourceClass;
  if (pkg === "global-image" && COMPONENTS.includes(member) && (!name || module === "index"))
    return load("../index", member, type, field);
  if (pkg === "azure-native" && name)
    return load(`@pulumi/azure-native/${module}`, name, type, field);
  if (pkg === "random") return load("@pulumi/random", member, type, field);
  throw new Error(
    `${field}: "${type}" is not run offline (it runs global-image:GlobalImage, ` +
      `global-image:ImageHostPool, azure-native:*, random:* and pulumi:pulumi:StackReference); ` +
      `check this program with \`pulumi preview\``,
  );
}

function load(modulePath: string, member: string, type: string, field: string): ResourceClass {
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the type's SDK, on demand
    mod = require(modulePath) as Record<string, unknown>;
  } catch {
    throw new Error(`${field}: "${type}": no SDK module ${modulePath} for it`);
  }
  const cls = mod[member];
  if (typeof cls !== "function") throw new Error(`${field}: "${type}" is not a resource type`);
  return cls as ResourceClass;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
