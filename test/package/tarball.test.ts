/**
 * What `npm install` of the package's tarball gets: what a user needs (the compiled library and
 * CLI, its check worker, the policy pack in both forms, the vendored Azure specs, the
 * multi-language manifest and schema, and the TypeScript source and tsconfig.json the component
 * provider infers its schema from) and nothing else (no bench, tests or scripts).
 */
import { execFileSync } from "node:child_process";
import { REPO } from "../helpers/cli";

jest.setTimeout(60_000);

const files: string[] = (
  JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: REPO,
      encoding: "utf8",
    }),
  )[0].files as Array<{ path: string }>
).map((f) => f.path);

describe("the npm tarball", () => {
  it.each([
    "package.json",
    "README.md",
    "PulumiPlugin.yaml",
    "schema.json",
    "dist/src/index.js",
    "dist/src/index.d.ts",
    "dist/src/cli/index.js",
    "src/index.ts",
    "tsconfig.json",
    "dist/src/check/worker.js",
    "dist/policies/policies.js",
    "dist/policy-pack/index.js",
    "dist/policy-pack/package.json",
    "dist/policy-pack/PulumiPolicy.yaml",
    "contract/azure-rest-specs/README.md",
    "contract/azure-rest-specs/specification/compute/resource-manager/Microsoft.Compute/GalleryRP/stable/2024-03-03/gallery.json",
  ])("holds %s", (file) => {
    expect(files).toContain(file);
  });

  it("holds nothing a user does not need", () => {
    const top = new Set(
      files.map((f) =>
        f.startsWith("dist/") ? f.split("/").slice(0, 2).join("/") : f.split("/")[0],
      ),
    );
    expect([...top].sort()).toEqual([
      "PulumiPlugin.yaml",
      "README.md",
      "contract",
      "dist/policies",
      "dist/policy-pack",
      "dist/src",
      "package.json",
      "schema.json",
      // The component provider infers its schema from the TypeScript source (test/engine/provider).
      "src",
      "tsconfig.json",
    ]);
    expect(files.filter((f) => /\.test\.|^test\/|bench|scripts/.test(f))).toEqual([]);
    // The pack's entry is dist/policy-pack/index.js: a compiled policies/index.js starts a server.
    expect(files.filter((f) => f.startsWith("dist/policies/index."))).toEqual([]);
    expect(files.filter((f) => f.startsWith("src/") && !f.endsWith(".ts"))).toEqual([]);
  });
});
