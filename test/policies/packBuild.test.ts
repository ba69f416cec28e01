/**
 * The publishable pack (`npm run build` → dist/policy-pack) loads from a folder holding only it and
 * its declared dependencies, as `pulumi policy publish` uploads it: nothing reaches back into
 * `src/` or `policies/`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import { REPO, tempDir } from "../helpers/cli";

const PACK = path.join(REPO, "dist", "policy-pack");

describe("the built policy pack", () => {
  it("is self-contained: only its declared dependencies, no path outside its folder", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "global-image-guardrails", main: "index.js" });
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["@pulumi/policy", "@pulumi/pulumi"]);
    expect(fs.readFileSync(path.join(PACK, "PulumiPolicy.yaml"), "utf8")).toMatch(
      /^runtime: nodejs/m,
    );
    for (const file of ["index.js", "policies.js"]) {
      const requires = [
        ...fs.readFileSync(path.join(PACK, file), "utf8").matchAll(/require\("([^"]+)"\)/g),
      ].map((m) => m[1]);
      // Node's own modules (the bundled sigstore-js requires "crypto" and "util") are always there.
      const own = (r: string) => r.startsWith("node:") || builtinModules.includes(r);
      expect(requires.filter((r) => !own(r) && !manifest.dependencies[r])).toEqual([]);
    }
    expect(fs.readFileSync(path.join(PACK, "index.js"), "utf8")).toContain(
      "new import_policy.PolicyPack(POLICY_PACK_NAME",
    );
  });

  it("loads from a folder with only the pack and its dependencies, and its policies judge", () => {
    const dir = tempDir("global-image-pack-");
    fs.cpSync(PACK, dir, { recursive: true });
    fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
    for (const sdk of ["policy", "pulumi"])
      fs.symlinkSync(
        path.join(REPO, "node_modules", "@pulumi", sdk),
        path.join(dir, "node_modules", "@pulumi", sdk),
      );
    const probe = `
      const { policies } = require("./policies.js");
      const activation = policies.find((p) => p.name === "image-activation-requires-passing-tests");
      const messages = [];
      activation.validateResource({
        type: "global-image:index:GlobalImage", name: "win11", urn: "urn", opts: {},
        props: { image: { name: "win11-avd" }, activeVersion: "1.1.0", versions: { "1.1.0": {} }, evidence: {} },
        getConfig: () => ({}), notApplicable: () => { throw new Error("n/a"); },
      }, (m) => messages.push(m));
      process.stdout.write(JSON.stringify({ names: policies.map((p) => p.name), messages }));
    `;
    const out = JSON.parse(
      execFileSync(process.execPath, ["-e", probe], { cwd: dir, encoding: "utf8" }),
    );
    expect(out.names).toEqual([
      "image-activation-requires-passing-tests",
      "consumers-use-active-version",
      "non-active-versions-excluded-from-latest",
      "active-version-replicated-to-consumer-regions",
      "backups-protected",
      "consumers-use-managed-images",
      "replicas-follow-source",
      "ring-order-respected",
    ]);
    expect(out.messages).toEqual([
      expect.stringMatching(/win11-avd 1\.1\.0 cannot be active: there is no test evidence/),
    ]);
  });
});
