/**
 * Runs a Pulumi program module under the mocks, as `pulumi up` would: config from a stack file,
 * a fresh module instance per run, and its exports back.
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { Recorder, settle } from "./mocks";
import { stackConfigValues } from "../../src/program/stackFile";

/** The engine's config map of a `Pulumi.<stack>.yaml` file. */
export function stackFileConfig(file: string): Record<string, string> {
  return stackConfigValues(fs.readFileSync(file, "utf8"), file);
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
