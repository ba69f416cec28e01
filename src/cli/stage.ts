/**
 * `global-image stage <image> <version> --source <kind>=<id>`: Nerdio's "Stage new image as
 * inactive" as one edit of `Pulumi.<stack>.yaml`: declare the version, make it the staged one
 * (validation pools boot it, production stays on the active version), and mark the version that
 * was staged before withdrawn. The same guarantees as `promote`: only those lines change, the new
 * config is checked, and the file is written atomically under a lock.
 */
import { canonicalJson } from "../evidence/canonical";
import { SourceKind, enumValues } from "../domain/common/kinds";
import { ImageRole } from "../domain/images/roles";
import { STORAGE_ACCOUNT, checkArmIdOf, checkSourceId } from "../domain/images/versionSource";
import { printable } from "../domain/common/text";
import { versionProblem } from "../domain/images/version";
import { CONFIG_NAMESPACE } from "../program/config";
import { StackEdit } from "../program/stackEdit";
import { CliError, ExitCode, Io, styles } from "./io";
import { findImage } from "./imageEvidence";
import { loadProject, rootConfig } from "./project";
import { report } from "./promote";
import { changeStackFile } from "./stackChange";

export interface StageOptions {
  /** `kind=id` pairs, e.g. `virtualMachineId=/subscriptions/...` (and `storageAccountId=` for a VHD). */
  readonly source?: string[];
  readonly stack?: string;
  readonly dir?: string;
  readonly json?: boolean;
}

// A built version's recipe is a document, not an id: it is written in the stack file.
const SOURCE_KEYS = [
  ...enumValues(SourceKind).filter((k) => k !== SourceKind.ImageBuilder),
  "storageAccountId",
] as string[];

export async function stage(
  imageKey: string,
  version: string,
  options: StageOptions,
  io: Io,
): Promise<number> {
  const problem = versionProblem(version);
  if (problem) throw new CliError(`<version> ${printable(version)}: ${problem}`);
  const project = loadProject(io.cwd, options.dir, options.stack);
  const image = findImage(rootConfig(project), imageKey, project);
  const source = parseSource(options.source ?? []);
  const declared = image.args.versions[version] as
    { source?: unknown; withdrawn?: boolean } | undefined;
  const at = [`${CONFIG_NAMESPACE}:images`, imageKey];
  const edits: StackEdit[] = [];
  if (declared === undefined) {
    if (source === undefined)
      throw new CliError(
        `--source: ${imageKey} has no version ${version}; name what it is made from, e.g. --source virtualMachineId=/subscriptions/.../virtualMachines/build-vm`,
      );
    edits.push({ path: [...at, "versions", version], value: { source }, create: true });
  } else if (source !== undefined && canonicalJson(source) !== canonicalJson(declared.source)) {
    throw new CliError(
      `--source: ${imageKey} ${version} is already declared with another source; a published version never changes its source: stage a new version number`,
    );
  } else if (declared.withdrawn === true) {
    throw new CliError(
      `${imageKey} ${version}: marked withdrawn; remove its "withdrawn: true" by hand if it really is good again`,
    );
  }
  const { activeVersion, stagedVersion } = image.plan;
  refuseKept(imageKey, version, image.plan.roles[version]);
  if (stagedVersion === version) {
    return report(
      io,
      options,
      { image: imageKey, staged: version, changed: false },
      `${imageKey}: ${version} is already staged; nothing to change.`,
    );
  }
  edits.push({ path: [...at, "stagedVersion"], value: version, create: true });
  const withdrawn =
    stagedVersion !== undefined && stagedVersion !== activeVersion ? [stagedVersion] : [];
  for (const v of withdrawn)
    edits.push({ path: [...at, "versions", v, "withdrawn"], value: true, create: true });
  const diff = changeStackFile(project, edits, io);
  const s = styles(io);
  const human = [
    ...diff,
    `${s.green("✔")} Staged ${imageKey} ${version}: validation pools boot it; production stays on ${activeVersion}.`,
    ...withdrawn.map((v) => `  ${v}, staged before, is marked withdrawn.`),
    `Next: pulumi up, test ${version} on the validation pool, global-image attest --image ${image.plan.image.name} --version ${version}, then global-image promote ${imageKey}.`,
  ].join("\n");
  report(
    io,
    options,
    { image: imageKey, staged: version, previous: stagedVersion ?? null, withdrawn, changed: true },
    human,
  );
  return ExitCode.Ok;
}

/**
 * Staging the active version would withdraw the tested staged one; staging a backup would take
 * away its protection and the rollback it offers. Neither is a staging.
 */
function refuseKept(imageKey: string, version: string, role: ImageRole | undefined): void {
  if (role === ImageRole.Active)
    throw new CliError(
      `${imageKey} ${version}: is the active version (production boots it); stage a new version number to test a change`,
    );
  if (role === ImageRole.Backup)
    throw new CliError(
      `${imageKey} ${version}: is a backup, kept protected for a rollback; to run it again use \`global-image rollback ${imageKey}\`, or stage a new version number`,
    );
}

/** `--source kind=id` (repeatable) as a source object, or undefined when none is given. */
function parseSource(pairs: readonly string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const source: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const kind = eq === -1 ? pair : pair.slice(0, eq);
    const id = eq === -1 ? "" : pair.slice(eq + 1).trim();
    if (!SOURCE_KEYS.includes(kind))
      throw new CliError(
        `--source ${printable(pair)}: "${printable(kind)}" is not a source kind; use one of ${SOURCE_KEYS.join(", ")} as <kind>=<id>`,
      );
    if (id === "")
      throw new CliError(
        `--source ${printable(pair)}: give the id after "=", e.g. ${kind}=/subscriptions/...`,
      );
    // Parsed as the ARM id of its kind's resource type now, before the stack file is touched.
    if (kind === "storageAccountId") checkArmIdOf(`--source ${kind}`, id, STORAGE_ACCOUNT);
    else checkSourceId(`--source ${kind}`, kind as SourceKind, id);
    source[kind] = id;
  }
  return source;
}
