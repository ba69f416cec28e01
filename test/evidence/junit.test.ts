import * as fs from "node:fs";
import * as path from "node:path";
import { summarize } from "../../src/evidence/document";
import { parseJUnit, testName } from "../../src/evidence/junit";
import { matchesTestName } from "../../src/evidence/verdict";

const REAL = path.join(__dirname, "..", "fixtures", "junit", "real");
const real = (file: string) => parseJUnit(fs.readFileSync(path.join(REAL, file)), file);

describe("real JUnit reports of the common tools attest with exact counts", () => {
  it.each([
    // file, total, passed, failed, skipped, a name as it must come out
    ["pester.xml", 4, 2, 1, 1, "Sign-in.works with Entra ID"],
    ["pytest.xml", 4, 2, 1, 1, "tests.test_hosts.test_fslogix[profile]"],
    ["jest-junit.xml", 3, 2, 1, 0, "session host mounts the profile"],
    ["surefire.xml", 3, 2, 1, 0, "com.contoso.avd.SessionHostTest.mountsProfile"],
    ["gradle.xml", 2, 1, 0, 1, "com.contoso.avd.SessionHostTest.signsIn()"],
    ["go-junit-report.xml", 3, 2, 1, 0, "checks.TestDefender/realtime"],
    ["phpunit.xml", 4, 2, 1, 1, 'Tests.SessionHostTest.testApps with data set "teams"'],
  ])(
    "%s: %i tests, %i passed, %i failed, %i skipped",
    (file, total, passed, failed, skipped, name) => {
      const tests = real(file);
      expect(summarize(tests)).toEqual({ total, passed, failed, skipped });
      expect(tests.map((t) => t.name)).toContain(name);
    },
  );

  it("drops the script path Pester writes as the classname", () => {
    expect(real("pester.xml").map((t) => t.name)).toEqual([
      "Sign-in.works with Entra ID",
      "Apps.Office launches",
      "Apps.Teams is optimized",
      "Printing.redirects",
    ]);
  });
});

describe("a test case with no name", () => {
  // jest-junit writes `it("")` with an empty name and classname; a real report of 4,239 tests was
  // refused whole for one of them.
  const report = (cases: string) =>
    `<testsuites name="jest tests"><testsuite name="session host" tests="3">${cases}</testsuite></testsuites>`;

  it("is named after its suite and position; the report keeps its exact counts", () => {
    const tests = parseJUnit(
      report(
        '<testcase classname="a" name="a"/><testcase classname="" name="" time="0.1"/><testcase classname="b" name="b"/>',
      ),
      "jest.xml",
    );
    expect(tests.map((t) => t.name)).toEqual(["a", "jest tests/session host (test case 2)", "b"]);
    expect(summarize(tests)).toEqual({ total: 3, passed: 3, failed: 0, skipped: 0 });
  });

  it("still fails the report when it failed, and the name is the same every time", () => {
    const xml = report('<testcase name="a"/><testcase name=""><failure>boom</failure></testcase>');
    const first = parseJUnit(xml, "jest.xml");
    expect(first.find((t) => t.status === "failed")?.name).toBe(
      "jest tests/session host (test case 2)",
    );
    expect(parseJUnit(xml, "jest.xml")).toEqual(first);
  });

  it("in a suite without a name, is named after the suite's position", () => {
    const tests = parseJUnit('<testsuite><testcase name=""/></testsuite>', "r.xml");
    expect(tests.map((t) => t.name)).toEqual(["suite 1 (test case 1)"]);
  });
});

describe("test names", () => {
  it.each([
    ["tests.test_boot", "test_signin", "tests.test_boot.test_signin"],
    ["", "test_signin", "test_signin"],
    ["checks", "", "checks"],
    ["same name", "same name", "same name"],
    ["C:\\avd\\tests\\Host.Tests.ps1", "Sign-in.works", "Sign-in.works"],
    ["/home/ci/tests/Host.Tests.ps1", "Sign-in.works", "Sign-in.works"],
    ["com.contoso.Test", "a()", "com.contoso.Test.a()"],
  ])("classname %j and name %j make %j", (classname, name, expected) => {
    expect(testName(classname, name)).toBe(expected);
  });

  it.each([
    ["Sign-in.*", "Sign-in.works with Entra ID", true],
    ["Sign-in.*", "Sign-inXworks", false],
    ["Sign-in.*", "Apps.Sign-in.works", false],
    ["*.launches", "apps.office.launches", true],
    ["apps.office.launches", "apps.office.launches", true],
    ["apps.office.launches", "apps.office.launchesX", false],
    ["a(b)*", "a(b) c", true],
    ["a+b*", "aab", false],
  ])("pattern %j matches %j: %s", (pattern, name, expected) => {
    expect(matchesTestName(pattern, name)).toBe(expected);
  });
});
