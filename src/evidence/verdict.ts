/**
 * The one verdict on a version's evidence, shared by the policy pack
 * (`image-activation-requires-passing-tests`) and the CLI (`global-image verify`, `promote`).
 */
import { isGlobalImageError } from "../domain/common/errors";
import { closestNames } from "../domain/common/suggest";
import { printable } from "../domain/common/text";
import { parseRfc3339 } from "../domain/common/time";
import { BundleEvidence, isBundleJson, readBundle } from "./bundle";
import { verifyBundle } from "./bundleVerify";
import { Evidence } from "./evidence";
import { EvidenceDocument, TestResult, TestStatus, parseEvidence, summarize } from "./document";
import { CREATED_AT_FIELD, predicateTests } from "./inToto";
import { signatureProblem } from "./signature";
import { subjectDigest } from "./subject";
import { TrustedIdentity } from "./trust";

/** What the evidence of a version must show. */
export interface EvidenceRequirements {
  /** The image definition the evidence must name. */
  readonly image: string;
  /** The version the evidence must name. */
  readonly version: string;
  /**
   * Tests that must be present and passed. A name may hold `*` (any run of characters): then at
   * least one test must match it, and every test that matches must have passed. @default []
   */
  readonly requiredTests?: readonly string[];
  /** The oldest evidence accepted, in days; 0 accepts any age. @default 0 */
  readonly maxEvidenceAgeDays?: number;
  /**
   * keyId → PEM public key; when any key or identity is given, the evidence must be signed by one.
   * @default {}
   */
  readonly trustedKeys?: Readonly<Record<string, string>>;
  /** Keyless signers (checked by `checkTrustedIdentities`) a Sigstore bundle may come from. @default [] */
  readonly trustedIdentities?: readonly TrustedIdentity[];
  /** The Sigstore trusted root JSON (checked by `readTrustedRoot`). @default none */
  readonly trustedRoot?: object;
  /** The time to judge age against. @default the current time */
  readonly now?: Date;
}

/** The verdict: `ok` when `problems` is empty. */
export interface EvidenceVerdict {
  readonly ok: boolean;
  /** Each thing that is wrong or missing, as a phrase ("required tests missing: a, b"). */
  readonly problems: string[];
  /** Who signed it, when a signature was verified (`key sha256:…`, or a keyless identity). */
  readonly signer?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Clock skew tolerated for evidence dated slightly in the future. */
const SKEW_MS = 5 * 60 * 1000;

/** Judges `raw` (a parsed JSON value, or undefined for no evidence) against `req`. */
export function judgeEvidence(raw: unknown, req: EvidenceRequirements): EvidenceVerdict {
  if (raw === undefined || raw === null)
    return { ok: false, problems: ["there is no test evidence"] };
  if (isBundleJson(raw)) return judgeBundle(raw, req);
  let doc: EvidenceDocument;
  try {
    doc = parseEvidence(raw, "evidence");
  } catch (err) {
    if (isGlobalImageError(err)) return { ok: false, problems: [err.message] };
    throw err;
  }
  const problems = [
    ...identityProblems(doc, req),
    ...testProblems(doc.tests, doc.summary, req.requiredTests ?? []),
    ...ageProblems(doc.createdAt, req.maxEvidenceAgeDays ?? 0, req.now ?? new Date()),
  ];
  const keys = req.trustedKeys ?? {};
  let signer: string | undefined;
  if (Object.keys(keys).length > 0) {
    const problem = signatureProblem(doc, keys);
    if (problem) problems.push(problem);
    else signer = `key ${doc.signature!.keyId}`;
  } else if ((req.trustedIdentities ?? []).length > 0) {
    problems.push(
      "it is an evidence document, and only trustedIdentities (keyless signers) are configured: give a Sigstore bundle signed by one of them (<version>.sigstore.json)",
    );
  }
  return { ok: problems.length === 0, problems, ...(signer && { signer }) };
}

/**
 * The verdict on a Sigstore bundle: its signature (by a trusted key or identity), its statement's
 * subject (this exact image version), its predicate (PASSED, no failed test, every required test
 * passed) and its age (the earliest time its log entries or timestamps prove, else the
 * statement's own creation time).
 */
function judgeBundle(raw: unknown, req: EvidenceRequirements): EvidenceVerdict {
  let evidence: BundleEvidence;
  try {
    evidence = readBundle(raw, "the bundle");
  } catch (err) {
    if (isGlobalImageError(err)) return { ok: false, problems: [err.message] };
    throw err;
  }
  const check = verifyBundle(evidence, {
    keys: req.trustedKeys ?? {},
    identities: req.trustedIdentities ?? [],
    trustedRoot: req.trustedRoot,
  });
  const { subject, predicate } = evidence.statement;
  const problems: string[] = check.ok ? [] : [check.problem];
  const expected = subjectDigest(req.image, req.version);
  if (!subject.some((s) => String(s.digest.sha256).toLowerCase() === expected))
    problems.push(
      `its statement is about ${subject.map((s) => `${printable(s.name)} (sha256 ${printable(String(s.digest.sha256 ?? "none"))})`).join(", ")}, not ${req.image} ${req.version} (subject sha256 ${expected}; global-image attest --subject writes that file)`,
    );
  if (predicate.result !== "PASSED")
    problems.push(
      `its predicate's result is ${predicate.result}, not PASSED${predicate.result === "WARNED" ? ` (warned or skipped: ${predicate.warnedTests.map(printable).join(", ")})` : ""}`,
    );
  const tests = predicateTests(predicate);
  problems.push(...testProblems(tests, summarize(tests), req.requiredTests ?? []));
  const proven = check.ok ? check.timestamps.map((t) => t.getTime()) : [];
  const createdAt =
    proven.length > 0
      ? new Date(Math.min(...proven)).toISOString().replace(/\.000Z$/, "Z")
      : predicate[CREATED_AT_FIELD];
  const maxDays = req.maxEvidenceAgeDays ?? 0;
  if (createdAt !== undefined)
    problems.push(...ageProblems(createdAt, maxDays, req.now ?? new Date()));
  else if (maxDays > 0)
    problems.push(
      `its age cannot be told (no transparency-log entry or timestamp, and no "${CREATED_AT_FIELD}" in its predicate), and evidence older than ${maxDays} days is refused`,
    );
  const ok = problems.length === 0;
  return { ok, problems, ...(check.ok && { signer: check.signer }) };
}

function identityProblems(doc: EvidenceDocument, req: EvidenceRequirements): string[] {
  const problems: string[] = [];
  if (doc.image !== req.image)
    problems.push(`it is evidence for image "${printable(doc.image)}", not "${req.image}"`);
  if (doc.version !== req.version)
    problems.push(`it is evidence for version ${doc.version}, not ${req.version}`);
  return problems;
}

function testProblems(
  tests: readonly TestResult[],
  claimed: EvidenceDocument["summary"],
  required: readonly string[],
): string[] {
  const problems: string[] = [];
  const outcomes = new Map<string, Set<TestStatus>>();
  for (const t of tests) outcomes.set(t.name, (outcomes.get(t.name) ?? new Set()).add(t.status));
  const names = (list: readonly string[]) => list.map(printable).join(", ");
  const conflicting = [...outcomes].filter(([, s]) => s.size > 1).map(([name]) => name);
  if (conflicting.length > 0)
    problems.push(`tests listed twice with different outcomes: ${names(conflicting)}`);
  const actual = summarize(tests);
  if ((Object.keys(actual) as Array<keyof typeof actual>).some((k) => actual[k] !== claimed[k])) {
    problems.push(
      `its summary (${claimed.passed}/${claimed.total} passed) does not match its tests (${actual.passed}/${actual.total} passed)`,
    );
  }
  const failed = [...outcomes].filter(([, s]) => s.has("failed")).map(([name]) => name);
  if (failed.length > 0) problems.push(`tests failed: ${names(failed)}`);
  const all = [...outcomes.keys()];
  const matched = new Map(required.map((r) => [r, all.filter((n) => matchesTestName(r, n))]));
  const missing = required.filter((r) => matched.get(r)!.length === 0);
  if (missing.length > 0) problems.push(missingTests(missing, all));
  const unpassed = [...new Set(required.flatMap((r) => matched.get(r)!))].filter(
    (name) => !isOnly(outcomes.get(name)!, "passed") && !failed.includes(name),
  );
  if (unpassed.length > 0)
    problems.push(
      `required tests not passed: ${unpassed.map((n) => `${printable(n)} (${[...outcomes.get(n)!].join("/")})`).join(", ")}`,
    );
  if (actual.passed === 0 && required.length === 0) problems.push("it records no passed test");
  return problems;
}

/** True when test `name` is what the required `pattern` names (`*`: any run of characters). */
export function matchesTestName(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const body = pattern
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "s").test(name);
}

