/**
 * Evidence as an in-toto Statement with the test-result predicate
 * (`https://in-toto.io/attestation/test-result/v0.1`), for tools that sign and verify
 * attestations (cosign, `actions/attest`, Kyverno-style admission checks), and back.
 *
 * Mapping: `result` is FAILED when any test failed, WARNED when any was skipped, else PASSED;
 * `passedTests`, `failedTests` and `warnedTests` (skipped) list the test names; the subject is the
 * image version (`subject.ts`: named `<image>@<version>`, digest of its subject file); the
 * results files become `configuration` resource descriptors; the creation time is the extension
 * field {@link CREATED_AT_FIELD} (in-toto: "Producers MAY add extension fields … using a TypeURI;
 * consumers MUST ignore unrecognized fields"). Durations do not carry over.
 */
import { GlobalImageError } from "../domain/common/errors";
import { EVIDENCE_SCHEMA, EvidenceDocument, TestResult, TestStatus, summarize } from "./document";
import { subjectDigest, subjectFileName } from "./subject";

export const IN_TOTO_STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
/** The in-toto Statement v0.1 type (older signers write it); its subject and predicate are as in v1. */
export const IN_TOTO_STATEMENT_V01 = "https://in-toto.io/Statement/v0.1";
export const TEST_RESULT_PREDICATE_TYPE = "https://in-toto.io/attestation/test-result/v0.1";
/** The DSSE payload type of an in-toto Statement. */
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
/** The predicate's extension field holding when the evidence was made (RFC 3339). */
export const CREATED_AT_FIELD = "https://global-image.dev/attestation/createdAt";

/** The test-result predicate. */
export interface TestResultPredicate {
  readonly result: "PASSED" | "WARNED" | "FAILED";
  readonly configuration: Array<{ name: string; digest: Record<string, string> }>;
  readonly passedTests: string[];
  readonly warnedTests: string[];
  readonly failedTests: string[];
  /** When the evidence was made (the {@link CREATED_AT_FIELD} extension), if it says. */
  readonly [CREATED_AT_FIELD]?: string;
}

/** An in-toto Statement carrying a test-result predicate. */
export interface InTotoTestResultStatement {
  readonly _type: string;
  readonly subject: Array<{ name: string; digest: Record<string, string> }>;
  readonly predicateType: string;
  readonly predicate: TestResultPredicate;
}

/** The in-toto statement of an evidence document. */
export function toInToto(doc: EvidenceDocument): InTotoTestResultStatement {
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [
      {
        name: subjectFileName(doc.image, doc.version),
        digest: { sha256: subjectDigest(doc.image, doc.version) },
      },
    ],
    predicateType: TEST_RESULT_PREDICATE_TYPE,
    predicate: toPredicate(doc),
  };
}

/** The test-result predicate of an evidence document (what `cosign attest-blob --predicate` takes). */
export function toPredicate(doc: EvidenceDocument): TestResultPredicate {
  const names = (status: TestResult["status"]) =>
    doc.tests.filter((t) => t.status === status).map((t) => t.name);
  const s = summarize(doc.tests);
  return {
    result: s.failed > 0 ? "FAILED" : s.skipped > 0 ? "WARNED" : "PASSED",
    configuration: doc.source.files.map((f) => ({ name: f.name, digest: { sha256: f.sha256 } })),
    passedTests: names("passed"),
    warnedTests: names("skipped"),
    failedTests: names("failed"),
    [CREATED_AT_FIELD]: doc.createdAt,
  };
}

/** The tests a predicate lists, as evidence test results (warned tests count as skipped). */
export function predicateTests(p: TestResultPredicate): TestResult[] {
  const as = (names: readonly string[], status: TestStatus) =>
    names.map((name) => ({ name, status }));
  return [
    ...as(p.passedTests, "passed"),
    ...as(p.failedTests, "failed"),
    ...as(p.warnedTests, "skipped"),
  ];
}

/**
 * The evidence document of a statement global-image wrote (unsigned; `createdAt` given). The
 * image and version come from the subject's name `<image>@<version>`.
 */
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
  const tests = predicateTests(statement.predicate);
  return {
    schema: EVIDENCE_SCHEMA,
    image: subject.name.slice(0, at),
    version: subject.name.slice(at + 1),
    tests,
    summary: summarize(tests),
    source: {
      producer: "in-toto test-result",
      files: statement.predicate.configuration.map((c) => ({
        name: c.name,
        sha256: c.digest.sha256,
      })),
    },
    createdAt,
  };
}

const RESULTS = ["PASSED", "WARNED", "FAILED"];

/**
 * Checks that `value` is an in-toto Statement (v1 or v0.1) with a test-result predicate, field by
 * field; `where` names the file in errors. Unknown fields are ignored, as in-toto asks.
 */
export function parseTestResultStatement(value: unknown, where: string): InTotoTestResultStatement {
  const fail = (field: string, problem: string): never => {
    throw new GlobalImageError(where, `${where}: the statement's "${field}" ${problem}.`);
  };
  const s = asObject(value) ?? fail("(statement)", "must be a JSON object");
  if (s._type !== IN_TOTO_STATEMENT_TYPE && s._type !== IN_TOTO_STATEMENT_V01)
    fail("_type", `is ${JSON.stringify(s._type)}, not "${IN_TOTO_STATEMENT_TYPE}"`);
  if (s.predicateType !== TEST_RESULT_PREDICATE_TYPE)
    fail(
      "predicateType",
      `is ${JSON.stringify(s.predicateType)}, not the test-result predicate "${TEST_RESULT_PREDICATE_TYPE}" (an unknown predicate type is never evidence)`,
    );
  if (!Array.isArray(s.subject) || s.subject.length === 0)
    fail("subject", "must list at least one { name, digest }");
  (s.subject as unknown[]).forEach((sub, i) => {
    const o = asObject(sub);
    if (typeof o?.name !== "string" || asObject(o.digest) === undefined)
      fail(`subject[${i}]`, "must be { name, digest: { sha256 } }");
  });
  const p = asObject(s.predicate) ?? fail("predicate", "must be a JSON object");
  if (!RESULTS.includes(p.result as string))
    fail("predicate.result", 'must be "PASSED", "WARNED" or "FAILED"');
  for (const list of ["passedTests", "warnedTests", "failedTests"]) {
    if (p[list] === undefined || p[list] === null) continue;
    if (!Array.isArray(p[list]) || !(p[list] as unknown[]).every((n) => typeof n === "string"))
      fail(`predicate.${list}`, "must be a list of test names");
  }
  const created = p[CREATED_AT_FIELD];
  if (created !== undefined && typeof created !== "string")
    fail(`predicate["${CREATED_AT_FIELD}"]`, "must be an RFC 3339 date-time string");
  const configuration = Array.isArray(p.configuration) ? p.configuration : [];
  return {
    _type: s._type as string,
    subject: s.subject as InTotoTestResultStatement["subject"],
    predicateType: TEST_RESULT_PREDICATE_TYPE,
    predicate: {
      result: p.result as TestResultPredicate["result"],
      configuration: configuration as TestResultPredicate["configuration"],
      passedTests: (p.passedTests as string[] | undefined) ?? [],
      warnedTests: (p.warnedTests as string[] | undefined) ?? [],
      failedTests: (p.failedTests as string[] | undefined) ?? [],
      ...(created === undefined ? {} : { [CREATED_AT_FIELD]: created as string }),
    },
  };
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
