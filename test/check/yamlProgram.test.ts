import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { installMocks, promiseOf, settle } from "../helpers/mocks";
import { tempDir } from "../helpers/cli";
import { parseReference, parseTemplate } from "../../src/check/yamlExpression";
import { runYamlProgram, yamlProgramFile } from "../../src/check/yamlProgram";

const recorder = installMocks("probe", "dev");
beforeEach(() => recorder.reset());

/** Runs a YAML program given as an object; `config` is the stack's (project-namespaced) config. */
async function run(program: object, config: Record<string, string> = {}) {
  const dir = tempDir("global-image-yaml-");
  const file = path.join(dir, "Pulumi.yaml");
  fs.writeFileSync(file, stringify({ name: "probe", runtime: "yaml", ...program }));
  const context = { pulumi, dir, project: "probe", stack: "dev", config };
  const outputs = await runYamlProgram(file, context);
  await settle();
  return outputs;
}

const failure = (program: object, config?: Record<string, string>) =>
  run(program, config).then(
    () => "no error",
    (err: Error) => err.message,
  );

const group = {
  type: "azure-native:resources:ResourceGroup",
  properties: { resourceGroupName: "rg-${pulumi.stack}-avd" },
};

describe("parseTemplate / parseReference", () => {
  it.each([
    ["plain", [{ literal: "plain" }]],
    ["${a}", [{ ref: { root: "a", path: [], text: "a" } }]],
    ["rg-${pulumi.stack}", [{ literal: "rg-" }, { ref: { root: "pulumi", path: ["stack"] } }]],
    ["$${not} ref", [{ literal: "${not} ref" }]],
    ['${r.outputs["x"][0].y}', [{ ref: { root: "r", path: ["outputs", "x", 0, "y"] } }]],
    ["", [{ literal: "" }]],
  ])("%j", (text, parts) => {
    expect(parseTemplate(text, "f")).toMatchObject(parts);
  });

  it.each([
    ["${a", /f: "\$\{a" has a "\$\{" without its closing "}"/],
    ["${.a}", /f: "\$\{.a}" is not a reference/],
    ["${a..b}", /f: "\$\{a..b}" has "..b" where .property or \[index\] belongs/],
  ])("refuses %j naming the field", (text, message) => {
    expect(() => parseTemplate(text, "f")).toThrow(message);
  });

  it("reads quoted keys with escapes", () => {
    expect(parseReference('m["a\\"b"]', "f").path).toEqual(['a"b']);
  });
});

