/**
 * Runs a Pulumi program module under the mocks, as `pulumi up` would: config from a stack file,
 * a fresh module instance per run, and its exports back.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Recorder, settle } from "./mocks";
import { stackConfigValues } from "../../src/program/stackFile";

/** The engine's config map of a `Pulumi.<stack>.yaml` file. */
export function stackFileConfig(file: string): Record<string, string> {
  return stackConfigValues(fs.readFileSync(file, "utf8"), file);
}

/**
 * The Pulumi packages the programs import, loaded once per test file and shared by its program
 * runs: each run's own modules (the program, this package's src/, the examples) load afresh, but
 * reloading the Pulumi SDK and azure-native's modules for every run was most of a run's time
 * (compiling them again). Their state was shared anyway: the SDK keeps it on the global object.
 * Found in the sources (type-only `types/` modules left out: no program loads them).
 */
function sharedPackages(): string[] {
  const root = path.join(__dirname, "..", "..");
  const files = ["src", "examples"].flatMap((dir) =>
    fs
      .readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.includes("node_modules"))
      .map((f) => path.join(dir, f)),
  );
  const names = new Set<string>();
  for (const file of files)
    for (const [, name] of fs
      .readFileSync(path.join(root, file), "utf8")
      .matchAll(/from "(@pulumi\/(?:pulumi|random|azure-native\/(?!types\/)[\w-]+))"/g))
      names.add(name);
  return [...names].sort();
}
for (const name of sharedPackages()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- this test file's instance
  const shared = require(name);
  jest.doMock(name, () => shared);
}

/** Requires the program afresh with `config` set; resolves to its exports. */
export async function runProgram(
  recorder: Recorder,
  programPath: string,
  config: Record<string, string>,
  cwd?: string,
): Promise<Record<string, pulumi.Output<any>>> {
  recorder.reset();
  pulumi.runtime.setAllConfig(config);
  let exported: Record<string, pulumi.Output<any>> = {};
  // Pulumi runs a program in its project directory; relative paths in it (evidenceDir) count from there.
  const previous = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh program run each time
      exported = require(programPath);
    });
  } finally {
    process.chdir(previous);
  }
  await settle();
  return exported;
}
