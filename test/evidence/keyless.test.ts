/**
 * Keyless Sigstore bundles, made by the real sigstore-js signing path (FulcioSigner, RekorWitness,
 * TSAWitness) against @sigstore/mock's Fulcio, Rekor and TSA on 127.0.0.1 (test/helpers/
 * sigstoreWorld.ts), verified offline against the trusted root describing them: by the verdict,
 * by the policy pack (a GlobalImage reading it from its evidenceDir) and by `global-image verify`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { installMocks } from "../helpers/mocks";
import { cli, tempDir } from "../helpers/cli";
import {
  GITHUB_ISSUER,
  SigstoreWorld,
  WORKFLOW,
  sigstoreWorld,
  wholeSecondsAhead,
} from "../helpers/sigstoreWorld";
import { argsWith } from "../fixtures/globalImage";
import { REQUIRED_TESTS } from "../fixtures/evidence";
import { CREATED_AT_FIELD, statementFor } from "../fixtures/bundles";
import { messagesOf, violationsOf } from "../policies/scenario";
import type { EvidenceRequirements } from "../../src/evidence/verdict";
import type { TrustedIdentity } from "../../src/evidence/trust";

const recorder = installMocks();
import { GlobalImage } from "../../src/component/globalImage";
import { judgeEvidence } from "../../src/evidence/verdict";

const DAY = 24 * 3600 * 1000;
const TRUSTED: TrustedIdentity = { issuer: GITHUB_ISSUER, subject: WORKFLOW };
const FORK = "https://github.com/mallory/images/.github/workflows/validate.yml@refs/heads/main";
let world: SigstoreWorld;
let other: SigstoreWorld;
// Ahead of now: the mock's certificates are valid from when they are made (sigstoreWorld).
const signedAt = wholeSecondsAhead(5);

beforeAll(async () => {
  [world, other] = await Promise.all([sigstoreWorld(signedAt), sigstoreWorld(signedAt)]);
});
afterAll(async () => Promise.all([world.close(), other.close()]));

const statement = (version = "1.9.0") => statementFor("win11-avd", version);
const req = (more: Partial<EvidenceRequirements> = {}): EvidenceRequirements => ({
  image: "win11-avd",
  version: "1.9.0",
  requiredTests: REQUIRED_TESTS,
  now: new Date(signedAt.getTime() + DAY),
  trustedIdentities: [TRUSTED],
  trustedRoot: world.trustedRoot,
  ...more,
});

describe("a keyless bundle (Fulcio certificate, Rekor entry, RFC 3161 timestamp)", () => {
  it("passes with the trusted identity, exactly or by pattern, naming the signer", async () => {
    const bundle = await world.sign(statement(), { iss: GITHUB_ISSUER, sub: WORKFLOW });
    expect(judgeEvidence(bundle, req())).toEqual({
      ok: true,
      problems: [],
      signer: `${WORKFLOW} (issuer ${GITHUB_ISSUER})`,
    });
    const pattern =
      "https://github\\.com/contoso/images/\\.github/workflows/validate\\.yml@refs/heads/.+";
    const byPattern = req({
      trustedIdentities: [{ issuer: GITHUB_ISSUER, subjectPattern: pattern }],
    });
    expect(judgeEvidence(bundle, byPattern).ok).toBe(true);
  });

  it.each([
    ["a Rekor entry only", { rekor: true }],
    ["an RFC 3161 timestamp only", { tsa: true }],
  ])("passes with %s", async (_name, witnesses) => {
    const bundle = await world.sign(statement(), { iss: GITHUB_ISSUER, sub: WORKFLOW }, witnesses);
    expect(judgeEvidence(bundle, req()).problems).toEqual([]);
  });

  type Case = [string, { iss: string; sub: string }, Partial<EvidenceRequirements>, RegExp];
  it.each<Case>([
    [
      "another subject (a fork's workflow)",
      { iss: GITHUB_ISSUER, sub: FORK },
      {},
      /signed by https:\/\/github\.com\/mallory\/.* which is not a trusted identity \(trusted: https:\/\/github\.com\/contoso/,
    ],
    [
      "another issuer with the same subject",
      { iss: "https://accounts.example.com", sub: WORKFLOW },
      {},
      /\(issuer https:\/\/accounts\.example\.com\), which is not a trusted identity/,
    ],
    [
      "a pattern that matches only part of the subject",
      { iss: GITHUB_ISSUER, sub: `${WORKFLOW}.evil` },
      {
        trustedIdentities: [
          { issuer: GITHUB_ISSUER, subjectPattern: "https://github\\.com/contoso/.*main" },
        ],
      },
      /which is not a trusted identity/,
    ],
    [
      "no trusted identities",
      { iss: GITHUB_ISSUER, sub: WORKFLOW },
      { trustedIdentities: [] },
      /signed keylessly .* no trustedIdentities are configured/,
    ],
    [
      "no trusted root",
      { iss: GITHUB_ISSUER, sub: WORKFLOW },
      { trustedRoot: undefined },
      /no trustedRoot is configured to check its certificate/,
    ],
  ])("is refused: %s", async (_name, identity, more, reason) => {
    const bundle = await world.sign(statement(), identity);
    const verdict = judgeEvidence(bundle, req(more));
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join("; ")).toMatch(reason);
  });

  it("is refused when made by another Sigstore instance than the trusted root's", async () => {
    const bundle = await other.sign(statement(), { iss: GITHUB_ISSUER, sub: WORKFLOW });
    expect(judgeEvidence(bundle, req()).problems[0]).toMatch(
      /do(es)? not verify against the trusted root/,
    );
  });

  it("is aged by the time its log entry and timestamp prove, not the time it claims", async () => {
    const claimsFresh = statementFor("win11-avd", "1.9.0", (s) => {
      s.predicate[CREATED_AT_FIELD] = new Date(signedAt.getTime() + 9 * DAY).toISOString();
    });
    const bundle = await world.sign(claimsFresh, { iss: GITHUB_ISSUER, sub: WORKFLOW });
    const verdict = judgeEvidence(
      bundle,
      req({ now: new Date(signedAt.getTime() + 10 * DAY), maxEvidenceAgeDays: 7 }),
    );
    expect(verdict.problems).toEqual([
      expect.stringMatching(/^it is 10 days old .*the limit is 7 days$/),
    ]);
  });

  it("is refused for another version (the subject is checked after the signature)", async () => {
    const bundle = await world.sign(statement("1.8.0"), { iss: GITHUB_ISSUER, sub: WORKFLOW });
    expect(judgeEvidence(bundle, req()).problems).toEqual([
      expect.stringMatching(/statement is about win11-avd@1\.8\.0 .*not win11-avd 1\.9\.0/),
    ]);
  });
});

describe("in the policy pack and in verify (interop: the sigstore-js signer's bundle)", () => {
  const dir = tempDir("global-image-keyless-");
  const evidence = path.join(dir, "evidence");
  const POLICY = "image-activation-requires-passing-tests";
  let n = 0;

  beforeAll(async () => {
    fs.mkdirSync(path.join(evidence, "win11-avd"), { recursive: true });
    fs.writeFileSync(path.join(dir, "root.json"), JSON.stringify(world.trustedRoot));
    const bundle = await world.sign(statement(), { iss: GITHUB_ISSUER, sub: WORKFLOW });
    fs.writeFileSync(
      path.join(evidence, "win11-avd", "1.9.0.sigstore.json"),
      JSON.stringify(bundle),
    );
  });

  const knobs = (subject: string) => ({
    requiredTests: REQUIRED_TESTS,
    trustedIdentities: [{ issuer: GITHUB_ISSUER, subject }],
    trustedRoot: path.join(dir, "root.json"),
  });
  const pack = (subject: string) =>
    violationsOf(
      recorder,
      () =>
        new GlobalImage(
          `kl${++n}`,
          argsWith((a) => (a.evidenceDir = evidence)),
          recorder.opts,
        ).versionIds,
      { [POLICY]: knobs(subject) },
    ).then((v) => messagesOf(v, POLICY));
  const verify = (subject: string) => {
    fs.writeFileSync(path.join(dir, "policy.json"), JSON.stringify({ [POLICY]: knobs(subject) }));
    return cli(
      ["verify", "evidence/win11-avd/1.9.0.sigstore.json", "--policy-config", "policy.json"],
      dir,
      new Date(signedAt.getTime() + DAY),
    );
  };

  it("passes with the signing workflow's identity", async () => {
    expect(await pack(WORKFLOW)).toEqual([]);
    const run = await verify(WORKFLOW);
    expect([run.code, run.stdout]).toEqual([
      0,
      `✔ evidence/win11-avd/1.9.0.sigstore.json: win11-avd 1.9.0 may be activated (signed by ${WORKFLOW} (issuer ${GITHUB_ISSUER}))\n`,
    ]);
  });

  it("fails with any other identity, naming the signer and who is trusted", async () => {
    const [message, ...rest] = await pack(FORK);
    expect(rest).toEqual([]);
    expect(message).toMatch(
      /^GlobalImage "kl\d+": win11-avd 1\.9\.0 cannot be active: it is signed by https:\/\/github\.com\/contoso\/.*not a trusted identity \(trusted: https:\/\/github\.com\/mallory\//,
    );
    const run = await verify(FORK);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /may not be activated:\n {2}- it is signed by .* which is not a trusted identity/,
    );
  });
});
