/**
 * The evidence-attack catalogue: each forged, stale or failing document is rejected both by the
 * policy pack (activating the version under `pulumi preview`) and by `global-image verify`, with
 * the same reason. The genuine document is accepted by both, so the rejections mean something.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { installMocks } from "../helpers/mocks";
import { cli, tempDir } from "../helpers/cli";
import { argsWith } from "../fixtures/globalImage";
import {
  OTHER_SIGNER,
  REQUIRED_TESTS,
  SIGNER,
  passingEvidence,
  recounted,
  withTest,
  withoutTest,
} from "../fixtures/evidence";
import { messagesOf, violationsOf } from "../policies/scenario";
import type { EvidenceDocument } from "../../src/evidence/document";

const recorder = installMocks();
import { GlobalImage } from "../../src/component/globalImage";
import { signEvidence } from "../../src/evidence/signature";

const POLICY = "image-activation-requires-passing-tests";
const IMAGE = "win11-avd"; // the fixture's image, active version 1.9.0
const VERSION = "1.9.0";

/** What the platform team requires: the required tests, and optionally keys and an age limit. */
interface Requirements {
  readonly signed?: boolean;
  readonly maxAgeDays?: number;
}

const genuine = (version = VERSION) =>
  signEvidence(passingEvidence(IMAGE, version), SIGNER.privateKeyPem);

type Attack = [name: string, forge: () => EvidenceDocument, req: Requirements, reason: RegExp];

const ATTACKS: Attack[] = [
  [
    "unsigned when a signature is required",
    () => passingEvidence(IMAGE, VERSION),
    { signed: true },
    /not signed \(trusted keys are configured\)/,
  ],
  [
    "signed by an untrusted key",
    () => signEvidence(passingEvidence(IMAGE, VERSION), OTHER_SIGNER.privateKeyPem),
    { signed: true },
    /signed by key sha256:[0-9a-f]{64}, which is not a trusted key/,
  ],
  [
    "tests tampered with after signing (a failure turned into a pass)",
    () => {
      const failed = withTest(passingEvidence(IMAGE, VERSION), "boot.signin", "failed");
      const signed = signEvidence(failed, SIGNER.privateKeyPem);
      return { ...withTest(signed, "boot.signin", "passed"), signature: signed.signature };
    },
    { signed: true },
    /signature does not match its content/,
  ],
  [
    "the version tampered with after signing",
    () => ({ ...genuine("1.8.0"), version: VERSION }),
    { signed: true },
    /signature does not match its content/,
  ],
  [
    "evidence for another image",
    () => signEvidence(passingEvidence("win10-avd", VERSION), SIGNER.privateKeyPem),
    { signed: true },
    /evidence for image "win10-avd", not "win11-avd"/,
  ],
  [
    "stale evidence",
    () => genuine(),
    { signed: true, maxAgeDays: 3 },
    /days old \(created 2026-11-20T09:30:00Z\); the limit is 3 days/,
  ],
  [
    "a failed required test",
    () => withTest(passingEvidence(IMAGE, VERSION), "apps.office.launches", "failed"),
    {},
    /tests failed: apps\.office\.launches/,
  ],
  [
    "a missing required test",
    () => withoutTest(passingEvidence(IMAGE, VERSION), "fslogix.profile.mounts"),
    {},
    /required tests missing: fslogix\.profile\.mounts/,
  ],
  [
    "a test listed twice with conflicting outcomes",
    () => {
      const doc = passingEvidence(IMAGE, VERSION);
      return recounted({
        ...doc,
        tests: [...doc.tests, { name: "boot.signin", status: "failed" }],
      });
    },
    {},
    /listed twice with different outcomes: boot\.signin/,
  ],
];

let n = 0;
/** The policy pack's activation messages for the fixture image with `doc` as 1.9.0's evidence. */
async function policyVerdict(doc: EvidenceDocument, req: Requirements): Promise<string[]> {
  const knobs = {
    requiredTests: REQUIRED_TESTS,
    ...(req.signed ? { trustedKeys: { [SIGNER.keyId]: SIGNER.publicKeyPem } } : {}),
    ...(req.maxAgeDays !== undefined ? { maxEvidenceAgeDays: req.maxAgeDays } : {}),
  };
  const args = argsWith((a) => (a.evidence = { [VERSION]: doc }));
  const violations = await violationsOf(
    recorder,
    () => new GlobalImage(`img${++n}`, args, recorder.opts).versionIds,
    { [POLICY]: knobs },
  );
  return messagesOf(violations, POLICY);
}

const dir = tempDir("global-image-attacks-");
fs.writeFileSync(path.join(dir, "ci.pub"), SIGNER.publicKeyPem);

/** `global-image verify` of `doc` for the fixture image and version, with `req` as flags. */
async function verifyVerdict(doc: EvidenceDocument, req: Requirements) {
  const file = `evidence-${++n}.json`;
  fs.writeFileSync(path.join(dir, file), JSON.stringify(doc));
  const flags = [
    ...["--image", IMAGE, "--version", VERSION, "--required", REQUIRED_TESTS.join(",")],
    ...(req.signed ? ["--trusted-key", "ci.pub"] : []),
    ...(req.maxAgeDays !== undefined ? ["--max-age-days", String(req.maxAgeDays)] : []),
  ];
  return cli(["verify", file, ...flags], dir);
}

describe("the evidence-attack catalogue", () => {
  it("accepts the genuine, signed, fresh document in both (the control)", async () => {
    const req = { signed: true, maxAgeDays: 30 };
    expect(await policyVerdict(genuine(), req)).toEqual([]);
    const run = await verifyVerdict(genuine(), req);
    expect([run.code, run.stdout]).toEqual([0, expect.stringContaining("may be activated")]);
  });

  it.each(ATTACKS)(
    "rejects %s in the policy pack and in verify",
    async (_name, forge, req, reason) => {
      const doc = forge();
      const [message, ...others] = await policyVerdict(doc, req);
      expect(others).toEqual([]);
      expect(message).toMatch(
        new RegExp(`${IMAGE} 1\\.9\\.0 cannot be active: .*${reason.source}`),
      );
      const run = await verifyVerdict(doc, req);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/may not be activated/);
      expect(run.stdout).toMatch(reason);
    },
  );
});
