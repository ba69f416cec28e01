/**
 * The type-check cache of `check`: a clean result is reused by another project only when the
 * result cannot differ (same entry, options and packages; no option resolving against the
 * project directory).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO, tempDir } from "../helpers/cli";
import { typeCheckProgram } from "../../src/check/typescript";

jest.setTimeout(60_000);

const shared = tempDir("global-image-shared-");
const entry = path.join(shared, "index.ts");
fs.writeFileSync(entry, "const n: number = 1;\nexport const text: string = String(n);\n");

/** A project whose program is the shared entry, with `compilerOptions` and REPO's packages. */
function project(compilerOptions: Record<string, unknown>): string {
  const dir = tempDir("global-image-copy-");
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions }));
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

describe("the type-check cache", () => {
  // No @types: the cache is under test, not the program (each cold check is then ~0.3 s, not 1.5).
  const options = { strict: true, target: "ES2022", module: "commonjs", types: [] };
  const cache = tempDir("global-image-cache-");

  it("shares a clean result between copies of a project, and not with a project whose paths resolve elsewhere", () => {
    expect(typeCheckProgram(project(options), entry, cache)).toEqual({ errors: [], cached: false });
    expect(typeCheckProgram(project(options), entry, cache)).toEqual({ errors: [], cached: true });
    // `paths` resolve against each project's directory: two such copies never share.
    const withPaths = { ...options, paths: { lib: ["./lib.ts"] } };
    expect(typeCheckProgram(project(withPaths), entry, cache).cached).toBe(false);
    expect(typeCheckProgram(project(withPaths), entry, cache).cached).toBe(false);
    expect(typeCheckProgram(project({ ...options, strict: false }), entry, cache).cached).toBe(
      false,
    );
  });
});
