/**
 * The hostile-input catalogue, part 2: evidence is exact. JUnit reports that would hide a failure,
 * dates and signatures with more than one reading, keys of the wrong kind, names that escape their
 * directory, and text that would drive the terminal. Each row fails closed, naming the input.
 */
import { createPrivateKey, createPublicKey } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli, tempDir } from "../helpers/cli";
import { parseJUnit } from "../../src/evidence/junit";
import { summarize } from "../../src/evidence/document";
import { signEvidence } from "../../src/evidence/signature";
import { SIGNER, passingEvidence, withTest } from "../fixtures/evidence";
import { CLASSES, HostileRow, ok, put, refused } from "./hostile";

const { evidence } = CLASSES;
const junit = (body: string) => `<?xml version="1.0" encoding="utf-8"?>\n${body}`;
const tests = (xml: string | Buffer) =>
  parseJUnit(typeof xml === "string" ? Buffer.from(xml) : xml, "r.xml");
const attestArgs = (file: string, ...flags: string[]) => [
  "attest",
  "--junit",
  file,
  "--image",
  "win11-24h2-avd",
  "--version",
  "1.1.0",
  "--out",
  "e.json",
  ...flags,
];
/** `attest` of one report (`xml`, written as `file`) must be refused with `message`, writing nothing. */
async function attestRefused(file: string, xml: string, message: RegExp): Promise<void> {
  const dir = tempDir();
  await refused(dir, attestArgs(put(dir, file, xml)), message);
}
/** A directory with a signer's public key in the forms people have. */
function keys(): string {
  const dir = tempDir("global-image-hostile-ev-");
  put(dir, "ci.pub", SIGNER.publicKeyPem);
  put(dir, "ci.key", SIGNER.privateKeyPem);
  put(dir, "ci.der", createPublicKey(SIGNER.publicKeyPem).export({ type: "spki", format: "der" }));
  put(
    dir,
    "ci.ssh.pub",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ3bqSsHq9fPgrMG3QmVvZ5cKzHf3i0jb2jXo7tYxFh ci@build\n",
  );
  const [begin, body, end] = SIGNER.publicKeyPem.trim().split("\n");
  put(dir, "broken.pub", `${begin}\n${body.slice(0, 20)}\n${end}\n`);
  put(
    dir,
    "signed.json",
    JSON.stringify(signEvidence(passingEvidence("win11-24h2-avd", "1.1.0"), SIGNER.privateKeyPem)),
  );
  return dir;
}

