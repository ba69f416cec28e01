/**
 * The one verdict on a version's evidence, shared by the policy pack
 * (`image-activation-requires-passing-tests`) and the CLI (`global-image verify`, `promote`).
 */
import { isGlobalImageError } from "../domain/common/errors";
import { closestNames } from "../domain/common/suggest";
import { printable } from "../domain/common/text";
import { parseRfc3339 } from "../domain/common/time";
import { EvidenceDocument, TestStatus, parseEvidence, summarize } from "./document";
import { signatureProblem } from "./signature";

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
  /** keyId → PEM public key; when any is given, the evidence must be signed by one. @default {} */
  readonly trustedKeys?: Readonly<Record<string, string>>;
  /** The time to judge age against. @default the current time */
  readonly now?: Date;
}

/** The verdict: `ok` when `problems` is empty. */
export interface EvidenceVerdict {
  readonly ok: boolean;
  /** Each thing that is wrong or missing, as a phrase ("required tests missing: a, b"). */
  readonly problems: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Clock skew tolerated for evidence dated slightly in the future. */
const SKEW_MS = 5 * 60 * 1000;

/** Judges `raw` (a parsed JSON value, or undefined for no evidence) against `req`. */
export function judgeEvidence(raw: unknown, req: EvidenceRequirements): EvidenceVerdict {
  if (raw === undefined || raw === null)
    return { ok: false, problems: ["there is no test evidence"] };
  let doc: EvidenceDocument;
  try {
    doc = parseEvidence(raw, "evidence");
  } catch (err) {
    if (isGlobalImageError(err)) return { ok: false, problems: [err.message] };
    throw err;
  }
  const problems = [
    ...identityProblems(doc, req),
    ...testProblems(doc, req.requiredTests ?? []),
    ...ageProblems(doc, req.maxEvidenceAgeDays ?? 0, req.now ?? new Date()),
  ];
  const keys = req.trustedKeys ?? {};
  if (Object.keys(keys).length > 0) {
    const problem = signatureProblem(doc, keys);
    if (problem) problems.push(problem);
  }
  return { ok: problems.length === 0, problems };
}

function identityProblems(doc: EvidenceDocument, req: EvidenceRequirements): string[] {
  const problems: string[] = [];
  if (doc.image !== req.image)
    problems.push(`it is evidence for image "${printable(doc.image)}", not "${req.image}"`);
  if (doc.version !== req.version)
    problems.push(`it is evidence for version ${doc.version}, not ${req.version}`);
  return problems;
}

function testProblems(doc: EvidenceDocument, required: readonly string[]): string[] {
  const problems: string[] = [];
  const outcomes = new Map<string, Set<TestStatus>>();
  for (const t of doc.tests)
    outcomes.set(t.name, (outcomes.get(t.name) ?? new Set()).add(t.status));
  const names = (list: readonly string[]) => list.map(printable).join(", ");
  const conflicting = [...outcomes].filter(([, s]) => s.size > 1).map(([name]) => name);
  if (conflicting.length > 0)
    problems.push(`tests listed twice with different outcomes: ${names(conflicting)}`);
  const actual = summarize(doc.tests);
  const claimed = doc.summary;
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

function ageProblems(doc: EvidenceDocument, maxDays: number, now: Date): string[] {
  // parseEvidence has checked it; an unparsable date must never skip the age check.
  const created = parseRfc3339(doc.createdAt);
  if (created === undefined)
    return [`its createdAt ${printable(doc.createdAt)} is not an RFC 3339 date-time`];
  if (created > now.getTime() + SKEW_MS) return [`it is dated ${doc.createdAt}, in the future`];
  if (maxDays <= 0) return [];
  const ageDays = (now.getTime() - created) / DAY_MS;
  return ageDays > maxDays
    ? [
        `it is ${Math.floor(ageDays)} days old (created ${doc.createdAt}); the limit is ${maxDays} days`,
      ]
    : [];
}

/** The `global-image:tests` tag value: `passed 12/12`, or `failed 2/12` when any test failed. */
export function testsTag(doc: EvidenceDocument): string {
  const s = summarize(doc.tests);
  return s.failed > 0 ? `failed ${s.failed}/${s.total}` : `passed ${s.passed}/${s.total}`;
}
