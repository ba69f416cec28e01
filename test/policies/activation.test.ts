import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../helpers/mocks";
import { argsWith } from "../fixtures/globalImage";
import { REQUIRED_TESTS, SIGNER, passingEvidence } from "../fixtures/evidence";
import { messagesOf, violationsOf } from "./scenario";
import type { EvidenceDocument } from "../../src/evidence/document";

const recorder = installMocks();
import { GlobalImage } from "../../src/component/globalImage";
import { signEvidence } from "../../src/evidence/signature";

const POLICY = "image-activation-requires-passing-tests";
const trustedKeys = { [SIGNER.keyId]: SIGNER.publicKeyPem };
const config = (knobs: Record<string, unknown> = {}) => ({
  [POLICY]: { requiredTests: REQUIRED_TESTS, ...knobs },
});
let n = 0;

/** The activation violations of the fixture image (active 1.9.0) with `evidence` for 1.9.0. */
async function activation(
  evidence: EvidenceDocument | undefined,
  knobs: Record<string, unknown> = {},
) {
  const args = argsWith((a) => {
    if (evidence) a.evidence = { "1.9.0": evidence };
  });
  const violations = await violationsOf(
    recorder,
    () => new GlobalImage(`img${++n}`, args, recorder.opts).versionIds,
    config(knobs),
  );
  return messagesOf(violations, POLICY);
}

const signed = (doc = passingEvidence("win11-avd", "1.9.0")) =>
  signEvidence(doc, SIGNER.privateKeyPem);

describe("image-activation-requires-passing-tests", () => {
  it("blocks activation without evidence, naming the image and version", async () => {
    const [message, ...rest] = await activation(undefined);
    expect(rest).toEqual([]);
    expect(message).toMatch(
      /^GlobalImage "img\d+": win11-avd 1\.9\.0 cannot be active: there is no test evidence\. Attest/,
    );
  });

  it("allows activation with passing evidence signed by a trusted key", async () => {
    expect(await activation(signed(), { trustedKeys })).toEqual([]);
  });

  // The attacks (failed or missing tests, another image, stale, unsigned, untrusted, tampered)
  // run through this policy and `verify` alike in test/catalogue/evidenceAttacks.test.ts.
  it.each([
    [
      "evidence for another version",
      () => passingEvidence("win11-avd", "1.10.0"),
      {},
      /evidence for version 1\.10\.0, not 1\.9\.0/,
    ],
    [
      "a date tampered with after signing",
      () => ({ ...signed(), createdAt: "2026-11-24T00:00:00Z" }),
      { trustedKeys },
      /signature does not match its content/,
    ],
  ])("blocks %s", async (_name, make, knobs, problem) => {
    const messages = await activation(make(), knobs);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/win11-avd 1\.9\.0 cannot be active: /);
    expect(messages[0]).toMatch(problem);
  });

  it("lets an exempt version stay active without evidence", async () => {
    expect(await activation(undefined, { exemptVersions: { "win11-avd": ["1.9.0"] } })).toEqual([]);
  });

  it("judges only the active version: a staged version without evidence is fine", async () => {
    const messages = await activation(passingEvidence("win11-avd", "1.9.0"));
    expect(messages).toEqual([]);
  });

  it("blocks a GlobalImage whose inputs the SDK did not send, naming the variable", async () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockResolvedValue();
    process.env.PULUMI_NODEJS_SKIP_COMPONENT_INPUTS = "1";
    try {
      const messages = await activation(signed(), { trustedKeys });
      expect(messages).toEqual([
        expect.stringMatching(
          /^GlobalImage "img\d+": it reached the engine with no inputs, .* Unset PULUMI_NODEJS_SKIP_COMPONENT_INPUTS/,
        ),
      ]);
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/^GlobalImage "img\d+": PULUMI_NODEJS_SKIP_COMPONENT_INPUTS is set/),
        expect.anything(),
      );
    } finally {
      delete process.env.PULUMI_NODEJS_SKIP_COMPONENT_INPUTS;
      warn.mockRestore();
    }
  });

  it("applies its defaults in code: no config means evidence is still required", async () => {
    const violations = await violationsOf(
      recorder,
      () =>
        new GlobalImage(
          `img${++n}`,
          argsWith(() => undefined),
          recorder.opts,
        ).versionIds,
    );
    expect(violations.filter((v) => v.policy === POLICY).map((v) => v.enforcementLevel)).toEqual([
      "mandatory",
    ]);
  });
});