const ROWS: HostileRow[] = [
  [
    evidence,
    "a DOCTYPE (entity expansion) is refused",
    async () => {
      const bomb = junit(
        '<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n<testsuite><testcase name="&b;"/></testsuite>',
      );
      await attestRefused("bomb.xml", bomb, /--junit bomb\.xml: has a DOCTYPE/);
    },
  ],
  [
    evidence,
    "nested <testsuites> are read, their failures counted",
    async () => {
      const xml = junit(
        '<testsuites><testsuites><testsuite name="s"><testcase name="a"><failure/></testcase><testcase name="b"/></testsuite></testsuites></testsuites>',
      );
      expect(summarize(tests(xml))).toEqual({ total: 2, passed: 1, failed: 1, skipped: 0 });
    },
  ],
  [
    evidence,
    "a failure outside any test case (setup) is a failed test named after the suite",
    async () => {
      const counted = tests(
        junit(
          '<testsuite name="Session host" failures="1" errors="1"><testcase name="a"/><testcase name="b"><error/></testcase></testsuite>',
        ),
      );
      expect(counted).toEqual([
        { name: "Session host", status: "failed" },
        { name: "a", status: "passed" },
        { name: "b", status: "failed" },
      ]);
      const own = tests(
        junit(
          '<testsuite name="fixtures"><error message="setup failed"/><testcase name="a"/></testsuite>',
        ),
      );
      expect(own.map((t) => `${t.name} ${t.status}`)).toEqual(["fixtures failed", "a passed"]);
      // A whole report of setup errors attests as failed, never as passed.
      const dir = tempDir();
      const run = await cli(
        attestArgs(
          put(
            dir,
            "r.xml",
            junit('<testsuite name="s" errors="3"><testcase name="a"/></testsuite>'),
          ),
        ),
        dir,
      );
      expect([run.code, run.stdout]).toEqual([1, expect.stringContaining("failed 1/2")]);
    },
  ],
  [
    evidence,
    "other counts that disagree with the cases (as pytest and jest write them) are ignored",
    async () => {
      expect(
        summarize(
          tests(
            junit(
              '<testsuites tests="9" skipped="4"><testsuite name="s" tests="7" skipped="2"><testcase name="a"/></testsuite></testsuites>',
            ),
          ),
        ),
      ).toEqual({ total: 1, passed: 1, failed: 0, skipped: 0 });
    },
  ],
  [
    evidence,
    "encodings: the prolog's, UTF-16 with a BOM; undecodable or unknown ones are refused",
    async () => {
      const latin1 = Buffer.concat([
        Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><testsuite><testcase name="caf'),
        Buffer.from([0xe9]),
        Buffer.from('"/></testsuite>'),
      ]);
      expect(tests(latin1)[0].name).toBe("café");
      const utf16 = Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(
          '<?xml version="1.0" encoding="UTF-16"?><testsuite><testcase name="ünï"/></testsuite>',
          "utf16le",
        ),
      ]);
      expect(tests(utf16)[0].name).toBe("ünï");
      expect(() =>
        tests(junit('<testsuite><testcase name="a"/></testsuite>').replace("utf-8", "x-klingon")),
      ).toThrow(/r\.xml: declares encoding "x-klingon", which cannot be decoded here/);
      expect(() =>
        tests(
          Buffer.concat([
            Buffer.from('<testsuite><testcase name="'),
            Buffer.from([0xff, 0xfe, 0x41]),
            Buffer.from('"/></testsuite>'),
          ]),
        ),
      ).toThrow(/r\.xml: is not valid utf-8/);
    },
  ],
  [
    evidence,
    "character references are decoded; line breaks and tabs become spaces, as XML says",
    async () => {
      expect(
        tests(
          junit(
            '<testsuite><testcase classname="a&#x2E;b" name="c&#65;&amp;&#10;d\te\nf"/></testsuite>',
          ),
        )[0].name,
      ).toBe("a.b.cA& d e f");
    },
  ],
  [
    evidence,
    "control characters in names are refused, as XML refuses them",
    async () => {
      expect(() => tests(junit('<testsuite><testcase name="a&#27;[31m"/></testsuite>'))).toThrow(
        /&#27; is a character XML does not allow/,
      );
      expect(() => tests(junit('<testsuite><testcase name="a&#x85;b"/></testsuite>'))).toThrow(
        /name holds a control character/,
      );
    },
  ],
  [
    evidence,
    "a nameless test case is named after its suite and position, and its failure still blocks",
    async () => {
      const results = tests(
        junit(
          '<testsuite name="s"><testcase name="a"/><testcase time="1"><failure/></testcase></testsuite>',
        ),
      );
      expect(results.map((t) => [t.name, t.status])).toEqual([
        ["a", "passed"],
        ["s (test case 2)", "failed"],
      ]);
    },
  ],
  [
    evidence,
    "an NUnit report gets a hint to write JUnit",
    async () => {
      await attestRefused(
        "nunit.xml",
        junit('<test-results name="Pester" total="1"><test-suite/></test-results>'),
        /an NUnit report, not JUnit; .*JUnitXml/,
      );
    },
  ],
  [
    evidence,
    "attest exits 1 when a test failed (the evidence is still written), 0 with --allow-failures",
    async () => {
      const dir = tempDir();
      const file = put(
        dir,
        "r.xml",
        junit('<testsuite><testcase name="a"><failure/></testcase></testsuite>'),
      );
      const run = await cli(attestArgs(file), dir);
      expect([run.code, run.stderr]).toEqual([
        1,
        expect.stringMatching(/1 test\(s\) failed; the evidence was written/),
      ]);
      expect(JSON.parse(fs.readFileSync(path.join(dir, "e.json"), "utf8")).summary.failed).toBe(1);
      expect((await cli([...attestArgs(file), "--allow-failures"], dir)).code).toBe(0);
    },
  ],
  [
    evidence,
    "a required test that is missing: the closest names, and 'the name differs'",
    async () => {
      const dir = keys();
      const run = await cli(["verify", "signed.json", "--required", "boot.sign-in,apps.*"], dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        "required tests missing: boot.sign-in (the name differs? closest found: boot.signin",
      );
      expect(run.stdout).not.toMatch(/attest first/i);
      expect((await cli(["verify", "signed.json", "--required", "boot.*,apps.*"], dir)).code).toBe(
        0,
      );
    },
  ],
  [
    evidence,
    "dates are RFC 3339 or an error, never a skipped age check",
    async () => {
      const dir = tempDir();
      for (const createdAt of [
        "2026-11-20",
        "20 Nov 2026 09:30:00 GMT",
        "2026-11-20T09:30:00",
        "2026-02-30T09:30:00Z",
      ]) {
        put(
          dir,
          "e.json",
          JSON.stringify({ ...passingEvidence("win11-24h2-avd", "1.1.0"), createdAt }),
        );
        const run = await cli(["verify", "e.json", "--max-age-days", "30"], dir);
        expect([run.code, run.stdout]).toEqual([
          1,
          expect.stringContaining('"createdAt" must be an RFC 3339 date-time'),
        ]);
      }
    },
  ],
  [
    evidence,
    "a signature has one encoding: no extra fields, canonical base64",
    async () => {
      const dir = keys();
      const signed = JSON.parse(fs.readFileSync(path.join(dir, "signed.json"), "utf8"));
      const forms: Array<[object, RegExp]> = [
        [
          { ...signed.signature, comment: "x" },
          /"signature\.comment" is not a field of a signature/,
        ],
        [
          { ...signed.signature, value: ` ${signed.signature.value}` },
          /"signature\.value" must be the canonical base64/,
        ],
        [
          { ...signed.signature, value: signed.signature.value.replace(/=+$/, "") },
          /"signature\.value" must be the canonical base64/,
        ],
        [
          {
            ...signed.signature,
            keyId: signed.signature.keyId.toUpperCase().replace("SHA256", "sha256"),
          },
          /"signature\.keyId" must be/,
        ],
      ];
      for (const [signature, message] of forms) {
        put(dir, "forged.json", JSON.stringify({ ...signed, signature }));
        const run = await cli(["verify", "forged.json", "--trusted-key", "ci.pub"], dir);
        expect([run.code, run.stdout]).toEqual([1, expect.stringMatching(message)]);
      }
    },
  ],
  [
    evidence,
    "trusted keys: a .pub path or PEM text; private, DER, OpenSSH and malformed keys are refused with the fix",
    async () => {
      const dir = keys();
      await ok(dir, ["verify", "signed.json", "--trusted-key", "ci.pub"]);
      await ok(dir, ["verify", "signed.json", "--trusted-key", SIGNER.publicKeyPem]);
      const bad: Array<[string, RegExp]> = [
        [
          "ci.key",
          /--trusted-key ci\.key: a private key: never put a private key in a trusted-key list/,
        ],
        [SIGNER.privateKeyPem, /--trusted-key a private key/],
        [
          "ci.der",
          /--trusted-key ci\.der: a binary \(DER\) key; convert it to PEM with `openssl pkey/,
        ],
        [
          "ci.ssh.pub",
          /--trusted-key ci\.ssh\.pub: an OpenSSH key, not PEM; convert it with `ssh-keygen -e -m PKCS8/,
        ],
        ["broken.pub", /--trusted-key broken\.pub: a malformed PEM public key/],
      ];
      for (const [key, message] of bad)
        await refused(dir, ["verify", "signed.json", "--trusted-key", key], message);
      put(
        dir,
        "policy-config.json",
        JSON.stringify({
          "image-activation-requires-passing-tests": { trustedKeys: { [SIGNER.keyId]: "ci.key" } },
        }),
      );
      await refused(
        dir,
        ["verify", "signed.json"],
        /policy-config\.json: image-activation-requires-passing-tests\.trustedKeys\["sha256:[0-9a-f]+"\] ci\.key: a private key/,
      );
      put(
        dir,
        "policy-config.json",
        JSON.stringify({
          "image-activation-requires-passing-tests": { trustedKeys: { [SIGNER.keyId]: "ci.pub" } },
        }),
      );
      await ok(dir, ["verify", "signed.json"]);
      expect(createPrivateKey(SIGNER.privateKeyPem).asymmetricKeyType).toBe("ed25519"); // the fixture is what it claims
    },
  ],
  [
    evidence,
    "keygen: a ready-to-paste snippet; never through a symlink; never a hidden file from an empty --out",
    async () => {
      const dir = tempDir();
      const run = await ok(dir, ["keygen", "--out", "keys/ci"]);
      const snippet = JSON.parse(
        run.stdout.slice(run.stdout.indexOf("{"), run.stdout.lastIndexOf("}") + 1),
      );
      const [keyId, pem] = Object.entries(
        snippet["image-activation-requires-passing-tests"].trustedKeys,
      )[0] as [string, string];
      expect(pem).toBe(fs.readFileSync(path.join(dir, "keys/ci.pub"), "utf8"));
      expect(run.stdout).toContain(`Key id: ${keyId}`);
      fs.symlinkSync(path.join(dir, "stolen.key"), path.join(dir, "evil.key"));
      await refused(
        dir,
        ["keygen", "--out", "evil"],
        /--out evil: evil\.key exists \(a symlink: nothing is written through links\)/,
      );
      expect(fs.existsSync(path.join(dir, "stolen.key"))).toBe(false);
      for (const out of ["", "keys/", ".hidden", "keys/.ci"])
        await refused(dir, ["keygen", "--out", out], /an empty or hidden name is refused/);
    },
  ],
  [
    evidence,
    "--image and --version are checked before they become file names; nothing is written outside",
    async () => {
      const dir = tempDir();
      const file = put(dir, "r.xml", junit('<testsuite><testcase name="a"/></testsuite>'));
      const args = (image: string, version: string) => [
        "attest",
        "--junit",
        file,
        "--image",
        image,
        "--version",
        version,
        "--evidence-dir",
        "ev",
      ];
      await refused(
        dir,
        args("../../escaped", "1.1.0"),
        /--image \.\.\/\.\.\/escaped: not a gallery image definition name/,
      );
      await refused(dir, args("win11", "../1.1.0"), /--version \.\.\/1\.1\.0: /);
      await refused(
        dir,
        args("win11/../..", "1.1.0"),
        /--image win11\/\.\.\/\.\.: not a gallery image definition name/,
      );
      expect(fs.existsSync(path.resolve(dir, "ev", "..", "..", "escaped"))).toBe(false);
    },
  ],
  [
    evidence,
    "text from evidence is printed safely, with or without colour",
    async () => {
      const dir = tempDir();
      const hostile = "boot\u001b]0;owned\u0007\u001b[2J.signin\u202e";
      put(
        dir,
        "e.json",
        JSON.stringify(
          withTest(
            passingEvidence("win11-24h2-avd", "1.1.0", [{ name: hostile, status: "passed" }]),
            hostile,
            "failed",
          ),
        ),
      );
      for (const color of [false, true]) {
        let out = "";
        const { main } = await import("../../src/cli/main");
        const code = await main(["verify", "e.json"], {
          stdout: (t) => (out += t),
          stderr: (t) => (out += t),
          color,
          cwd: dir,
          now: () => new Date("2026-11-25T12:00:00Z"),
        });
        expect(code).toBe(1);
        expect(out).toContain("boot\\u{1b}]0;owned\\u{7}\\u{1b}[2J.signin\\u{202e}");
        /* eslint-disable no-control-regex -- looking for raw control characters is the point */
        const ownColours = /\u001b\[(?:1|2|22|31|32|33|39)m/g;
        const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;
        /* eslint-enable no-control-regex */
        expect(out.replace(ownColours, "")).not.toMatch(raw);
      }
    },
  ],
];

describe("the hostile-input catalogue: evidence", () => {
  it.each(ROWS)("%s: %s", async (_cls, _name, run) => {
    await run();
  });
});
