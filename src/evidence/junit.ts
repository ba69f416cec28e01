/**
 * JUnit XML (as Pester, pytest, jest-junit, go-junit-report and others write it) to test results:
 * every `testcase` under `testsuites`/`testsuite` (nested suites too). A case with `failure` or
 * `error` failed, one with `skipped` was skipped, any other passed. Its name is
 * `<classname>.<name>` when a classname is given (the name alone otherwise); `time` (seconds)
 * becomes `durationMs`.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { TestResult, TestStatus } from "./document";

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (name) => name === "testsuite" || name === "testcase",
});

/** The test results of a JUnit XML document; throws with the file's name and the XML error. */
export function parseJUnit(xml: string, file: string): TestResult[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new Error(`${file}: not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  }
  const doc = parser.parse(xml) as Node;
  const root = (doc.testsuites ?? doc) as Node;
  if (doc.testsuites === undefined && doc.testsuite === undefined) {
    throw new Error(`${file}: not a JUnit report (no <testsuites> or <testsuite> element)`);
  }
  const results: TestResult[] = [];
  collect(root, results);
  if (results.length === 0)
    throw new Error(`${file}: the report has no <testcase>: nothing was tested`);
  return results;
}

function collect(node: Node, into: TestResult[]): void {
  for (const suite of (node.testsuite as Node[] | undefined) ?? []) collect(suite, into);
  for (const testcase of (node.testcase as Node[] | undefined) ?? []) into.push(toResult(testcase));
}

function toResult(testcase: Node): TestResult {
  const name = String(testcase["@name"] ?? "").trim();
  const classname = String(testcase["@classname"] ?? "").trim();
  const seconds = Number(testcase["@time"]);
  const status: TestStatus =
    "failure" in testcase || "error" in testcase
      ? "failed"
      : "skipped" in testcase
        ? "skipped"
        : "passed";
  const result: TestResult = {
    name: classname && name ? `${classname}.${name}` : name || classname,
    status,
  };
  return Number.isFinite(seconds) && seconds >= 0
    ? { ...result, durationMs: Math.round(seconds * 1000) }
    : result;
}
