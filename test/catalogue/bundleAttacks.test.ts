/**
 * The attack catalogue for Sigstore bundles signed with a key (a P-256 key, what Azure Key Vault
 * signs with, and an ed25519 key), made outside the package (test/fixtures/bundles.ts): each
 * altered field is rejected by the policy pack (a GlobalImage reading the bundle from its
 * evidenceDir) and by `global-image verify`, with the same reason; the genuine bundle passes both.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { installMocks } from "../helpers/mocks";
import { cli, tempDir } from "../helpers/cli";
import { argsWith } from "../fixtures/globalImage";
import { REQUIRED_TESTS } from "../fixtures/evidence";
import { TestKey, keyBundle, statementFor, testKey, withPayload } from "../fixtures/bundles";
import { messagesOf, violationsOf } from "../policies/scenario";

const recorder = installMocks();
import { GlobalImage } from "../../src/component/globalImage";

const POLICY = "image-activation-requires-passing-tests";
const IMAGE = "win11-avd"; // the fixture's image, active version 1.9.0
const VERSION = "1.9.0";
const OTHER = testKey("P-256");
const root = tempDir("global-image-bundle-attacks-");
let n = 0;

type Attack = [name: string, forge: (key: TestKey) => object, reason: RegExp];
const statement = (change?: (s: any) => void) => statementFor(IMAGE, VERSION, change);

const ATTACKS: Attack[] = [
  [
    "the payload changed after signing (a failure made a pass)",
    (key) =>
      withPayload(
        keyBundle(
          statement((s) => (s.predicate.failedTests = ["boot.signin"])),
          key,
        ),
        statement(),
      ),
    /signature verifies with none of the trusted keys/,
  ],
  [
    "a signature by an untrusted key",
    () => keyBundle(statement(), OTHER),
    /none of the trusted keys/,
  ],
  [
    "a statement about another version",
    (key) => keyBundle(statementFor(IMAGE, "1.8.0"), key),
    /statement is about win11-avd@1\.8\.0/,
  ],
  [
    "a FAILED predicate",
    (key) =>
      keyBundle(
        statement((s) => (s.predicate.result = "FAILED")),
        key,
      ),
    /result is FAILED, not PASSED/,
  ],
  [
    "a missing required test",
    (key) =>
      keyBundle(
        statement((s) => s.predicate.passedTests.pop()),
        key,
      ),
    /required tests missing: fslogix\.profile\.mounts/,
  ],
  [
    "an expired attestation",
    (key) =>
      keyBundle(
        statement(
          (s) =>
            (s.predicate["https://global-image.dev/attestation/createdAt"] =
              "2026-10-01T00:00:00Z"),
        ),
        key,
      ),
    /days old \(created 2026-10-01T00:00:00Z\); the limit is 30 days/,
  ],
  [
    "an unknown predicate type",
    (key) =>
      keyBundle(
        statement((s) => (s.predicateType = "https://slsa.dev/provenance/v1")),
        key,
      ),
    /not the test-result predicate/,
  ],
];

/** An evidence directory holding `bundle` as the fixture image's 1.9.0 evidence, and its path. */
function evidenceDir(bundle: object): string {
  const dir = path.join(root, `e${++n}`);
  fs.mkdirSync(path.join(dir, IMAGE), { recursive: true });
  fs.writeFileSync(path.join(dir, IMAGE, `${VERSION}.sigstore.json`), JSON.stringify(bundle));
  return dir;
}

async function policyVerdict(dir: string, key: TestKey): Promise<string[]> {
  const knobs = {
    requiredTests: REQUIRED_TESTS,
    trustedKeys: { [key.keyId]: key.publicKeyPem },
    maxEvidenceAgeDays: 30,
  };
  const args = argsWith((a) => (a.evidenceDir = dir));
  const violations = await violationsOf(
    recorder,
    () => new GlobalImage(`b${++n}`, args, recorder.opts).versionIds,
    { [POLICY]: knobs },
  );
  return messagesOf(violations, POLICY);
}

function verifyVerdict(dir: string, key: TestKey) {
  fs.writeFileSync(path.join(root, `${key.kind}.pub`), key.publicKeyPem);
  const file = path.relative(root, path.join(dir, IMAGE, `${VERSION}.sigstore.json`));
  const flags = ["--required", REQUIRED_TESTS.join(","), "--max-age-days", "30"];
  return cli(["verify", file, "--trusted-key", `${key.kind}.pub`, ...flags], root);
}

describe.each([testKey("P-256"), testKey("ed25519")])(
  "a bundle signed with an $kind key",
  (key) => {
    it("passes the pack and verify when genuine (the control)", async () => {
      const dir = evidenceDir(keyBundle(statement(), key));
      expect(await policyVerdict(dir, key)).toEqual([]);
      const run = await verifyVerdict(dir, key);
      expect([run.code, run.stdout]).toEqual([
        0,
        expect.stringMatching(
          /win11-avd 1\.9\.0 may be activated \(signed by key sha256:[0-9a-f]{64}\)\n$/,
        ),
      ]);
    });

    it.each(ATTACKS)("rejects %s in the pack and in verify", async (_name, forge, reason) => {
      const dir = evidenceDir(forge(key));
      const [message, ...others] = await policyVerdict(dir, key);
      expect(others).toEqual([]);
      expect(message).toMatch(
        new RegExp(`${IMAGE} 1\\.9\\.0 cannot be active: .*${reason.source}`),
      );
      const run = await verifyVerdict(dir, key);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/may not be activated/);
      expect(run.stdout).toMatch(reason);
    });
  },
);
