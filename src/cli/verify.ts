/** `global-image verify <evidence.json>`: the policy's verdict, from the same code. */
import { judgeEvidence } from "../evidence/verdict";
import { readJson } from "./files";
import { ExitCode, Io, json, line, styles } from "./io";
import { RequirementFlags, policySettings, requirementsFrom } from "./requirements";
import { printable } from "../domain/common/text";

export interface VerifyOptions extends RequirementFlags {
  readonly image?: string;
  readonly version?: string;
  readonly json?: boolean;
}

export async function verify(file: string, options: VerifyOptions, io: Io): Promise<number> {
  const doc = readJson(io.cwd, file, "evidence") as Record<string, unknown> | null;
  const own = (key: string) => (typeof doc?.[key] === "string" ? (doc[key] as string) : "");
  const image = options.image ?? own("image");
  const version = options.version ?? own("version");
  const settings = policySettings(io.cwd, options.policyConfig);
  const requirements = requirementsFrom(settings, options, io.cwd);
  if ((requirements.exemptVersions[image] ?? []).includes(version) && !options.json)
    line(
      io,
      `! ${image} ${version} is listed in exemptVersions: the policy pack does not check it`,
    );
  const verdict = judgeEvidence(doc, { image, version, ...requirements, now: io.now() });
  if (options.json) {
    json(io, { file, image, version, policyConfig: settings.file ?? null, ...verdict });
  } else {
    const s = styles(io);
    const what = `${file}: ${printable(image)} ${printable(version)}`;
    if (verdict.ok) line(io, `${s.green("✔")} ${what} may be activated`);
    else {
      line(io, `${s.red("✖")} ${what} may not be activated:`);
      for (const problem of verdict.problems) line(io, `  - ${problem}`);
    }
  }
  return verdict.ok ? ExitCode.Ok : ExitCode.Failed;
}
