/**
 * `global-image attest` writing attestations (a Sigstore bundle signed with a local key; the
 * statement, predicate and subject that cosign and actions/attest sign, with the commands), and
 * the commands that read evidence accepting a bundle where they accept a document: verify,
 * status, promote and check (one run: it compiles the program in a worker).
 */
import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { attestPassing, cli, rootProjectCopy, tempDir } from "../helpers/cli";
import { REQUIRED_TESTS } from "../fixtures/evidence";
import { subjectSha256 } from "../fixtures/bundles";
import { deploy, sharedPack } from "../engine/engine";
import { PACK, checkVerdict, engineVerdict, projectRun } from "../engine/verdict";

jest.setTimeout(120_000);

const REQUIRED = ["boot.signin", "apps.office.launches", "fslogix.profile.mounts"];
const dir = tempDir("global-image-attest-bundle-");
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));

/** Writes `<name>.key` and `<name>.pub` (PEM) for a key of `kind`. */
function writeKey(where: string, name: string, kind: "ed25519" | "P-256" | "rsa"): void {
  const { privateKey, publicKey } =
    kind === "ed25519"
      ? generateKeyPairSync("ed25519")
      : kind === "rsa"
        ? generateKeyPairSync("rsa", { modulusLength: 2048 })
        : generateKeyPairSync("ec", { namedCurve: kind });
  fs.writeFileSync(
    path.join(where, `${name}.key`),
    privateKey.export({ type: "pkcs8", format: "pem" }),
  );
  fs.writeFileSync(
    path.join(where, `${name}.pub`),
    publicKey.export({ type: "spki", format: "pem" }),
  );
}

beforeAll(() => {
  writeKey(dir, "ed", "ed25519");
  writeKey(dir, "p256", "P-256");
  writeKey(dir, "rsa", "rsa");
});

describe("attest --bundle (a local key signs the Sigstore bundle)", () => {
  it.each([
    ["ed25519", "ed", "1.2.0"],
    ["P-256", "p256", "1.2.1"],
  ])(
    "signs with an %s key into <dir>/<image>/<version>.sigstore.json, and verify accepts it",
    async (_kind, key, version) => {
      const run = await attestPassing(
        dir,
        "win11",
        version,
        "--bundle",
        "--sign-key",
        `${key}.key`,
        "--evidence-dir",
        "evidence",
      );
      expect(run.code).toBe(0);
      const file = `evidence/win11/${version}.sigstore.json`;
      expect(run.stdout).toMatch(
        new RegExp(`win11 ${version}: passed 3/3, signed by sha256:[0-9a-f]{64} → ${file}`),
      );
      expect(read(file)).toMatchObject({
        mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
        dsseEnvelope: { payloadType: "application/vnd.in-toto+json" },
      });
      const verify = await cli(
        ["verify", file, "--trusted-key", `${key}.pub`, "--required", REQUIRED.join(",")],
        dir,
      );
      expect([verify.code, verify.stdout]).toEqual([
        0,
        expect.stringMatching(
          new RegExp(`^✔ ${file}: win11 ${version} may be activated \\(signed by key sha256:`),
        ),
      ]);
      // The other key does not verify it.
      const other = await cli(
        ["verify", file, "--trusted-key", key === "ed" ? "p256.pub" : "ed.pub"],
        dir,
      );
      expect(other.code).toBe(1);
      expect(other.stdout).toMatch(/its signature verifies with none of the trusted keys/);
    },
  );

  it.each([
    [
      ["--bundle"],
      /^global-image: --bundle: give --sign-key <private key PEM> \(ed25519 or P-256\)/,
    ],
    [
      ["--bundle", "--sign-key", "rsa.key"],
      /^global-image: --sign-key rsa\.key: the signing key is rsa; a bundle is signed with an ed25519 key .* or an ECDSA P-256 key/,
    ],
    [
      ["--sign-key", "p256.key"],
      /^global-image: --sign-key p256\.key: .*\(an ECDSA key signs a Sigstore bundle: add --bundle\)/,
    ],
  ])("refuses %j (exit 2) and writes nothing", async (flags, message) => {
    const out = `refused-${flags.length}.json`;
    const run = await attestPassing(dir, "win11", "1.3.0", ...flags, "--out", out);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(message)]);
    expect(fs.existsSync(path.join(dir, out))).toBe(false);
  });

  it("refuses to write a document where a bundle of the same version would be read instead", async () => {
    const run = await attestPassing(
      dir,
      "win11",
      "1.2.0",
      "--evidence-dir",
      "evidence",
      "--subject",
      "s-refused",
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /evidence\/win11\/1\.2\.0\.sigstore\.json exists and is read before evidence\/win11\/1\.2\.0\.json .*nothing was written/,
    );
    expect(fs.existsSync(path.join(dir, "evidence/win11/1.2.0.json"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "s-refused"))).toBe(false);
  });
});

