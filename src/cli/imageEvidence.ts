/**
 * One image of the stack config and the local verdict on a version's evidence, as `promote`,
 * `rollback`, `stage` and `status` share it: the same requirements as the policy pack, the same
 * exemptions, and a reason that says what to do.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { printable } from "../domain/common/text";
import { bundlePath, evidencePath } from "../evidence/load";
import { judgeEvidence } from "../evidence/verdict";
import { CONFIG_NAMESPACE, ProjectConfig } from "../program/config";
import { CliError, Io } from "./io";
import { Project } from "./project";
import { PolicySettings, requirementsFrom } from "./requirements";

export type ImageEntry = ProjectConfig["images"][number];

/** The image `key` of the config, or an error listing the keys there are. */
export function findImage(config: ProjectConfig, key: string, project: Project): ImageEntry {
  const image = config.images.find((i) => i.key === key);
  if (!image) {
    throw new CliError(
      `image ${printable(key)}: not in ${CONFIG_NAMESPACE}:images of ${path.basename(project.stackFile)} (${config.images.map((i) => i.key).join(", ")})`,
    );
  }
  return image;
}

/** Why `version` may not be active, with what to do, or undefined when it may (or is exempt). */
export function evidenceRefusal(
  image: ImageEntry,
  version: string,
  settings: PolicySettings,
  project: Project,
  io: Io,
): { problems: string[]; fixes: string[] } | undefined {
  const verdict = evidenceVerdict(image, version, settings, project, io);
  if (verdict.ok) return undefined;
  const name = image.plan.image.name;
  const missing = image.args.evidence?.[version] === undefined;
  const fixes = missing
    ? [
        `Attest its test results: global-image attest --junit <results.xml> --image ${name} --version ${version} --evidence-dir <evidenceDir>`,
      ]
    : verdict.problems.some((p) => p.includes("the name differs"))
      ? [
          "Check requiredTests against the test names in the evidence (docs/cli.md, section Test names and JUnit input: how test names are formed; `*` matches any text).",
        ]
      : [
          `Attest its test results again (global-image attest --image ${name} --version ${version}).`,
        ];
  if (image.plan.roles[version] === "backup")
    fixes.push(
      `Rolling back to a version attested under an older policy? Break-glass: add "${version}" to exemptVersions["${name}"] of image-activation-requires-passing-tests in ${settings.file ?? "the policy config"} (the pack honours it too).`,
    );
  return { problems: verdict.problems, fixes };
}

/** The verdict on `version`'s evidence: `exempt` when exemptVersions lists it. */
export function evidenceVerdict(
  image: ImageEntry,
  version: string,
  settings: PolicySettings,
  project: Project,
  io: Io,
): { ok: boolean; exempt: boolean; problems: string[] } {
  const requirements = requirementsFrom(settings, {}, io.cwd);
  const name = image.plan.image.name;
  if ((requirements.exemptVersions[name] ?? []).includes(version))
    return { ok: true, exempt: true, problems: [] };
  const evidence = image.args.evidence?.[version];
  const verdict = judgeEvidence(evidence, { image: name, version, ...requirements, now: io.now() });
  const problems =
    evidence === undefined ? [noEvidence(image, version, project)] : verdict.problems;
  return { ok: verdict.ok, exempt: false, problems };
}

/** "there is no test evidence (looked for ...)", and whether it sits under the config key. */
function noEvidence(image: ImageEntry, version: string, project: Project): string {
  const config = rootEvidenceDir(project);
  if (config === undefined)
    return `there is no test evidence (no inline evidence, and ${CONFIG_NAMESPACE}:evidenceDir is not set)`;
  const name = image.plan.image.name;
  const looked = [bundlePath(config, name, version), evidencePath(config, name, version)];
  const byKey = [bundlePath(config, image.key, version), evidencePath(config, image.key, version)];
  const found = byKey.findIndex((f) => fs.existsSync(path.resolve(project.dir, f)));
  const misplaced =
    image.key !== name && found >= 0
      ? `; ${byKey[found]} exists, under the config key "${image.key}" instead of the image name "${name}": move it to ${looked[found]}`
      : "";
  return `there is no test evidence (looked for ${looked.join(" and ")}${misplaced})`;
}

function rootEvidenceDir(project: Project): string | undefined {
  return project.config[`${CONFIG_NAMESPACE}:evidenceDir`];
}
