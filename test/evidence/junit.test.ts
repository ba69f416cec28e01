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
