/**
 * The project a command works on: its directory, `Pulumi.yaml`, the stack file and the checked
 * root-project config (images, pools, evidence) read from it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { isGlobalImageError } from "../domain/common/errors";
import { ProjectConfig, parseProjectConfig, rawConfig } from "../program/config";
import { stackConfigValues } from "../program/stackFile";
import { CliError } from "./io";

export interface Project {
  readonly dir: string;
  readonly name: string;
  /** Pulumi.yaml's runtime name (`nodejs`, `yaml`, ...). */
  readonly runtime: string;
  /** The program's entry, from Pulumi.yaml `main` (default: the package's main or index.ts). */
  readonly main: string;
  readonly stack: string;
  readonly stackFile: string;
  readonly stackText: string;
  /** The engine's config map of the stack file. */
  readonly config: Record<string, string>;
}

/** Finds the project in `dir` and its stack (`--stack`, or the only Pulumi.<stack>.yaml). */
export function loadProject(
  cwd: string,
  dirFlag: string | undefined,
  stackFlag: string | undefined,
): Project {
  const dir = path.resolve(cwd, dirFlag ?? ".");
  const manifest = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(manifest))
    throw new CliError(`--dir ${dirFlag ?? "."}: no Pulumi.yaml in ${dir}`);
  const meta = (parse(fs.readFileSync(manifest, "utf8")) ?? {}) as {
    name?: string;
    main?: string;
    runtime?: string | { name?: string };
  };
  if (typeof meta.name !== "string") throw new CliError(`${manifest}: has no project name`);
  const runtime = (typeof meta.runtime === "string" ? meta.runtime : meta.runtime?.name) ?? "";
  const stack = stackFlag === undefined ? onlyStack(dir) : stackName(stackFlag);
  const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile))
    throw new CliError(`--stack ${stack}: no ${path.relative(cwd, stackFile) || stackFile}`);
  const stackText = fs.readFileSync(stackFile, "utf8");
  let config: Record<string, string>;
  try {
    config = stackConfigValues(stackText, path.basename(stackFile));
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const main = meta.main ?? "";
  return { dir, name: meta.name, runtime, main, stack, stackFile, stackText, config };
}

/**
 * The stack's name from `--stack`: `dev`, or `org/dev` / `org/project/dev` (the file is named after
 * the last part, as Pulumi names it). Never a path.
 */
export function stackName(flag: string): string {
  const parts = flag.split("/");
  const ok = /^[A-Za-z0-9_.-]+$/;
  if (parts.length > 3 || parts.some((p) => !ok.test(p) || p === "." || p === ".."))
    throw new CliError(
      `--stack ${JSON.stringify(flag)}: takes a stack name (letters, digits, "-", "_", "."; or org/project/stack), not a path; --dir names the project directory`,
    );
  return parts[parts.length - 1];
}

function onlyStack(dir: string): string {
  const stacks = fs.readdirSync(dir).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
  if (stacks.length !== 1) {
    throw new CliError(
      `--stack: ${stacks.length === 0 ? "no Pulumi.<stack>.yaml here" : `name one of ${stacks.join(", ")}`}`,
    );
  }
  return stacks[0];
}

/** The root project's checked config (images, pools, evidence), errors naming the config path. */
export function rootConfig(project: Project, now?: Date): ProjectConfig {
  try {
    // evidenceDir is relative to the project, as under `pulumi up`
    return parseProjectConfig(rawConfig(project.config), now?.toISOString(), project.dir);
  } catch (err) {
    if (isGlobalImageError(err))
      throw new CliError(`${path.basename(project.stackFile)}: ${err.message}`);
    throw err;
  }
}
