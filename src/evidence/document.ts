/**
 * The test evidence document: what tests ran against one version of one image, and how they
 * ended. One per (image, version), optionally signed (see `signature.ts`).
 *
 * ```json
 * {
 *   "schema": "global-image.dev/evidence/v1",
 *   "image": "win11-avd",
 *   "version": "1.1.0",
 *   "tests": [{ "name": "apps.office.launches", "status": "passed", "durationMs": 5120 }],
 *   "summary": { "total": 1, "passed": 1, "failed": 0, "skipped": 0 },
 *   "source": { "producer": "global-image attest", "files": [{ "name": "pester.xml", "sha256": "…" }] },
 *   "createdAt": "2026-11-20T09:30:00Z",
 *   "signature": { "alg": "ed25519", "keyId": "sha256:…", "value": "<base64>" }
 * }
 * ```
 */
import { isRfc3339 } from "../domain/common/time";
import { GlobalImageError } from "../domain/common/errors";
import { versionProblem } from "../domain/images/version";

/** The schema id every evidence document carries. */
export const EVIDENCE_SCHEMA = "global-image.dev/evidence/v1";

/** How a test ended. */
export const TestStatus = { Passed: "passed", Failed: "failed", Skipped: "skipped" } as const;
export type TestStatus = (typeof TestStatus)[keyof typeof TestStatus];

/** One test and its outcome. */
export interface TestResult {
  /** The test's name, unique within the document (e.g. `suite.case`). */
  readonly name: string;
  readonly status: TestStatus;
  readonly durationMs?: number;
}

/** Counts of the tests by outcome. */
export interface EvidenceSummary {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** A results file the evidence was made from, with its SHA-256 (hex). */
export interface EvidenceSourceFile {
  readonly name: string;
  readonly sha256: string;
}

/** What produced the evidence. */
export interface EvidenceSource {
  /** The tool that wrote the document, e.g. `global-image attest`. */
  readonly producer: string;
  readonly files: EvidenceSourceFile[];
}

/** An ed25519 signature over the document's canonical form (see `canonical.ts`). */
export interface EvidenceSignature {
  readonly alg: string;
  /** `sha256:<hex>` of the signer's public key (SPKI DER): the key's entry in `trustedKeys`. */
  readonly keyId: string;
  /** The signature, base64. */
  readonly value: string;
}

/** Evidence that a version of an image passed (or failed) its tests. */
export interface EvidenceDocument {
  readonly schema: string;
  readonly image: string;
  readonly version: string;
  readonly tests: TestResult[];
  readonly summary: EvidenceSummary;
  readonly source: EvidenceSource;
  readonly createdAt: string;
  readonly signature?: EvidenceSignature;
}

/** The counts of `tests` by outcome. */
export function summarize(tests: readonly TestResult[]): EvidenceSummary {
  const count = (status: TestStatus) => tests.filter((t) => t.status === status).length;
  return {
    total: tests.length,
    passed: count("passed"),
    failed: count("failed"),
    skipped: count("skipped"),
  };
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Checks that `value` has the evidence document's shape (not that it is trustworthy: see
 * `verdict.ts`). `where` names the file or argument in errors.
 */
export function parseEvidence(value: unknown, where: string): EvidenceDocument {
  const fail = (field: string, problem: string): never => {
    throw new GlobalImageError(
      where,
      `${where}: "${field}" ${problem}. Write the evidence with \`global-image attest\`.`,
    );
  };
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail("(document)", "must be a JSON object");
  const doc = value as Record<string, unknown>;
  if (doc.schema !== EVIDENCE_SCHEMA) fail("schema", `must be "${EVIDENCE_SCHEMA}"`);
  if (typeof doc.image !== "string" || doc.image === "")
    fail("image", "must name the image definition");
  if (versionProblem(doc.version) !== undefined)
    fail("version", "must be a gallery version name (MAJOR.MINOR.PATCH)");
  if (!Array.isArray(doc.tests)) fail("tests", "must be a list of { name, status, durationMs? }");
  (doc.tests as unknown[]).forEach((t, i) => {
    const test = t as Record<string, unknown>;
    if (typeof test?.name !== "string" || test.name === "")
      fail(`tests[${i}].name`, "must be a non-empty string");
    if (!Object.values(TestStatus).includes(test.status as TestStatus))
      fail(`tests[${i}].status`, 'must be "passed", "failed" or "skipped"');
    if (
      test.durationMs !== undefined &&
      (typeof test.durationMs !== "number" || test.durationMs < 0)
    ) {
      fail(`tests[${i}].durationMs`, "must be a non-negative number");
    }
  });
  const summary = doc.summary as Record<string, unknown> | undefined;
  if (
    !summary ||
    !["total", "passed", "failed", "skipped"].every((k) => Number.isInteger(summary[k]))
  ) {
    fail("summary", "must count { total, passed, failed, skipped }");
  }
  const source = doc.source as { producer?: unknown; files?: unknown } | undefined;
  if (typeof source?.producer !== "string" || !Array.isArray(source.files))
    fail("source", "must be { producer, files }");
  (source!.files as unknown[]).forEach((f, i) => {
    const file = f as Record<string, unknown>;
    if (
      typeof file?.name !== "string" ||
      typeof file.sha256 !== "string" ||
      !SHA256_HEX.test(file.sha256)
    ) {
      fail(`source.files[${i}]`, "must be { name, sha256 } with a hex SHA-256");
    }
  });
  if (!isRfc3339(doc.createdAt))
    fail("createdAt", 'must be an RFC 3339 date-time such as "2026-11-20T09:30:00Z"');
  if (doc.signature !== undefined) checkSignature(doc.signature, fail);
  return doc as unknown as EvidenceDocument;
}

/** `sha256:` and the hex SHA-256 of a public key's SPKI DER. */
const KEY_ID = /^sha256:[0-9a-f]{64}$/;
/** An ed25519 signature (64 bytes) in canonical, padded base64: exactly one spelling. */
const ED25519_BASE64 = /^[A-Za-z0-9+/]{85}[AQgw]==$/;

/**
 * A signature has one encoding: exactly `{ alg, keyId, value }`, a lower-case key id, and the
 * canonical base64 of 64 bytes (no whitespace, no missing padding, no stray bits), so one document
 * has one digest.
 */
function checkSignature(value: unknown, fail: (field: string, problem: string) => never): void {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail("signature", "must be { alg, keyId, value }");
  const sig = value as Record<string, unknown>;
  const extra = Object.keys(sig).filter((k) => !["alg", "keyId", "value"].includes(k));
  if (extra.length > 0)
    fail(`signature.${extra[0]}`, "is not a field of a signature (alg, keyId, value)");
  if (sig.alg !== "ed25519") fail("signature.alg", 'must be "ed25519"');
  if (typeof sig.keyId !== "string" || !KEY_ID.test(sig.keyId))
    fail("signature.keyId", 'must be "sha256:" and 64 lower-case hex digits');
  if (
    typeof sig.value !== "string" ||
    !ED25519_BASE64.test(sig.value) ||
    Buffer.from(sig.value, "base64").toString("base64") !== sig.value
  )
    fail("signature.value", "must be the canonical base64 of a 64-byte ed25519 signature");
}
