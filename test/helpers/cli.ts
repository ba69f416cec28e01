/** Runs the CLI in-process with captured output, in a directory of its own. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../src/cli/main";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh temporary directory. */
export function tempDir(prefix = "global-image-cli-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function cli(
  args: string[],
  cwd: string,
  now = new Date("2026-11-25T12:00:00Z"),
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    color: false,
    cwd,
    now: () => now,
  });
  return { code, stdout, stderr };
}

export const JUNIT = path.join(__dirname, "..", "fixtures", "junit");
export const REPO = path.join(__dirname, "..", "..");

/**
 * A copy of the root project (stack file, evidence, tsconfig) in a temporary directory whose
 * program is the repository's, with node_modules linked, so commands may edit its stack file.
 * Its tsconfig is the repository's compiler options without `paths` (which only the examples
 * use): the program then type-checks the same in every copy, and `check` does it once.
 */
export function rootProjectCopy(): string {
  const dir = tempDir("global-image-project-");
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: global-image\nruntime: { name: nodejs, options: { typescript: true } }\nmain: ${path.join(REPO, "src", "program", "index.ts")}\n`,
  );
  fs.copyFileSync(path.join(REPO, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(rootTsconfig()));
  fs.cpSync(path.join(REPO, "evidence"), path.join(dir, "evidence"), { recursive: true });
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

/** The repository's tsconfig.json for a copy of the root project (see rootProjectCopy). */
function rootTsconfig(): { compilerOptions: Record<string, unknown> } {
  const repo = JSON.parse(fs.readFileSync(path.join(REPO, "tsconfig.json"), "utf8")) as {
    compilerOptions: Record<string, unknown>;
  };
  const { paths: _paths, ...compilerOptions } = repo.compilerOptions;
  return { compilerOptions };
}

/** `attest` of the passing JUnit fixture for one image version, with extra flags. */
export function attestPassing(
  dir: string,
  image: string,
  version: string,
  ...flags: string[]
): Promise<CliRun> {
  return cli(
    [
      "attest",
      "--junit",
      path.join(JUNIT, "passing.xml"),
      "--image",
      image,
      "--version",
      version,
      ...flags,
    ],
    dir,
  );
}

/**
 * A one-file TypeScript Pulumi project (`probe`, stack `dev`) in a temporary directory, for the
 * check's runtime tests. `tsconfig`: the repository's, an object to write, or none; `modules`:
 * link the repository's whole node_modules (default), or a node_modules of the project's own
 * linking only these entries (so caches in node_modules/.cache are the project's).
 */
export function probeProject(
  program: string,
  options: { tsconfig?: "repo" | object; modules?: string[] } = {},
): string {
  const dir = tempDir("global-image-probe-");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: probe\nruntime: nodejs\nmain: index.ts\n");
  fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
  fs.writeFileSync(path.join(dir, "index.ts"), program);
  if (options.tsconfig === "repo")
    fs.copyFileSync(path.join(REPO, "tsconfig.json"), path.join(dir, "tsconfig.json"));
  else if (options.tsconfig)
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(options.tsconfig));
  if (!options.modules) {
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    return dir;
  }
  fs.mkdirSync(path.join(dir, "node_modules"));
  for (const entry of options.modules)
    fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(dir, "node_modules", entry));
  return dir;
}