describe("runYamlProgram", () => {
  it("registers resources in dependency order, whatever order they are written in", async () => {
    const outputs = await run({
      resources: {
        password: {
          type: "random:RandomPassword",
          properties: { length: 16 },
          options: { dependsOn: ["${group}"] },
        },
        group,
      },
      outputs: { group: "${group.name}", fixed: "x-${pulumi.project}" },
    });
    expect(recorder.registrations.map((r) => r.type)).toEqual([
      "azure-native:resources:ResourceGroup",
      "random:index/randomPassword:RandomPassword",
    ]);
    expect(recorder.registrations[0].inputs.resourceGroupName).toBe("rg-dev-avd");
    expect(await promiseOf(outputs.group as pulumi.Output<string>)).toBe("rg-dev-avd");
    expect(outputs.fixed).toBe("x-probe");
  });

  it("reads config from the stack, typed, else the declared default", async () => {
    const program = {
      config: { count: { type: "integer", default: 1 }, prefix: "nw" },
      resources: {
        pw: { type: "random:index:RandomPassword", properties: { length: "${count}" } },
      },
      outputs: { prefix: "${prefix}" },
    };
    expect((await run(program)).prefix).toBe("nw");
    expect(recorder.registrations[0].inputs.length).toBe(1);
    recorder.reset();
    await run(program, { "probe:count": "24" });
    expect(recorder.registrations[0].inputs.length).toBe(24);
  });

  it("interpolates outputs into strings and walks stack outputs", async () => {
    recorder.stackOutputs["org/images/prod"] = { images: { win11: { activeVersion: "1.1.0" } } };
    const outputs = await run({
      resources: {
        ref: { type: "pulumi:pulumi:StackReference", properties: { name: "org/images/prod" } },
      },
      variables: { v: '${ref.outputs["images"]["win11"]}' },
      outputs: { label: "win11-${v.activeVersion}", missing: "${v.stagedVersion}" },
    });
    expect(await promiseOf(outputs.label as pulumi.Output<string>)).toBe("win11-1.1.0");
    expect(await promiseOf(outputs.missing as pulumi.Output<unknown>)).toBeUndefined();
  });

  it.each([
    ["a resource without a type", { resources: { g: {} } }, /resources\.g: needs a type/],
    [
      "a type it cannot run",
      { resources: { g: { type: "aws:s3:Bucket" } } },
      /resources\.g\.type: "aws:s3:Bucket" is not run offline .*pulumi preview/,
    ],
    [
      "a global-image type without the package",
      { resources: { p: { type: "global-image:ImageHostPool", properties: {} } } },
      /packages has no global-image entry: run `pulumi package add/,
    ],
    [
      "a reference to nothing",
      { resources: { g: { ...group, properties: { resourceGroupName: "${nope.name}" } } } },
      /resources\.g\.properties\.resourceGroupName: \$\{nope\.name}: no resource, variable or config "nope"/,
    ],
    [
      "a cycle",
      { variables: { a: "${b}", b: "${a}" }, outputs: { x: "${a}" } },
      /Pulumi\.yaml: a → b → a: a cycle/,
    ],
    [
      "a function it does not evaluate",
      { variables: { a: { "fn::invoke": { function: "x" } } }, outputs: { x: "${a}" } },
      /variables\.a\.fn::invoke: the offline check does not evaluate fn::invoke/,
    ],
    [
      "a required config key left unset",
      { config: { stack: { type: "string" } }, outputs: { x: "${stack}" } },
      /config stack is required: set it with `pulumi config set stack <value>`/,
    ],
    [
      "an option it does not run",
      { resources: { g: { ...group, options: { provider: "x" } } } },
      /resources\.g\.options\.provider: not run offline/,
    ],
    [
      "a name used twice",
      { variables: { g: 1 }, resources: { g: group } },
      /"g" is both in variables and in resources; rename one/,
    ],
  ])(
    "refuses %s before registering anything, naming the field",
    async (_case, program, message) => {
      expect(await failure(program)).toMatch(message);
      expect(recorder.registrations).toEqual([]);
    },
  );

  it("joins with fn::join, and names a malformed one", async () => {
    const joined = await run({ outputs: { x: { "fn::join": ["-", ["a", "${pulumi.stack}"]] } } });
    expect(await promiseOf(joined.x as pulumi.Output<string>)).toBe("a-dev");
    expect(await failure({ outputs: { x: { "fn::join": "a,b" } } })).toMatch(
      /outputs\.x\.fn::join: takes \[delimiter, \[items\.\.\.\]\]/,
    );
  });

  it("names an output a resource does not have", async () => {
    expect(await failure({ resources: { g: group }, outputs: { x: "${g.nothing}" } })).toMatch(
      /Pulumi\.yaml: outputs\.x: \$\{g\.nothing}: g has no output "nothing"/,
    );
  });
});

describe("yamlProgramFile", () => {
  it("is Pulumi.yaml, or main's Main.yaml when main names a directory", () => {
    const dir = tempDir("global-image-yaml-main-");
    fs.mkdirSync(path.join(dir, "program"));
    expect(yamlProgramFile(dir, "")).toBe(path.join(dir, "Pulumi.yaml"));
    expect(yamlProgramFile(dir, "program")).toBe(path.join(dir, "program", "Main.yaml"));
  });
});
