/**
 * The static pass over a YAML program, before anything registers (as the YAML runtime type-checks
 * a program before it runs it): every type resolvable, every reference naming something, every
 * function and option one the offline check runs, required config set, no cycles.
 */
import { parseTemplate } from "./yamlExpression";
import { YamlProgram, resourceClass } from "./yamlTypes";

type Pulumi = typeof import("@pulumi/pulumi");

/** The functions the offline check evaluates. */
export const YAML_FUNCTIONS = ["fn::secret", "fn::join", "fn::toJSON"];
/** The resource options the offline check passes on. */
export const YAML_OPTIONS = [
  "protect",
  "dependsOn",
  "parent",
  "ignoreChanges",
  "retainOnDelete",
  "deleteBeforeReplace",
  "version",
];

/** Throws the first problem, naming the file and field. */
export function checkYamlProgram(
  program: YamlProgram,
  file: string,
  pulumi: Pulumi,
  isSet: (key: string) => boolean,
): void {
  for (const [key, spec] of Object.entries(program.config))
    if (spec.default === undefined && !isSet(key))
      throw new Error(
        `${file}: config ${key} is required: set it with \`pulumi config set ${key} <value>\``,
      );
  const deps = new Map<string, string[]>();
  for (const [name, node] of Object.entries(program.variables))
    deps.set(name, references(node, `${file}: variables.${name}`, program));
  for (const [name, spec] of Object.entries(program.resources)) {
    const field = `${file}: resources.${name}`;
    resourceClass(spec.type, `${field}.type`, pulumi);
    const unknown = Object.keys(spec.options ?? {}).filter((k) => !YAML_OPTIONS.includes(k));
    if (unknown.length > 0)
      throw new Error(
        `${field}.options.${unknown[0]}: not run offline (supported: ${YAML_OPTIONS.join(", ")})`,
      );
    deps.set(name, [
      ...references(spec.properties ?? {}, `${field}.properties`, program),
      ...references(spec.options ?? {}, `${field}.options`, program),
    ]);
  }
  for (const [name, node] of Object.entries(program.outputs))
    references(node, `${file}: outputs.${name}`, program);
  checkCycles(deps, file);
}

/** The resources and variables `node` refers to; unknown names and functions are errors. */
function references(node: unknown, field: string, program: YamlProgram): string[] {
  if (typeof node === "string") {
    return parseTemplate(node, field).flatMap((part) => {
      if (!("ref" in part)) return [];
      const { root, text } = part.ref;
      if (root === "pulumi" || root in program.config) return [];
      if (root in program.resources || root in program.variables) return [root];
      throw new Error(`${field}: \${${text}}: no resource, variable or config "${root}"`);
    });
  }
  if (Array.isArray(node))
    return node.flatMap((item, i) => references(item, `${field}[${i}]`, program));
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key.startsWith("fn::") && !YAML_FUNCTIONS.includes(key))
      throw new Error(
        `${field}.${key}: the offline check does not evaluate ${key} (it runs ` +
          `${YAML_FUNCTIONS.join(", ")}); check this program with \`pulumi preview\``,
      );
    return references(value, `${field}.${key}`, program);
  });
}

function checkCycles(deps: Map<string, string[]>, file: string): void {
  const done = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    if (done.has(name)) return;
    if (trail.includes(name))
      throw new Error(
        `${file}: ${[...trail.slice(trail.indexOf(name)), name].join(" → ")}: a cycle`,
      );
    for (const dep of deps.get(name) ?? []) visit(dep, [...trail, name]);
    done.add(name);
  };
  for (const name of deps.keys()) visit(name, []);
}
