/**
 * JUnit XML (as Pester, pytest, jest-junit, Maven Surefire, Gradle, go-junit-report, PHPUnit and
 * others write it) to test results. Nothing that says "failed" is ever lost:
 * - every `testcase` under `testsuites`/`testsuite` counts, at any depth of nesting;
 * - a case with `failure` or `error` failed, one with `skipped` was skipped, any other passed;
 * - a suite whose `failures` + `errors` count is higher than its failing cases (a failure outside
 *   any test case, such as a setup error), or that holds a `failure`/`error` of its own, adds one
 *   failed test named after the suite;
 * - other counts (`tests`, `skipped`) often disagree with the cases in real reports and are ignored.
 *
 * Names: `<classname>.<name>`, or the name alone when there is no classname, when the classname is
 * the name itself (jest-junit), or when it is a script path (Pester writes the absolute path of
 * the `.Tests.ps1` file there). Attribute values are normalised as XML says (tabs and line breaks
 * become spaces), character references are decoded, and runs of white space fold into one space.
 *
 * A test case with neither name nor classname (jest-junit writes one for `it("")`) is named after
 * its suite and position, `<suite path> (test case <n>)`: deterministic, and its failure still
 * counts. Refused with the file named: a DOCTYPE (no DTDs, no entity expansion), an encoding that
 * cannot be decoded, and characters XML does not allow.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { decodeXmlBytes } from "./xmlText";
import { TestResult, TestStatus } from "./document";

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  processEntities: false,
  parseAttributeValue: false,
  isArray: (name) => ["testsuites", "testsuite", "testcase", "failure", "error"].includes(name),
});

/** The test results of a JUnit XML file's bytes; throws naming the file and the problem. */
export function parseJUnit(bytes: Buffer | string, file: string): TestResult[] {
  const xml = typeof bytes === "string" ? bytes : decodeXmlBytes(bytes, file);
  if (/<!DOCTYPE/i.test(xml))
    throw new Error(
      `${file}: has a DOCTYPE; JUnit reports need none, and DTDs and entities are refused`,
    );
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new Error(`${file}: not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  }
  const doc = parser.parse(xml) as Node;
  if (doc["test-results"] !== undefined || doc["test-run"] !== undefined)
    throw new Error(
      `${file}: an NUnit report, not JUnit; have the tests write JUnit XML (Pester: -OutputFormat JUnitXml, or TestResult.OutputFormat = "JUnitXml")`,
    );
  if (doc.testsuites === undefined && doc.testsuite === undefined) {
    throw new Error(`${file}: not a JUnit report (no <testsuites> or <testsuite> element)`);
  }
  const results: TestResult[] = [];
  collect(doc, results, file, "");
  if (results.length === 0)
    throw new Error(`${file}: the report has no <testcase>: nothing was tested`);
  return results;
}

/** Adds the cases of every suite under `node`; returns how many of them failed. */
function collect(node: Node, into: TestResult[], file: string, where: string): number {
  let failed = 0;
  const groups = [...list(node.testsuites), ...list(node.testsuite)];
  groups.forEach((suite, i) => {
    const at = `${where}/${suite["@name"] === undefined ? `suite ${i + 1}` : attr(suite, "@name", file, where)}`;
    const before = into.length;
    const inside = collect(suite, into, file, at);
    const declared = count(suite["@failures"]) + count(suite["@errors"]);
    const own = list(suite.failure).length + list(suite.error).length;
    if (declared > inside || own > 0) {
      const name = suiteName(suite, file, at);
      into.splice(before, 0, { name, status: TestStatus.Failed });
      failed += 1;
    }
    failed += inside;
  });
  list(node.testcase).forEach((testcase, i) => {
    const result = toResult(testcase, file, where, i + 1);
    if (result.status === TestStatus.Failed) failed += 1;
    into.push(result);
  });
  return failed;
}

function toResult(testcase: Node, file: string, suite: string, position: number): TestResult {
  const where = `${suite || "/"} test case ${position}`;
  const given = attr(testcase, "@name", file, where);
  const classname = attr(testcase, "@classname", file, where);
  const name =
    given === "" && classname === "" ? `${suite.slice(1) || file} (test case ${position})` : given;
  const seconds = Number(testcase["@time"]);
  const status: TestStatus =
    "failure" in testcase || "error" in testcase
      ? TestStatus.Failed
      : "skipped" in testcase
        ? TestStatus.Skipped
        : TestStatus.Passed;
  const result: TestResult = { name: testName(classname, name), status };
  return Number.isFinite(seconds) && seconds >= 0
    ? { ...result, durationMs: Math.round(seconds * 1000) }
    : result;
}

/** `<classname>.<name>`, without a classname that repeats the name or is a script path. */
export function testName(classname: string, name: string): string {
  if (name === "") return classname;
  if (classname === "" || classname === name || isScriptPath(classname)) return name;
  return `${classname}.${name}`;
}

function isScriptPath(text: string): boolean {
  return /[\\/]/.test(text) && /\.ps1$|\.psm1$|^[A-Za-z]:[\\/]|^\//.test(text);
}

function suiteName(suite: Node, file: string, where: string): string {
  const name = attr(suite, "@name", file, where);
  return isScriptPath(name) ? name.split(/[\\/]/).pop()! : name || where.slice(1) || file;
}

/** A count attribute, 0 when absent or not a whole number (real reports vary). */
function count(value: unknown): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function list(value: unknown): Node[] {
  return Array.isArray(value) ? (value as Node[]) : [];
}

/** An attribute's value as XML reads it: white space normalised, references decoded, folded. */
function attr(node: Node, key: string, file: string, where: string): string {
  const raw = node[key];
  if (raw === undefined) return "";
  const text = decodeReferences(String(raw).replace(/[\t\n\r]/g, " "), file, where)
    .replace(/\s+/g, " ")
    .trim();
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text))
    throw new Error(
      `${file}: ${where}: ${key.slice(1)} holds a control character; test names must be text`,
    );
  return text;
}

const REFERENCE = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeReferences(text: string, file: string, where: string): string {
  return text.replace(REFERENCE, (ref, hex: string, dec: string, named: string) => {
    if (named) return NAMED[named];
    const code = hex ? parseInt(hex, 16) : Number(dec);
    if (!isXmlChar(code))
      throw new Error(
        `${file}: not well-formed XML (${where}: ${ref} is a character XML does not allow)`,
      );
    return String.fromCodePoint(code);
  });
}

/** XML 1.0's Char production. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}
