/**
 * `global-image promote <image> [--to X.Y.Z]` and `global-image rollback <image> [--to X.Y.Z]`:
 * change only `activeVersion` in `Pulumi.<stack>.yaml` (comments and layout kept), after checking
 * the target's evidence locally the way the policy pack will.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { joinField } from "../domain/errors";
import { newestBackup } from "../domain/roles";
import { compareVersions } from "../domain/version";
import { judgeEvidence } from "../evidence/verdict";
import { CONFIG_NAMESPACE, ProjectConfig } from "../program/config";
import { setStackValue } from "../program/stackFile";
import { CliError, ExitCode, Io, json, line, styles } from "./io";
import { Project, loadProject, rootConfig } from "./project";
import { requirementsFrom } from "./requirements";

export interface PromoteOptions {
  readonly to?: string;
  readonly stack?: string;
  readonly dir?: string;
  readonly force?: boolean;
  readonly policyConfig?: string;
  readonly json?: boolean;
}

type Direction = "promote" | "rollback";

export async function promote(
  imageKey: string,
  options: PromoteOptions,
  io: Io,
  direction: Direction = "promote",
): Promise<number> {
  const project = loadProject(io.cwd, options.dir, options.stack);
  const config = rootConfig(project);
  const image = config.images.find((i) => i.key === imageKey);
  if (!image) {
    throw new CliError(
      `image ${imageKey}: not in ${CONFIG_NAMESPACE}:images of ${path.basename(project.stackFile)} (${config.images.map((i) => i.key).join(", ")})`,
    );
  }
  const { plan } = image;
  const target =
    options.to ?? defaultTarget(direction, plan.stagedVersion, newestBackup(plan.roles), imageKey);
  if (plan.roles[target] === undefined) {
    throw new CliError(
      `--to ${target}: not a declared version of ${imageKey} (${Object.keys(plan.roles).join(", ")})`,
    );
  }
  if (image.args.versions[target]?.withdrawn === true) {
    throw new CliError(
      `--to ${target}: marked withdrawn (${imageKey}.versions["${target}"].withdrawn: true); remove that line from ${path.basename(project.stackFile)} to activate it again`,
    );
  }
  const outcome = {
    image: imageKey,
    from: plan.activeVersion,
    to: target,
    file: project.stackFile,
  };
  if (target === plan.activeVersion) {
    return report(
      io,
      options,
      { ...outcome, changed: false },
      `${imageKey}: ${target} is already active; nothing to change.`,
    );
  }
  const refusal = evidenceRefusal(image, target, options, io);
  if (refusal && !options.force) {
    const text = [
      `${styles(io).red("✖")} ${imageKey} ${target} may not be activated:`,
      ...refusal.map((problem) => `  - ${problem}`),
      "Attest its test results first (global-image attest), or pass --force to write the change anyway (the policy pack will still check it).",
    ].join("\n");
    report(io, options, { ...outcome, changed: false, refused: refusal }, text);
    return ExitCode.Failed;
  }
  const { text, withdrawn } = rewrite(project, imageKey, image, target);
  fs.writeFileSync(project.stackFile, text);
  const packConfig = options.policyConfig ? ` --policy-pack-config ${options.policyConfig}` : "";
  const next = `pulumi preview --stack ${project.stack} --policy-pack policies${packConfig}`;
  const s = styles(io);
  const human = [
    ...(refusal
      ? [s.yellow(`! --force: activating ${target} despite: ${refusal.join("; ")}`)]
      : []),
    ...diffLines(
      io,
      path.relative(io.cwd, project.stackFile) || project.stackFile,
      project.stackText,
      text,
    ),
    `${s.green("✔")} ${direction === "promote" ? "Promoted" : "Rolled back"} ${imageKey}: ${plan.activeVersion} → ${target} (${joinField(`${CONFIG_NAMESPACE}:images`, imageKey)}.activeVersion)`,
    ...withdrawn.map(
      (v) =>
        `  ${v} is marked withdrawn: never a backup; remove its "withdrawn: true" to stage it again`,
    ),
    `Next: ${next}`,
  ].join("\n");
  return report(
    io,
    options,
    { ...outcome, changed: true, forced: refusal ?? [], withdrawn, next },
    human,
  );
}

/**
 * The stack file with `activeVersion` set to `target`. The versions this leaves above the active
 * one that are not staged (on a rollback, the version it leaves) are marked `withdrawn: true`, so
 * they never become backups; a staged version that is left is unstaged.
 */
function rewrite(
  project: Project,
  imageKey: string,
  image: ProjectConfig["images"][number],
  target: string,
): { text: string; withdrawn: string[] } {
  const at = [`${CONFIG_NAMESPACE}:images`, imageKey];
  const file = project.stackFile;
  const from = image.plan.activeVersion;
  let { text } = setStackValue(project.stackText, [...at, "activeVersion"], target, file);
  let staged = image.args.stagedVersion;
  if (staged === from && compareVersions(from, target) > 0) {
    staged = target;
    text = setStackValue(text, [...at, "stagedVersion"], target, file).text;
  }
  const withdrawn = image.plan.versions
    .map((v) => v.version)
    .filter(
      (v) =>
        compareVersions(v, target) > 0 &&
        v !== staged &&
        image.args.versions[v]?.withdrawn !== true,
    );
  for (const v of withdrawn)
    text = setStackValue(text, [...at, "versions", v, "withdrawn"], true, file, true).text;
  return { text, withdrawn };
}

/** Prints the outcome as JSON or as text. */
function report(
  io: Io,
  options: PromoteOptions,
  outcome: Record<string, unknown>,
  text: string,
): number {
  if (options.json) json(io, outcome);
  else line(io, text);
  return ExitCode.Ok;
}

function defaultTarget(
  direction: Direction,
  staged: string | undefined,
  backup: string | undefined,
  key: string,
): string {
  const target = direction === "promote" ? staged : backup;
  if (target === undefined) {
    throw new CliError(
      direction === "promote"
        ? `image ${key}: nothing is staged; name the version with --to`
        : `image ${key}: no backup is kept; name the version with --to`,
    );
  }
  return target;
}

function evidenceRefusal(
  image: ProjectConfig["images"][number],
  version: string,
  options: PromoteOptions,
  io: Io,
): string[] | undefined {
  const requirements = requirementsFrom({ policyConfig: options.policyConfig }, io.cwd);
  const name = image.plan.image.name;
  if ((requirements.exemptVersions[name] ?? []).includes(version)) return undefined;
  const evidence = (image.args.evidence ?? {})[version];
  const verdict = judgeEvidence(evidence, { image: name, version, ...requirements, now: io.now() });
  return verdict.ok ? undefined : verdict.problems;
}

/** The changed lines, as `- old` / `+ new` with line numbers. */
function diffLines(io: Io, file: string, before: string, after: string): string[] {
  const s = styles(io);
  const a = before.split("\n");
  const b = after.split("\n");
  const lines = [s.bold(`--- ${file}`)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (a[i] !== undefined) lines.push(s.red(`-${i + 1}: ${a[i]}`));
    if (b[i] !== undefined) lines.push(s.green(`+${i + 1}: ${b[i]}`));
  }
  return lines;
}
