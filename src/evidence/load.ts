/**
 * Evidence for a GlobalImage: given inline (`evidence`) or read from `evidenceDir`
 * (`<dir>/<image name>/<version>.json`). Shapes are checked here; whether the evidence is good
 * enough is the policy's verdict (`verdict.ts`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GlobalImageError, invalid, keyField } from "../domain/common/errors";
import { EvidenceDocument, parseEvidence } from "./document";

/** The path of a version's evidence file under an evidence directory. */
export function evidencePath(dir: string, image: string, version: string): string {
  return path.join(dir, image, `${version}.json`);
}

/** Reads and checks one evidence file; errors name the file. */
export function readEvidenceFile(file: string): EvidenceDocument {
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
  return parseEvidence(json, file);
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
): Record<string, EvidenceDocument> {
  const found: Record<string, EvidenceDocument> = {};
  if (dir !== undefined) {
    if (typeof dir !== "string" || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw invalid(
        "evidenceDir",
        dir,
        "must be an existing directory",
        `Create it, or point evidenceDir at the folder holding <image name>/<version>.json files.`,
      );
    }
    for (const version of versions) {
      const file = evidencePath(dir, image, version);
      if (fs.existsSync(file)) found[version] = readEvidenceFile(file);
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
    found[version] = parseEvidence(doc, field);
  }
  return found;
}
