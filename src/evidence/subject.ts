/**
 * The subject of an image version's attestation: what a signer hashes, so that a statement names
 * exactly one (image, version) and nothing else.
 *
 * The subject file of `<image>` `<version>` is the UTF-8 text
 *
 * ```text
 * {"image":"<image>","schema":"global-image.dev/subject/v1","version":"<version>"}\n
 * ```
 *
 * (canonical JSON, keys sorted, no spaces, one trailing newline). A statement is about that version
 * when one of its subjects has `digest.sha256` equal to the file's SHA-256; the subject's `name` is
 * not trusted (cosign and `actions/attest` name it after the file). `global-image attest --subject
 * <file>` writes the file; its name is {@link subjectFileName}.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical";

/** The schema id inside every subject file. */
export const SUBJECT_SCHEMA = "global-image.dev/subject/v1";

/** The bytes of the subject file of `image` `version` (see the module comment). */
export function subjectBytes(image: string, version: string): Buffer {
  return Buffer.from(`${canonicalJson({ schema: SUBJECT_SCHEMA, image, version })}\n`, "utf8");
}

/** The SHA-256 (lower-case hex) a statement's subject must carry for `image` `version`. */
export function subjectDigest(image: string, version: string): string {
  return createHash("sha256").update(subjectBytes(image, version)).digest("hex");
}

/** The subject's name in statements global-image writes, and its file's name: `<image>@<version>`. */
export function subjectFileName(image: string, version: string): string {
  return `${image}@${version}`;
}
