/**
 * The gate's verdict on Sigstore bundles signed with a key (made outside the package: see
 * test/fixtures/bundles.ts): each field that can be altered, each key kind, and the reasons.
 */
import fc from "fast-check";
import { judgeEvidence, EvidenceRequirements } from "../../src/evidence/verdict";
import { NOW, REQUIRED_TESTS } from "../fixtures/evidence";
import {
  CREATED_AT_FIELD,
  TestKey,
  keyBundle,
  statementFor,
  testKey,
  withPayload,
} from "../fixtures/bundles";

const IMAGE = "win11";
const VERSION = "1.1.0";
const KEYS = { ed25519: testKey("ed25519"), "P-256": testKey("P-256") };
const OTHER = testKey("P-256");
const req = (key: TestKey, more: Partial<EvidenceRequirements> = {}): EvidenceRequirements => ({
  image: IMAGE,
  version: VERSION,
  requiredTests: REQUIRED_TESTS,
  now: NOW,
  trustedKeys: { [key.keyId]: key.publicKeyPem },
  ...more,
});
const passing = () => statementFor(IMAGE, VERSION);

describe.each(Object.values(KEYS))("a bundle signed with an $kind key", (key) => {
  it("passes the gate for its image version, naming the key", () => {
    expect(judgeEvidence(keyBundle(passing(), key), req(key))).toEqual({
      ok: true,
      problems: [],
      signer: `key ${key.keyId}`,
    });
  });

  type Case = [string, () => unknown, Partial<EvidenceRequirements>, RegExp];
  const cases: Case[] = [
    [
      "a payload changed after signing (a failure made a pass)",
      () => {
        const failed = statementFor(IMAGE, VERSION, (s) => {
          s.predicate.result = "FAILED";
          s.predicate.failedTests = ["boot.signin"];
        });
        return withPayload(keyBundle(failed, key), passing());
      },
      {},
      /its signature verifies with none of the trusted keys .*changed after signing/,
    ],
    [
      "a signature by another key",
      () => keyBundle(passing(), OTHER),
      {},
      /verifies with none of the trusted keys \(sha256:[0-9a-f]{64}; /,
    ],
    [
      "a statement about another version",
      () => keyBundle(statementFor(IMAGE, "1.0.0"), key),
      {},
      /its statement is about win11@1\.0\.0 \(sha256 [0-9a-f]{64}\), not win11 1\.1\.0/,
    ],
    [
      "a statement about another image",
      () => keyBundle(statementFor("win10", VERSION), key),
      {},
      /its statement is about win10@1\.1\.0 .*not win11 1\.1\.0/,
    ],
    [
      "a subject named right with another digest",
      () =>
        keyBundle(
          statementFor(IMAGE, VERSION, (s) => (s.subject[0].digest.sha256 = "b".repeat(64))),
          key,
        ),
      {},
      /its statement is about win11@1\.1\.0 \(sha256 b{64}\)/,
    ],
    [
      "a FAILED predicate",
      () =>
        keyBundle(
          statementFor(IMAGE, VERSION, (s) => {
            s.predicate.result = "FAILED";
            s.predicate.failedTests = ["apps.office.launches"];
            s.predicate.passedTests = ["boot.signin", "fslogix.profile.mounts"];
          }),
          key,
        ),
      {},
      /result is FAILED, not PASSED.*tests failed: apps\.office\.launches/,
    ],
    [
      "a PASSED predicate that lists a failed test",
      () =>
        keyBundle(
          statementFor(IMAGE, VERSION, (s) => (s.predicate.failedTests = ["x"])),
          key,
        ),
      {},
      /tests failed: x/,
    ],
    [
      "a WARNED predicate",
      () =>
        keyBundle(
          statementFor(IMAGE, VERSION, (s) => {
            s.predicate.result = "WARNED";
            s.predicate.warnedTests = ["printing.redirects"];
          }),
          key,
        ),
      {},
      /result is WARNED, not PASSED \(warned or skipped: printing\.redirects\)/,
    ],
    [
      "a missing required test",
      () =>
        keyBundle(
          statementFor(IMAGE, VERSION, (s) => s.predicate.passedTests.pop()),
          key,
        ),
      {},
      /required tests missing: fslogix\.profile\.mounts/,
    ],
    [
      "evidence older than the limit",
      () => keyBundle(passing(), key),
      { maxEvidenceAgeDays: 3 },
      /5 days old \(created 2026-11-20T09:30:00Z\); the limit is 3 days/,
    ],
    [
      "an age limit and no time in the statement",
      () =>
        keyBundle(
          statementFor(IMAGE, VERSION, (s) => delete s.predicate[CREATED_AT_FIELD]),
          key,
        ),
      { maxEvidenceAgeDays: 30 },
      /its age cannot be told/,
    ],
    [
      "an unknown predicate type",
      () =>
        keyBundle(
          statementFor(IMAGE, VERSION, (s) => (s.predicateType = "https://slsa.dev/provenance/v1")),
          key,
        ),
      {},
      /"predicateType" is "https:\/\/slsa\.dev\/provenance\/v1", not the test-result predicate/,
    ],
    [
      "another payload type",
      () => keyBundle(passing(), key, { payloadType: "application/json" }),
      {},
      /payloadType is "application\/json", not "application\/vnd\.in-toto\+json"/,
    ],
    [
      "no trusted key configured",
      () => keyBundle(passing(), key),
      { trustedKeys: {} },
      /key-signed Sigstore bundle and no trustedKeys are configured/,
    ],
  ];
  it.each(cases)("is refused: %s", (_name, make, more, reason) => {
    const verdict = judgeEvidence(make(), req(key, more));
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join("; ")).toMatch(reason);
  });

  it("does not decide on the key hint (unauthenticated): a wrong hint still verifies", () => {
    const bundle = keyBundle(passing(), key, { hint: "not-the-key" });
    expect(judgeEvidence(bundle, req(key)).ok).toBe(true);
  });

  it("is verified by whichever trusted key signed it", () => {
    const both = { [OTHER.keyId]: OTHER.publicKeyPem, [key.keyId]: key.publicKeyPem };
    expect(judgeEvidence(keyBundle(passing(), key), req(key, { trustedKeys: both })).signer).toBe(
      `key ${key.keyId}`,
    );
  });
});

