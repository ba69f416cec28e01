/**
 * Evidence as an in-toto Statement with the test-result predicate
 * (`https://in-toto.io/attestation/test-result/v0.1`), for tools that verify attestations (e.g.
 * Sigstore, Kyverno-style admission checks), and back.
 *
 * Mapping: `result` is FAILED when any test failed, WARNED when any was skipped, else PASSED;
 * `passedTests`, `failedTests` and `warnedTests` (skipped) list the test names; the subject is the
 * image version (`<image>@<version>`) with the digest of the evidence's results files; the
 * evidence's source files become `configuration` resource descriptors. Durations and the
 * signature do not carry over (sign the statement with your attestation tooling instead).
 */
import { createHash } from "node:crypto";
import { EVIDENCE_SCHEMA, EvidenceDocument, TestResult, summarize } from "./document";

export const IN_TOTO_STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
export const TEST_RESULT_PREDICATE_TYPE = "https://in-toto.io/attestation/test-result/v0.1";

/** An in-toto Statement carrying a test-result predicate. */
export interface InTotoTestResultStatement {
  readonly _type: string;
  readonly subject: Array<{ name: string; digest: Record<string, string> }>;
  readonly predicateType: string;
  readonly predicate: {
    readonly result: "PASSED" | "WARNED" | "FAILED";
    readonly configuration: Array<{ name: string; digest: Record<string, string> }>;
    readonly passedTests: string[];
    readonly warnedTests: string[];
    readonly failedTests: string[];
  };
}

/** The in-toto statement of an evidence document. */
export function toInToto(doc: EvidenceDocument): InTotoTestResultStatement {
  const names = (status: TestResult["status"]) =>
    doc.tests.filter((t) => t.status === status).map((t) => t.name);
  const s = summarize(doc.tests);
  const configuration = doc.source.files.map((f) => ({
    name: f.name,
    digest: { sha256: f.sha256 },
  }));
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: `${doc.image}@${doc.version}`, digest: combinedDigest(configuration) }],
    predicateType: TEST_RESULT_PREDICATE_TYPE,
    predicate: {
      result: s.failed > 0 ? "FAILED" : s.skipped > 0 ? "WARNED" : "PASSED",
      configuration,
      passedTests: names("passed"),
      warnedTests: names("skipped"),
      failedTests: names("failed"),
    },
  };
}

/** The evidence document of an in-toto test-result statement (unsigned; `createdAt` given). */
export function fromInToto(
  statement: InTotoTestResultStatement,
  createdAt: string,
): EvidenceDocument {
  if (statement.predicateType !== TEST_RESULT_PREDICATE_TYPE) {
    throw new Error(
      `predicateType is ${statement.predicateType}, not ${TEST_RESULT_PREDICATE_TYPE}`,
    );
  }
  const [subject] = statement.subject;
  const at = subject?.name.lastIndexOf("@") ?? -1;
  if (at <= 0) throw new Error('the statement\'s subject must be named "<image>@<version>"');
  const p = statement.predicate;
  const tests: TestResult[] = [
    ...p.passedTests.map((name) => ({ name, status: "passed" as const })),
    ...p.failedTests.map((name) => ({ name, status: "failed" as const })),
    ...p.warnedTests.map((name) => ({ name, status: "skipped" as const })),
  ];
  return {
    schema: EVIDENCE_SCHEMA,
    image: subject.name.slice(0, at),
    version: subject.name.slice(at + 1),
    tests,
    summary: summarize(tests),
    source: {
      producer: "in-toto test-result",
      files: p.configuration.map((c) => ({ name: c.name, sha256: c.digest.sha256 })),
    },
    createdAt,
  };
}

/** One digest for the subject: the single file's, or SHA-256 over the sorted file digests. */
function combinedDigest(files: Array<{ digest: Record<string, string> }>): Record<string, string> {
  if (files.length === 1) return { sha256: files[0].digest.sha256 };
  const joined = files
    .map((f) => f.digest.sha256)
    .sort()
    .join("\n");
  return { sha256: createHash("sha256").update(joined).digest("hex") };
}
