import * as fs from "node:fs";
import * as path from "node:path";
import { JUNIT, attestPassing, cli, tempDir } from "../helpers/cli";
import { EvidenceDocument } from "../../src/evidence/document";
import { keyIdOf } from "../../src/evidence/signature";
import { subjectDigest } from "../../src/evidence/subject";

const dir = tempDir();
const junit = (name: string) => path.join(JUNIT, name);
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));

describe("global-image keygen", () => {
  it("writes a key pair and prints the key id", async () => {
    const run = await cli(["keygen", "--out", "keys/ci"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Key id: sha256:[0-9a-f]{64}/);
    expect(fs.readFileSync(path.join(dir, "keys/ci.key"), "utf8")).toMatch(/BEGIN PRIVATE KEY/);
    expect(fs.statSync(path.join(dir, "keys/ci.key")).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, "keys/ci.pub"), "utf8")).toMatch(/BEGIN PUBLIC KEY/);
  });

  it("never overwrites a key (exit 2, naming the flag)", async () => {
    const run = await cli(["keygen", "--out", "keys/ci"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^global-image: --out keys\/ci: keys\/ci\.key exists/);
  });
});

describe("global-image attest", () => {
  it("maps JUnit outcomes: nested suites, failure, error, skipped, classname.name, durations", async () => {
    const run = await cli(
      [
        "attest",
        "--junit",
        junit("pester.xml"),
        "--junit",
        junit("pytest.xml"),
        "--junit",
        junit("go.xml"),
        "--image",
        "win11",
        "--version",
        "1.1.0",
        "--out",
        "pr.json",
        "--allow-failures",
      ],
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/win11 1\.1\.0: failed 2\/6, unsigned → pr\.json/);
    const doc = read("pr.json") as EvidenceDocument;
    expect(doc.tests).toEqual([
      { name: "apps.office.launches", status: "passed", durationMs: 12500 },
      { name: "apps.teams.optimized", status: "failed", durationMs: 3100 },
      { name: "printing.redirects", status: "skipped", durationMs: 0 },
      { name: "tests.test_boot.test_signin", status: "passed", durationMs: 800 },
      { name: "tests.test_fslogix.test_profile_mounts", status: "failed", durationMs: 400 },
      { name: "checks.TestDefender", status: "passed", durationMs: 50 },
    ]);
    expect(doc.summary).toEqual({ total: 6, passed: 3, failed: 2, skipped: 1 });
    expect(doc.source.files.map((f) => f.name)).toEqual(["pester.xml", "pytest.xml", "go.xml"]);
    expect(doc.source.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.createdAt).toBe("2026-11-25T12:00:00Z");
  });

  it.each([
    ["empty.xml", /empty\.xml: the report has no <testcase>/],
    ["malformed.xml", /malformed\.xml: not well-formed XML/],
  ])("refuses %s with exit 2", async (file, message) => {
    const run = await cli(
      ["attest", "--junit", junit(file), "--image", "win11", "--version", "1.1.0"],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it.each([
    [["--version", "v1.1"], /--version v1\.1: must be MAJOR\.MINOR\.PATCH/],
    [
      ["--version", "1.1.0", "--out", "a.json", "--evidence-dir", "ev"],
      /--out and --evidence-dir: give one of them/,
    ],
    [
      ["--version", "1.1.0", "--sign-key", "missing.key"],
      /--sign-key missing\.key: cannot be read \(ENOENT\)/,
    ],
  ])("refuses bad flags %p with exit 2", async (flags, message) => {
    const run = await cli(
      ["attest", "--junit", junit("passing.xml"), "--image", "win11", ...flags],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("signs into an evidence directory, and verify accepts it with the trusted key", async () => {
    const attest = await attestPassing(
      dir,
      "win11",
      "1.2.0",
      "--sign-key",
      "keys/ci.key",
      "--evidence-dir",
      "evidence",
    );
    expect(attest.code).toBe(0);
    const verify = await cli(
      [
        "verify",
        "evidence/win11/1.2.0.json",
        "--trusted-key",
        "keys/ci.pub",
        "--required",
        "boot.signin,apps.office.launches",
      ],
      dir,
    );
    const keyId = keyIdOf(fs.readFileSync(path.join(dir, "keys/ci.pub"), "utf8"));
    expect([verify.code, verify.stdout]).toEqual([
      0,
      `✔ evidence/win11/1.2.0.json: win11 1.2.0 may be activated (signed by key ${keyId})\n`,
    ]);
  });

  it("reports the written file in JSON with --json", async () => {
    const run = await attestPassing(dir, "win11", "1.2.1", "--out", "j.json", "--json");
    expect(JSON.parse(run.stdout)).toEqual({
      file: "j.json",
      image: "win11",
      version: "1.2.1",
      summary: { total: 3, passed: 3, failed: 0, skipped: 0 },
      subjectSha256: subjectDigest("win11", "1.2.1"),
      keyId: null,
    });
  });

  it("writes the in-toto statement with --in-toto", async () => {
    const run = await attestPassing(dir, "win11", "1.2.0", "--in-toto");
    expect(JSON.parse(run.stdout)).toMatchObject({
      predicateType: "https://in-toto.io/attestation/test-result/v0.1",
      predicate: { result: "PASSED" },
    });
  });
});

describe("global-image verify", () => {
  it("detects tampering after signing (exit 1) and explains it, in JSON too", async () => {
    const doc = read("evidence/win11/1.2.0.json");
    doc.version = "1.3.0";
    fs.writeFileSync(path.join(dir, "tampered.json"), JSON.stringify(doc));
    const run = await cli(
      ["verify", "tampered.json", "--trusted-key", "keys/ci.pub", "--json"],
      dir,
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      image: "win11",
      version: "1.3.0",
      problems: [expect.stringMatching(/signature does not match/)],
    });
  });

  it("fails a missing required test and an untrusted signer", async () => {
    await cli(["keygen", "--out", "keys/other"], dir);
    const run = await cli(
      [
        "verify",
        "evidence/win11/1.2.0.json",
        "--required",
        "teams.optimized",
        "--trusted-key",
        "keys/other.pub",
      ],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("required tests missing: teams.optimized");
    expect(run.stdout).toMatch(/signed by key sha256:[0-9a-f]+, which is not a trusted key/);
  });

  it("exits 2 for a file that is not JSON, naming it", async () => {
    fs.writeFileSync(path.join(dir, "broken.json"), "{");
    const run = await cli(["verify", "broken.json"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^global-image: evidence broken\.json: not valid JSON/);
  });

  it("prints help and exits 2 on an unknown flag", async () => {
    const run = await cli(["verify", "x.json", "--bogus"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown option '--bogus'/);
    expect((await cli(["--help"], dir)).stdout).toMatch(/attest.*\n.*verify/s);
  });
});
