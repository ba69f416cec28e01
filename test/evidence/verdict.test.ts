import { EvidenceDocument } from "../../src/evidence/document";
import { keyIdOf, signEvidence } from "../../src/evidence/signature";
import { EvidenceRequirements, judgeEvidence, testsTag } from "../../src/evidence/verdict";
import {
  NOW,
  OTHER_SIGNER,
  REQUIRED_TESTS,
  SIGNER,
  passingEvidence,
  recounted,
  withTest,
  withoutTest,
} from "../fixtures/evidence";

const trustedKeys = { [SIGNER.keyId]: SIGNER.publicKeyPem };
const REQ: EvidenceRequirements = {
  image: "win11",
  version: "1.1.0",
  requiredTests: REQUIRED_TESTS,
  now: NOW,
};
const signed = () => signEvidence(passingEvidence("win11", "1.1.0"), SIGNER.privateKeyPem);
const withTests = (change: (d: EvidenceDocument) => EvidenceDocument) =>
  change(passingEvidence("win11", "1.1.0"));

describe("judgeEvidence: accepted", () => {
  it("accepts passing evidence for the exact image and version", () => {
    expect(judgeEvidence(passingEvidence("win11", "1.1.0"), REQ)).toEqual({
      ok: true,
      problems: [],
    });
  });

  it("accepts a signature by a trusted key", () => {
    expect(judgeEvidence(signed(), { ...REQ, trustedKeys })).toEqual({
      ok: true,
      problems: [],
      signer: `key ${SIGNER.keyId}`,
    });
  });

  it("accepts evidence within the age limit", () => {
    expect(judgeEvidence(signed(), { ...REQ, maxEvidenceAgeDays: 7 }).ok).toBe(true);
  });
});

/** The evidence attack catalogue: each is rejected with the reason named. */
const ATTACKS: Array<[string, () => unknown, Partial<EvidenceRequirements>, RegExp]> = [
  ["no evidence", () => undefined, {}, /^there is no test evidence$/],
  [
    "not an evidence document",
    () => ({ hello: "world" }),
    {},
    /"schema" must be "global-image\.dev\/evidence\/v1"/,
  ],
  [
    "unsigned when keys are required",
    () => passingEvidence("win11", "1.1.0"),
    { trustedKeys },
    /not signed \(trusted keys are configured\)/,
  ],
  [
    "signed by an untrusted key",
    () => signEvidence(passingEvidence("win11", "1.1.0"), OTHER_SIGNER.privateKeyPem),
    { trustedKeys },
    /signed by key sha256:[0-9a-f]{64}, which is not a trusted key/,
  ],
  [
    "a trusted key id mapped to another public key",
    () => signed(),
    { trustedKeys: { [SIGNER.keyId]: OTHER_SIGNER.publicKeyPem } },
    /configured with a different public key/,
  ],
  [
    "tampered tests after signing",
    () => {
      const doc = signed();
      return { ...doc, tests: doc.tests.map((t) => ({ ...t, status: "passed" })) };
    },
    { trustedKeys },
    /signature does not match its content/,
  ],
  [
    "tampered version after signing",
    () => ({
      ...signEvidence(passingEvidence("win11", "1.0.0"), SIGNER.privateKeyPem),
      version: "1.1.0",
    }),
    { trustedKeys },
    /signature does not match its content/,
  ],
  [
    "evidence for another version",
    () => passingEvidence("win11", "1.0.0"),
    {},
    /evidence for version 1\.0\.0, not 1\.1\.0/,
  ],
  [
    "evidence for another image",
    () => passingEvidence("win10", "1.1.0"),
    {},
    /evidence for image "win10", not "win11"/,
  ],
  [
    "stale evidence",
    () => passingEvidence("win11", "1.1.0"),
    { maxEvidenceAgeDays: 3 },
    /5 days old \(created 2026-11-20T09:30:00Z\); the limit is 3 days/,
  ],
  [
    "evidence dated in the future",
    () => ({ ...passingEvidence("win11", "1.1.0"), createdAt: "2026-12-01T00:00:00Z" }),
    {},
    /in the future/,
  ],
  [
    "a failed required test",
    () => withTests((d) => withTest(d, "apps.office.launches", "failed")),
    {},
    /tests failed: apps\.office\.launches/,
  ],
  [
    "a failed test that is not required",
    () => withTests((d) => withTest(d, "printing.redirects", "failed")),
    {},
    /tests failed: printing\.redirects/,
  ],
  [
    "a skipped required test",
    () => withTests((d) => withTest(d, "boot.signin", "skipped")),
    {},
    /required tests not passed: boot\.signin \(skipped\)/,
  ],
  [
    "a missing required test",
    () => withTests((d) => withoutTest(d, "fslogix.profile.mounts")),
    {},
    /required tests missing: fslogix\.profile\.mounts/,
  ],
  [
    "duplicated test names with conflicting outcomes",
    () =>
      withTests((d) =>
        recounted({ ...d, tests: [...d.tests, { name: "boot.signin", status: "failed" }] }),
      ),
    {},
    /listed twice with different outcomes: boot\.signin/,
  ],
  [
    "a summary that does not match the tests",
    () => ({
      ...passingEvidence("win11", "1.1.0"),
      summary: { total: 4, passed: 4, failed: 0, skipped: 0 },
    }),
    {},
    /summary \(4\/4 passed\) does not match its tests \(3\/4 passed\)/,
  ],
  [
    "no passed test when nothing is required",
    () => passingEvidence("win11", "1.1.0", [{ name: "a", status: "skipped" }]),
    { requiredTests: [] },
    /records no passed test/,
  ],
];

describe("judgeEvidence: the attack catalogue", () => {
  it.each(ATTACKS)("rejects %s", (_name, make, override, problem) => {
    const verdict = judgeEvidence(make(), { ...REQ, ...override });
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join("; ")).toMatch(problem);
  });
});

describe("tags and keys", () => {
  it("summarises the outcome for the version's tag", () => {
    expect(testsTag(passingEvidence("win11", "1.1.0"))).toBe("passed 3/4");
    expect(testsTag(withTest(passingEvidence("win11", "1.1.0"), "boot.signin", "failed"))).toBe(
      "failed 1/4",
    );
  });

  it("derives the key id from the public key", () => {
    expect(keyIdOf(SIGNER.publicKeyPem)).toBe(SIGNER.keyId);
    expect(SIGNER.keyId).not.toBe(OTHER_SIGNER.keyId);
  });
});
