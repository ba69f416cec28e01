/**
 * `global-image verify <evidence.json | bundle.sigstore.json>`: the policy's verdict, from the same
 * code. The image and version default to the document's own, or for a bundle to its place in an
 * evidence directory (`<image>/<version>.sigstore.json`).
 */
import * as path from "node:path";
import { BUNDLE_SUFFIX, isBundleJson } from "../evidence/bundle";
import { judgeEvidence } from "../evidence/verdict";
import { readJson } from "./files";
import { CliError, ExitCode, Io, json, line, styles } from "./io";
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
  const placed = isBundleJson(doc) ? bundlePlace(path.resolve(io.cwd, file)) : undefined;
  const image = options.image ?? placed?.image ?? own("image");
  const version = options.version ?? placed?.version ?? own("version");
  if (isBundleJson(doc) && (image === "" || version === ""))
    throw new CliError(
      `${file}: a Sigstore bundle does not name its image and version in a form that can be read (its subject is a digest): give --image and --version, or keep it as <image>/<version>${BUNDLE_SUFFIX}`,
    );
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
    const by = verdict.signer ? ` (signed by ${verdict.signer})` : "";
    if (verdict.ok) line(io, `${s.green("✔")} ${what} may be activated${by}`);
    else {
      line(io, `${s.red("✖")} ${what} may not be activated:`);
      for (const problem of verdict.problems) line(io, `  - ${problem}`);
    }
  }
  return verdict.ok ? ExitCode.Ok : ExitCode.Failed;
}

/** The image and version of a bundle at `<image>/<version>.sigstore.json`, if it is placed so. */
function bundlePlace(file: string): { image: string; version: string } | undefined {
  const base = path.basename(file);
  if (!base.endsWith(BUNDLE_SUFFIX)) return undefined;
  return {
    image: path.basename(path.dirname(file)),
    version: base.slice(0, -BUNDLE_SUFFIX.length),
  };
}
