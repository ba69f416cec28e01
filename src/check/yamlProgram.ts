/**
 * Runs a Pulumi YAML program (`runtime: yaml`) for the offline check: its config, variables,
 * resources and outputs, with `${...}` references, evaluated in dependency order the way the YAML
 * runtime does, registering each resource through the Node SDK. global-image components are
 * constructed from this package (as its component provider does under `pulumi up`); azure-native
 * and random resources from their SDKs; `pulumi:pulumi:StackReference` as in any program. What it
 * does not cover (invokes, `get`, other packages) is refused with a message, never skipped.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { Reference, TemplatePart, parseTemplate, walk } from "./yamlExpression";
import { checkYamlProgram } from "./yamlCheck";
import { ResourceClass, YamlProgram, loadYamlProgram, resourceClass } from "./yamlTypes";

type Pulumi = typeof import("@pulumi/pulumi");
type Resource = import("@pulumi/pulumi").Resource;

/** Where the program runs: its project, stack and the stack's config map. */
export interface YamlContext {
  readonly pulumi: Pulumi;
  readonly dir: string;
  readonly project: string;
  readonly stack: string;
  readonly config: Record<string, string>;
}

/** The program file: `main`'s Main.yaml when `main` is set, else Pulumi.yaml itself. */
export function yamlProgramFile(dir: string, main: string): string {
  if (!main) return path.join(dir, "Pulumi.yaml");
  const target = path.resolve(dir, main);
  return fs.existsSync(target) && fs.statSync(target).isDirectory()
    ? path.join(target, "Main.yaml")
    : target;
}

/** Registers the program's resources and returns its outputs. */
export async function runYamlProgram(
  file: string,
  context: YamlContext,
): Promise<Record<string, unknown>> {
  const name = path.basename(file);
  const program = loadYamlProgram(parse(fs.readFileSync(file, "utf8")), name);
  const configKey = (key: string) => `${context.project}:${key}`;
  checkYamlProgram(program, name, context.pulumi, (key) => configKey(key) in context.config);
  const run = new YamlRun(program, context, name);
  for (const resource of Object.keys(program.resources)) run.resource(resource);
  return Object.fromEntries(
    Object.entries(program.outputs).map(([key, node]) => [
      key,
      run.value(node, `${name}: outputs.${key}`),
    ]),
  );
}

class YamlRun {
  private readonly resources = new Map<string, Resource>();
  private readonly variables = new Map<string, unknown>();

  constructor(
    private readonly program: YamlProgram,
    private readonly context: YamlContext,
    private readonly file: string,
  ) {}

  resource(name: string): Resource {
    const done = this.resources.get(name);
    if (done) return done;
    const spec = this.program.resources[name];
    const field = `${this.file}: resources.${name}`;
    const cls: ResourceClass = resourceClass(spec.type, `${field}.type`, this.context.pulumi);
    const args = this.value(spec.properties ?? {}, `${field}.properties`);
    const opts = this.options(spec.options ?? {}, `${field}.options`);
    const resource = new cls(spec.name ?? name, args, opts);
    this.resources.set(name, resource);
    return resource;
  }

  /** A YAML value with its references resolved: plain where it can be, an Output where not. */
  value(node: unknown, field: string): unknown {
    if (typeof node === "string") return this.template(parseTemplate(node, field), field);
    if (Array.isArray(node)) return node.map((item, i) => this.value(item, `${field}[${i}]`));
    if (node === null || typeof node !== "object") return node;
    const entries = Object.entries(node);
    if (entries.length === 1 && entries[0][0].startsWith("fn::"))
      return this.call(entries[0][0], entries[0][1], `${field}.${entries[0][0]}`);
    return Object.fromEntries(entries.map(([k, v]) => [k, this.value(v, `${field}.${k}`)]));
  }

  private template(parts: TemplatePart[], field: string): unknown {
    const values = parts.map((p) => ("ref" in p ? this.reference(p.ref, field) : p.literal));
    if (parts.length === 1) return values[0];
    const { pulumi } = this.context;
    const text = (vs: unknown[]) => vs.map((v) => (v === undefined ? "" : String(v))).join("");
    return values.some((v) => pulumi.Output.isInstance(v))
      ? pulumi.all(values).apply(text)
      : text(values);
  }

  private reference(ref: Reference, field: string): unknown {
    const { pulumi } = this.context;
    if (ref.root === "pulumi" && (ref.path[0] === "stack" || ref.path[0] === "project"))
      return ref.path[0] === "stack" ? this.context.stack : this.context.project;
    let base: unknown;
    let rest = ref.path;
    if (ref.root in this.program.resources) {
      base = this.resource(ref.root);
      if (rest.length > 0) {
        base = (base as unknown as Record<string, unknown>)[rest[0]];
        if (base === undefined)
          throw new Error(`${field}: \${${ref.text}}: ${ref.root} has no output "${rest[0]}"`);
        rest = rest.slice(1);
      }
    } else if (ref.root in this.program.variables) base = this.variable(ref.root);
    else base = this.config(ref.root); // checkYamlProgram: every root is one of the three
    if (rest.length === 0) return base;
    return pulumi.Output.isInstance(base)
      ? base.apply((v: unknown) => walk(v, rest))
      : walk(base, rest);
  }

  private variable(name: string): unknown {
    if (this.variables.has(name)) return this.variables.get(name);
    const value = this.value(this.program.variables[name], `${this.file}: variables.${name}`);
    this.variables.set(name, value);
    return value;
  }

  private config(key: string): unknown {
    const spec = this.program.config[key];
    const raw = this.context.config[`${this.context.project}:${key}`];
    if (raw === undefined) return spec.default; // checkYamlProgram: required keys are set
    if (spec.type === "string" || spec.type === undefined) return raw;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new Error(`${this.file}: config ${key} must be a ${spec.type}, not "${raw}"`);
    }
  }

  private call(fn: string, arg: unknown, field: string): unknown {
    const { pulumi } = this.context;
    const value = this.value(arg, field);
    switch (fn) {
      case "fn::secret":
        return pulumi.secret(value);
      case "fn::join": {
        if (!Array.isArray(value) || value.length !== 2)
          throw new Error(`${field}: takes [delimiter, [items...]]`);
        return pulumi
          .all(value)
          .apply(([d, xs]) =>
            Array.isArray(xs) ? xs.join(String(d)) : fail(`${field}: its items are not a list`),
          );
      }
      default: // fn::toJSON; checkYamlProgram refused the rest
        return pulumi.output(value as object).apply((v) => JSON.stringify(v));
    }
  }

  /** The resource options, `version` dropped (the SDK in use is the version checked). */
  private options(node: Record<string, unknown>, field: string) {
    const { version: _version, ...opts } = this.value(node, field) as Record<string, unknown>;
    return opts;
  }
}

function fail(message: string): never {
  throw new Error(message);
}
