/**
 * `global-image promote <image> [--to X.Y.Z]` and `global-image rollback <image> [--to X.Y.Z]`:
 * change `activeVersion` in `Pulumi.<stack>.yaml` (and mark the versions left above it withdrawn),
 * after checking the target's evidence locally the way the policy pack will. The file is edited
 * in place, checked, and written atomically under a lock (see `stackChange.ts`).
 */
import * as path from "node:path";
import { joinField } from "../domain/common/errors";
import { printable } from "../domain/common/text";
import { newestBackup } from "../domain/images/roles";
import { compareVersions } from "../domain/images/version";
import { CONFIG_NAMESPACE } from "../program/config";
import { StackEdit } from "../program/stackEdit";
import { ExitCode, Io, json, line, styles } from "./io";
import { CliError } from "./io";
import { ImageEntry, evidenceRefusal, findImage } from "./imageEvidence";
import { Project, loadProject, rootConfig } from "./project";
import { policySettings } from "./requirements";
import { changeStackFile } from "./stackChange";

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
  const settings = policySettings(io.cwd, options.policyConfig, project);
  const image = findImage(config, imageKey, project);
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
  const refusal = evidenceRefusal(image, target, settings, project, io);
  if (refusal && !options.force) {
    const text = [
      `${styles(io).red("✖")} ${imageKey} ${target} may not be activated:`,
      ...refusal.problems.map((problem) => `  - ${problem}`),
      ...refusal.fixes.map((fix) => `  ${fix}`),
      "Or pass --force to write the change anyway (the policy pack will still check it).",
    ].join("\n");
    report(io, options, { ...outcome, changed: false, refused: refusal.problems }, text);
    return ExitCode.Failed;
  }
  // Moving forward records when the version became active (rings count their soak from it);
  // going back (a rollback, or --to an older version) keeps the time it was first activated.
  const forward = compareVersions(target, plan.activeVersion) > 0;
  const activatedAt = forward
    ? io
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z")
    : undefined;
  const { edits, withdrawn } = promotionEdits(image, imageKey, target, activatedAt);
  const diff = changeStackFile(project, edits, io);
  const packConfig = settings.file ? ` --policy-pack-config ${settings.file.split(" ")[0]}` : "";
  const next = `pulumi preview --stack ${project.stack} --policy-pack policies${packConfig}`;
  const s = styles(io);
  const human = [
    ...(refusal
      ? [s.yellow(`! --force: activating ${target} despite: ${refusal.problems.join("; ")}`)]
      : []),
    ...diff,
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
    { ...outcome, changed: true, forced: refusal?.problems ?? [], withdrawn, activatedAt, next },
    human,
  );
}

/**
 * The edits that make `target` active. The versions this leaves above the active one that are
 * not staged (on a rollback, the version it leaves) are marked `withdrawn: true`, so they never
 * become backups; a staged version that is left is unstaged.
 */
function promotionEdits(
  image: ImageEntry,
  imageKey: string,
  target: string,
  activatedAt: string | undefined,
): { edits: StackEdit[]; withdrawn: string[] } {
  const at = [`${CONFIG_NAMESPACE}:images`, imageKey];
  const from = image.plan.activeVersion;
  const edits: StackEdit[] = [{ path: [...at, "activeVersion"], value: target }];
  if (activatedAt !== undefined)
    edits.push({
      path: [...at, "versions", target, "activatedAt"],
      value: activatedAt,
      create: true,
    });
  let staged = image.args.stagedVersion;
  if (staged === from && compareVersions(from, target) > 0) {
    staged = target;
    edits.push({ path: [...at, "stagedVersion"], value: target });
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
    edits.push({ path: [...at, "versions", v, "withdrawn"], value: true, create: true });
  return { edits, withdrawn };
}

/** Prints the outcome as JSON or as text. */
export function report(
  io: Io,
  options: { readonly json?: boolean },
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
        ? `image ${printable(key)}: nothing is staged; name the version with --to`
        : `image ${printable(key)}: no backup is kept; name the version with --to`,
    );
  }
  return target;
}

export type { Project };
