/**
 * Evidence for a GlobalImage: given inline (`evidence`) or read from `evidenceDir`
 * (`<dir>/<image name>/<version>.sigstore.json`, a Sigstore bundle, else
 * `<dir>/<image name>/<version>.json`, an evidence document). Shapes are checked here; whether the
 * evidence is good enough is the policy's verdict (`verdict.ts`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GlobalImageError, invalid, keyField } from "../domain/common/errors";
import { BUNDLE_SUFFIX } from "./bundle";
import { Evidence, parseAnyEvidence } from "./evidence";

/** The path of a version's evidence document under an evidence directory. */
export function evidencePath(dir: string, image: string, version: string): string {
  return path.join(dir, image, `${version}.json`);
}

/** The path of a version's Sigstore bundle under an evidence directory. */
export function bundlePath(dir: string, image: string, version: string): string {
  return path.join(dir, image, `${version}${BUNDLE_SUFFIX}`);
}

/**
 * The evidence file of a version that exists: its bundle when there is one (a team moving to
 * attestations keeps its old documents beside them), else its document, else undefined.
 */
export function existingEvidenceFile(
  dir: string,
  image: string,
  version: string,
): string | undefined {
  return [bundlePath(dir, image, version), evidencePath(dir, image, version)].find((f) =>
    fs.existsSync(f),
  );
}

/** Reads and checks one evidence file (a document or a bundle); errors name the file. */
export function readEvidenceFile(file: string): Evidence {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new GlobalImageError(
      file,
      `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new GlobalImageError(
      file,
      `${file}: is not valid JSON (${(err as Error).message}). Write the evidence with \`global-image attest\`.`,
    );
  }
  return parseAnyEvidence(json, file);
}

/**
 * The evidence of each declared version that has any: inline documents win over files. Inline
 * keys must be declared versions; a version without a file simply has no evidence. Errors about
 * inline documents name `<inlineField>["<version>"]`, errors about files name the file.
 */
export function collectEvidence(
  inline: Readonly<Record<string, unknown>> | undefined,
  dir: string | undefined,
  image: string,
  versions: readonly string[],
  inlineField = "evidence",
): Record<string, Evidence> {
  const found: Record<string, Evidence> = {};
  if (dir !== undefined) {
    if (typeof dir !== "string" || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw invalid(
        "evidenceDir",
        dir,
        "must be an existing directory",
        `Create it, or point evidenceDir at the folder holding <image name>/<version>.json (or .sigstore.json) files.`,
      );
    }
    for (const version of versions) {
      const file = existingEvidenceFile(dir, image, version);
      if (file !== undefined) found[version] = readEvidenceFile(file);
    }
  }
  for (const [version, doc] of Object.entries(inline ?? {})) {
    const field = `${inlineField}${keyField(version)}`;
    if (!versions.includes(version)) {
      throw invalid(
        field,
        version,
        "is not a declared version",
        "Key evidence by a version declared in versions.",
      );
    }
    found[version] = parseAnyEvidence(doc, field);
  }
  return found;
}
