/**
 * The SDK's two deferred dependencies (jest.config.js, lazyModule.cjs) still work when used: what
 * the suites' SDK loads behaves as the unmapped one would.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

describe("the SDK's deferred dependencies", () => {
  it("serializes a function with TypeScript's parser behind the shim", async () => {
    class Counter {
      constructor(private readonly start: number) {}
      next(): number {
        return this.start + 1;
      }
    }
    const serialized = await pulumi.runtime.serializeFunction(() => new Counter(41).next());
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lazy-sdk-")), "fn.js");
    fs.writeFileSync(file, serialized.text);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require(file).handler()).toBe(42);
  });

  it("walks a project's dependencies with @npmcli/arborist behind the proxy", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lazy-sdk-"));
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "p", version: "1.0.0", dependencies: { tiny: "1.0.0" } }),
    );
    fs.mkdirSync(path.join(dir, "node_modules", "tiny"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "node_modules", "tiny", "package.json"),
      JSON.stringify({ name: "tiny", version: "1.0.0" }),
    );
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const paths = await pulumi.runtime.computeCodePaths();
      expect([...paths.keys()]).toEqual([path.join("node_modules", "tiny")]);
    } finally {
      process.chdir(cwd);
    }
  });

  it("answers `in`, key listing and descriptors from the real module", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const arborist = require("@npmcli/arborist");
    expect("Arborist" in arborist).toBe(true);
    expect(Object.keys(arborist)).toContain("Arborist");
    expect(typeof Object.getOwnPropertyDescriptor(arborist, "Arborist")?.value).toBe("function");
    // Loaded, it is the real module's exports: no stand-in answer is left.
    expect(arborist.__esModule).toBeUndefined();
    expect(arborist.Arborist).toBe(jest.requireActual("@npmcli/arborist").Arborist);
  });
});
