import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { policies } from "../../policies/policies";

const EXAMPLE = path.join(__dirname, "..", "..", "policies", "policy-config.example.json");

describe("the policy pack", () => {
  it("has the eight policies, by their fixed names and default enforcement levels", () => {
    expect(policies.map((p) => [p.name, p.enforcementLevel])).toEqual([
      ["image-activation-requires-passing-tests", "mandatory"],
      ["consumers-use-active-version", "mandatory"],
      ["non-active-versions-excluded-from-latest", "mandatory"],
      ["active-version-replicated-to-consumer-regions", "advisory"],
      ["backups-protected", "advisory"],
      ["consumers-use-managed-images", "advisory"],
      ["replicas-follow-source", "mandatory"],
      ["ring-order-respected", "mandatory"],
    ]);
  });

  it("declares a default and a description for every knob", () => {
    for (const policy of policies) {
      for (const [knob, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        expect([
          policy.name,
          knob,
          "default" in (schema as object),
          typeof (schema as { description?: string }).description,
        ]).toEqual([policy.name, knob, true, "string"]);
      }
    }
  });

  it("ships an example --policy-pack-config that uses only declared knobs", () => {
    const example = JSON.parse(fs.readFileSync(EXAMPLE, "utf8")) as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(example).sort()).toEqual(policies.map((p) => p.name).sort());
    for (const policy of policies) {
      const declared = Object.keys(policy.configSchema?.properties ?? {});
      const used = Object.keys(example[policy.name]).filter((k) => k !== "enforcementLevel");
      expect([policy.name, used.filter((k) => !declared.includes(k))]).toEqual([policy.name, []]);
    }
  });

  it("compiles and loads the way the Pulumi CLI runs a TypeScript pack (ts-node, type-checked)", () => {
    const script = `
      require("ts-node").register({ typeCheck: true, project: "tsconfig.json",
        compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node" } });
      process.stdout.write(require("./policies.ts").policies.map((p) => p.name).join(","));`;
    const out = execFileSync(process.execPath, ["-e", script], {
      cwd: path.dirname(EXAMPLE),
      encoding: "utf8",
      timeout: 120000,
    });
    expect(out.split(",")).toEqual(policies.map((p) => p.name));
  });
});