describe("attest --predicate --subject --statement (for cosign and actions/attest)", () => {
  it("writes the three files and prints the commands that sign them", async () => {
    const run = await attestPassing(
      dir,
      "win11",
      "1.4.0",
      "--predicate",
      "predicate.json",
      "--subject",
      "win11@1.4.0",
      "--statement",
      "statement.json",
    );
    expect(run.code).toBe(0);
    const subject = fs.readFileSync(path.join(dir, "win11@1.4.0"));
    expect(subject.toString()).toBe(
      '{"image":"win11","schema":"global-image.dev/subject/v1","version":"1.4.0"}\n',
    );
    const digest = createHash("sha256").update(subject).digest("hex");
    expect(digest).toBe(subjectSha256("win11", "1.4.0"));
    expect(read("statement.json")).toMatchObject({
      _type: "https://in-toto.io/Statement/v1",
      subject: [{ name: "win11@1.4.0", digest: { sha256: digest } }],
      predicateType: "https://in-toto.io/attestation/test-result/v0.1",
      predicate: { result: "PASSED", passedTests: REQUIRED_TESTS, failedTests: [] },
    });
    expect(read("predicate.json")).toEqual(read("statement.json").predicate);
    expect(run.stdout).toContain(
      "cosign attest-blob --predicate predicate.json --type https://in-toto.io/attestation/test-result/v0.1 --key azurekms://<vault>.vault.azure.net/<key> --bundle <evidenceDir>/win11/1.4.0.sigstore.json win11@1.4.0",
    );
    expect(run.stdout).toContain("    - uses: actions/attest@v4");
    expect(run.stdout).toContain("        subject-path: win11@1.4.0");
    expect(run.stdout).toContain("cosign attest-blob --statement statement.json --key azurekms://");
    expect(run.stdout).not.toContain('"schema": "global-image.dev/evidence/v1"');
  });

  it("warns that skipped tests make the result WARNED, which the gate refuses", async () => {
    const skipped = `<testsuites><testsuite name="s"><testcase classname="a" name="b"/><testcase classname="a" name="c"><skipped/></testcase></testsuite></testsuites>`;
    fs.writeFileSync(path.join(dir, "skipped.xml"), skipped);
    const args = ["attest", "--junit", "skipped.xml", "--image", "win11", "--version", "1.5.0"];
    const warned = await cli([...args, "--predicate", "p-warned.json"], dir);
    expect(warned.code).toBe(0);
    expect(read("p-warned.json")).toMatchObject({ result: "WARNED", warnedTests: ["a.c"] });
    expect(warned.stderr).toMatch(
      /1 skipped test\(s\) make the statement's result WARNED, and the activation gate accepts an attestation only when it says PASSED/,
    );
    // A document may hold skipped tests (the gate judges required tests there): no warning.
    expect((await cli([...args, "--out", "doc.json"], dir)).stderr).toBe("");
  });
});

describe("jest's own JUnit report (4,239 test cases, one of them nameless)", () => {
  it("becomes a signed bundle that verifies", async () => {
    const report = jestJUnitReport(4239, 97);
    fs.writeFileSync(path.join(dir, "jest-junit.xml"), report);
    const run = await cli(
      [
        "attest",
        "--junit",
        "jest-junit.xml",
        "--image",
        "win11",
        "--version",
        "2.0.0",
        "--bundle",
        "--sign-key",
        "p256.key",
        "--evidence-dir",
        "evidence",
      ],
      dir,
    );
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toMatch(/win11 2\.0\.0: passed 4239\/4239, signed by /);
    const statement = JSON.parse(
      Buffer.from(
        read("evidence/win11/2.0.0.sigstore.json").dsseEnvelope.payload,
        "base64",
      ).toString(),
    );
    expect(statement.predicate.passedTests).toHaveLength(4239);
    expect(statement.predicate.passedTests).toContain(
      "jest tests/src/suite-50.test.ts (test case 1)",
    );
    const verify = await cli(
      ["verify", "evidence/win11/2.0.0.sigstore.json", "--trusted-key", "p256.pub"],
      dir,
    );
    expect(verify.code).toBe(0);
  });
});