describe("the subject binds one image version", () => {
  const image = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?$/);
  const version = fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map(([a, b, c]) => `${a}.${b}.${c}`);
  it("a bundle signed for (image, version) passes for that pair and no other", () => {
    const key = KEYS.ed25519;
    fc.assert(
      // Half the runs judge the pair it was signed for, half another (often a near one).
      fc.property(
        image,
        version,
        fc.option(fc.tuple(image, version), { freq: 2 }),
        (i1, v1, other) => {
          const [i2, v2] = other ?? [i1, v1];
          const bundle = keyBundle(statementFor(i1, v1), key);
          const verdict = judgeEvidence(bundle, req(key, { image: i2, version: v2 }));
          expect(verdict.ok).toBe(i1 === i2 && v1 === v2);
          if (!verdict.ok)
            expect(verdict.problems).toEqual([expect.stringMatching(/^its statement is about /)]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("ECDSA specifics", () => {
  it("accepts a P-384 key signing over SHA-384 (cosign, Key Vault ES384)", () => {
    const key = testKey("P-384");
    expect(judgeEvidence(keyBundle(passing(), key), req(key)).ok).toBe(true);
  });

  it("says so when a P-256 signature is raw r‖s (Key Vault's sign output), not DER", () => {
    const key = KEYS["P-256"];
    const verdict = judgeEvidence(
      keyBundle(passing(), key, { dsaEncoding: "ieee-p1363" }),
      req(key),
    );
    expect(verdict.problems[0]).toMatch(/64 bytes and not DER: .*raw r‖s .*must be DER-encoded/);
  });
});

describe("bundle shape", () => {
  const key = KEYS.ed25519;
  it.each([
    [
      "not a bundle at all",
      { mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json" },
      /is not a valid Sigstore bundle/,
    ],
    [
      "a plain signature, not an attestation",
      (() => {
        const b = keyBundle(passing(), key);
        delete b.dsseEnvelope;
        b.messageSignature = {
          messageDigest: { algorithm: "SHA2_256", digest: "AAAA" },
          signature: "AAAA",
        };
        return b;
      })(),
      /plain signature \(messageSignature\), not an attestation/,
    ],
    [
      "two signatures",
      (() => {
        const b = keyBundle(passing(), key);
        b.dsseEnvelope.signatures.push(b.dsseEnvelope.signatures[0]);
        return b;
      })(),
      /not a valid Sigstore bundle: invalid bundle \(content\.dsseEnvelope\.signatures\)/,
    ],
    [
      "a payload that is not JSON",
      (() => {
        const b = keyBundle(passing(), key);
        b.dsseEnvelope.payload = Buffer.from("not json").toString("base64");
        return b;
      })(),
      /its DSSE payload is not JSON/,
    ],
  ])("refuses %s, saying what it is", (_name, bundle, reason) => {
    const verdict = judgeEvidence(bundle, req(key));
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]).toMatch(reason);
  });
});

describe("parts the library cannot parse", () => {
  it("refuses a bundle with a malformed timestamp token instead of throwing", () => {
    const key = KEYS["P-256"];
    const bundle = keyBundle(passing(), key);
    bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps = [
      { signedTimestamp: Buffer.from("not a timestamp").toString("base64") },
    ];
    const verdict = judgeEvidence(bundle, req(key));
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]).toMatch(/^it cannot be verified: /);
  });
});

describe("documents and trust together", () => {
  it("refuses an evidence document when only keyless identities are trusted", () => {
    const { passingEvidence } = jest.requireActual("../fixtures/evidence");
    const verdict = judgeEvidence(passingEvidence(IMAGE, VERSION), {
      ...req(KEYS.ed25519, { trustedKeys: {} }),
      trustedIdentities: [{ issuer: "https://token.actions.githubusercontent.com", subject: "x" }],
    });
    expect(verdict.problems).toEqual([
      expect.stringMatching(/only trustedIdentities .* are configured: give a Sigstore bundle/),
    ]);
  });
});