/** "required tests missing: X (the name differs? closest found: Y)". */
function missingTests(missing: readonly string[], found: readonly string[]): string {
  const each = missing.map((name) => {
    const near = closestNames(name.replace(/\*/g, ""), found, 3);
    return near.length > 0
      ? `${printable(name)} (the name differs? closest found: ${near.map(printable).join(", ")})`
      : printable(name);
  });
  return `required tests missing: ${each.join(", ")}`;
}

function isOnly(statuses: Set<TestStatus>, status: TestStatus): boolean {
  return statuses.size === 1 && statuses.has(status);
}

function ageProblems(createdAt: string, maxDays: number, now: Date): string[] {
  // parseEvidence has checked it; an unparsable date must never skip the age check.
  const created = parseRfc3339(createdAt);
  if (created === undefined)
    return [`its createdAt ${printable(createdAt)} is not an RFC 3339 date-time`];
  if (created > now.getTime() + SKEW_MS) return [`it is dated ${createdAt}, in the future`];
  if (maxDays <= 0) return [];
  const ageDays = (now.getTime() - created) / DAY_MS;
  return ageDays > maxDays
    ? [`it is ${Math.floor(ageDays)} days old (created ${createdAt}); the limit is ${maxDays} days`]
    : [];
}

/**
 * The `global-image:tests` tag value: `passed 12/12`, or `failed 2/12` when any test failed (of a
 * bundle: what its statement lists, read before verification: the tag informs, the gate decides;
 * `unreadable` when it holds no test-result statement).
 */
export function testsTag(evidence: Evidence): string {
  let tests: readonly TestResult[];
  try {
    tests = isBundleJson(evidence)
      ? predicateTests(readBundle(evidence, "the bundle").statement.predicate)
      : evidence.tests;
  } catch (err) {
    if (isGlobalImageError(err)) return "unreadable";
    throw err;
  }
  const s = summarize(tests);
  return s.failed > 0 ? `failed ${s.failed}/${s.total}` : `passed ${s.passed}/${s.total}`;
}
