/**
 * `global-image promote <image> [--to X.Y.Z]` and `global-image rollback <image> [--to X.Y.Z]`:
 * change only `activeVersion` in `Pulumi.<stack>.yaml` (comments and layout kept), after checking
 * the target's evidence locally the way the policy pack will.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { joinField } from "../domain/errors";
import { newestBackup } from "../domain/roles";
import { judgeEvidence } from "../evidence/verdict";
import { CONFIG_NAMESPACE, ProjectConfig } from "../program/config";
import { setStackValue } from "../program/stackFile";
import { CliError, ExitCode, Io, line, styles } from "./io";
import { loadProject, rootConfig } from "./project";
import { requirementsFrom } from "./requirements";

export interface PromoteOptions {
  readonly to?: string;
  readonly stack?: string;
  readonly dir?: string;
  readonly force?: boolean;
  readonly policyConfig?: string;
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
  const s = styles(io);
  if (target === plan.activeVersion) {
    line(io, `${imageKey}: ${target} is already active; nothing to change.`);
    return ExitCode.Ok;
  }
  const refusal = evidenceRefusal(image, target, options, io);
  if (refusal && !options.force) {
    line(io, `${s.red("✖")} ${imageKey} ${target} may not be activated:`);
    for (const problem of refusal) line(io, `  - ${problem}`);
    line(
      io,
      "Attest its test results first (global-image attest), or pass --force to write the change anyway (the policy pack will still check it).",
    );
    return ExitCode.Failed;
  }
  if (refusal) line(io, s.yellow(`! --force: activating ${target} despite: ${refusal.join("; ")}`));
  const keyPath = [`${CONFIG_NAMESPACE}:images`, imageKey, "activeVersion"];
  const { text } = setStackValue(project.stackText, keyPath, target, project.stackFile);
  fs.writeFileSync(project.stackFile, text);
  printDiff(
    io,
    path.relative(io.cwd, project.stackFile) || project.stackFile,
    project.stackText,
    text,
  );
  line(
    io,
    `${s.green("✔")} ${direction === "promote" ? "Promoted" : "Rolled back"} ${imageKey}: ${plan.activeVersion} → ${target} (${joinField(`${CONFIG_NAMESPACE}:images`, imageKey)}.activeVersion)`,
  );
  const packConfig = options.policyConfig ? ` --policy-pack-config ${options.policyConfig}` : "";
  line(io, `Next: pulumi preview --stack ${project.stack} --policy-pack policies${packConfig}`);
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
function printDiff(io: Io, file: string, before: string, after: string): void {
  const s = styles(io);
  const a = before.split("\n");
  const b = after.split("\n");
  line(io, s.bold(`--- ${file}`));
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (a[i] !== undefined) line(io, s.red(`-${i + 1}: ${a[i]}`));
    if (b[i] !== undefined) line(io, s.green(`+${i + 1}: ${b[i]}`));
  }
}
