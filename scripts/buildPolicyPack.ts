/**
 * Builds the publishable policy pack, `dist/policy-pack/`: the pack's code bundled by esbuild with
 * the shared domain and evidence code it imports from `src/` (a published pack holds only its own
 * folder), PulumiPolicy.yaml, and a package.json that depends on @pulumi/policy and
 * @pulumi/pulumi only. `policies/` stays the source. Run by `npm run build`.
 *   cd dist/policy-pack && npm install && pulumi policy publish <org>
 */
import { buildSync } from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const OUT = path.join(ROOT, "dist", "policy-pack");
const SDKS = ["@pulumi/policy", "@pulumi/pulumi"];

function main(): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    version: string;
    license: string;
    dependencies: Record<string, string>;
  };
  fs.rmSync(OUT, { recursive: true, force: true });
  buildSync({
    // index.js is the pack (it starts the policy server); policies.js the bare array, for tools.
    entryPoints: {
      index: path.join(ROOT, "policies", "index.ts"),
      policies: path.join(ROOT, "policies", "policies.ts"),
    },
    outdir: OUT,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: SDKS, // the engine's own SDKs, installed next to the pack
    sourcemap: true,
    logLevel: "error",
  });
  fs.copyFileSync(
    path.join(ROOT, "policies", "PulumiPolicy.yaml"),
    path.join(OUT, "PulumiPolicy.yaml"),
  );
  const manifest = {
    name: "global-image-guardrails",
    version: pkg.version,
    description: "The global-image-guardrails CrossGuard policy pack, built from global-image.",
    license: pkg.license,
    main: "index.js",
    dependencies: Object.fromEntries(SDKS.map((sdk) => [sdk, pkg.dependencies[sdk]])),
  };
  fs.writeFileSync(path.join(OUT, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  // `npm test` compiles (and so type-checks) policies/index.ts with everything else: its output
  // would start a policy server when required, and dist/policies is published. The pack's entry
  // is dist/policy-pack/index.js.
  for (const file of ["index.js", "index.js.map", "index.d.ts", "index.d.ts.map"])
    fs.rmSync(path.join(ROOT, "dist", "policies", file), { force: true });
}

main();