/**
 * A report in jest-junit's default shape (`<testsuites name="jest tests">`, one `<testsuite>` per
 * test file, `classname` and `name` both "<describe> <it>"), with test case 1 of suite 50 nameless.
 */
function jestJUnitReport(cases: number, suites: number): string {
  const per = Math.ceil(cases / suites);
  const body: string[] = [];
  for (let s = 0, left = cases; s < suites && left > 0; s++) {
    const here = Math.min(per, left);
    left -= here;
    const tests = Array.from({ length: here }, (_, i) => {
      const name = s === 50 && i === 0 ? "" : `suite ${s} case ${i}`;
      return `    <testcase classname="${name}" name="${name}" time="0.004">\n    </testcase>`;
    });
    body.push(
      `  <testsuite name="src/suite-${s}.test.ts" errors="0" failures="0" skipped="0" timestamp="2026-12-07T10:00:00" time="1.5" tests="${here}">\n${tests.join("\n")}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="jest tests" tests="${cases}" failures="0" errors="0" time="240.1">\n${body.join("\n")}\n</testsuites>\n`;
}

describe("status, promote and check read a bundle from the stack's evidence directory", () => {
  const project = rootProjectCopy();
  const bundleFile = "evidence/win11-24h2-avd/1.1.0.sigstore.json";
  /** The project's policy config, trusting the key in `pubFile` (PEM text, keyed by its id). */
  const policy = (pubFile: string) => {
    const pem = fs.readFileSync(path.join(project, pubFile), "utf8");
    const der = createPublicKey(pem).export({ type: "spki", format: "der" });
    const keyId = `sha256:${createHash("sha256").update(der).digest("hex")}`;
    const knobs = { requiredTests: REQUIRED, trustedKeys: { [keyId]: pem } };
    const config = { "image-activation-requires-passing-tests": knobs };
    fs.writeFileSync(path.join(project, "policy-config.json"), JSON.stringify(config));
  };

  beforeAll(async () => {
    writeKey(project, "ci", "P-256");
    fs.copyFileSync(path.join(dir, "ed.pub"), path.join(project, "ed.pub"));
    const run = await attestPassing(
      project,
      "win11-24h2-avd",
      "1.1.0",
      "--bundle",
      "--sign-key",
      "ci.key",
      "--evidence-dir",
      "evidence",
    );
    expect(run.code).toBe(0);
    expect(fs.existsSync(path.join(project, bundleFile))).toBe(true);
  });

  it("refuses the promotion when the bundle's key is not trusted, saying why", async () => {
    policy("ed.pub");
    const run = await cli(["promote", "win11"], project);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✖ win11 1\.1\.0 may not be activated:\n {2}- its signature verifies with none of the trusted keys/,
    );
  });

  it("shows it passed in status, promotes on it, and check and the engine pass the promotion", async () => {
    policy("ci.pub");
    const status = JSON.parse((await cli(["status", "--json"], project)).stdout);
    expect(status.images[0].versions.find((v: any) => v.version === "1.1.0").evidence).toBe(
      "passed",
    );
    const promote = await cli(["promote", "win11"], project);
    expect([promote.code, promote.stdout]).toEqual([
      0,
      expect.stringContaining("Promoted win11: 1.0.0 → 1.1.0"),
    ]);
    // check, and the built pack as the real engine runs it (Analyze on the component's inputs):
    // the same verdict, passing; then, trusting another key, the same promotion blocked by both.
    const pack = await sharedPack(PACK);
    try {
      const both = async () => {
        const config = JSON.parse(
          fs.readFileSync(path.join(project, "policy-config.json"), "utf8"),
        );
        const [engine, check] = await Promise.all([
          deploy({ ...projectRun(project, "dev"), mode: "update" }, pack, config),
          cli(["check", "--json"], project),
        ]);
        const verdict = checkVerdict(JSON.parse(check.stdout));
        expect(engineVerdict(engine)).toEqual(verdict);
        return { code: check.code, mandatory: verdict.filter((v) => v.startsWith("mandatory")) };
      };
      expect(await both()).toEqual({ code: 0, mandatory: [] });
      policy("ed.pub");
      const blocked = await both();
      expect(blocked.code).toBe(1);
      expect(blocked.mandatory).toEqual([
        expect.stringMatching(
          /image-activation-requires-passing-tests.*win11-24h2-avd 1\.1\.0 cannot be active: its signature verifies with none of the trusted keys/,
        ),
      ]);
    } finally {
      pack.stop();
    }
  });
});
