/**
 * The pack on replicas: a replica built by the component passes; each case changes one field of
 * what the engine received (as a hand-edited or hand-written replica would) and is caught.
 */
import { installMocks } from "../helpers/mocks";
import { argsWith, validArgs } from "../fixtures/globalImage";
import { REQUIRED_TESTS, SIGNER, passingEvidence } from "../fixtures/evidence";
import { guardrailsOf, messagesOf, onBothSides, violationsOf } from "./scenario";
import type { RegisteredResource } from "../../src/check/policyRun";

const recorder = installMocks();
import { GlobalImage } from "../../src/component/globalImage";
import { ImageReplica } from "../../src/component/imageReplica";
import { ImageHostPool } from "../../src/consumers/imageHostPool";
import { signEvidence } from "../../src/evidence/signature";

const FOLLOW = "replicas-follow-source";
const ACTIVATION = "image-activation-requires-passing-tests";
const CONSUMERS = "consumers-use-active-version";
const config = {
  [ACTIVATION]: {
    requiredTests: REQUIRED_TESTS,
    trustedKeys: { [SIGNER.keyId]: SIGNER.publicKeyPem },
  },
};
const signed = (version: string) =>
  signEvidence(passingEvidence("win11-avd", version), SIGNER.privateKeyPem);
const withEvidence = () =>
  argsWith((a) => (a.evidence = { "1.9.0": signed("1.9.0"), "1.1.0": signed("1.1.0") }));

/** An MSP image, a replica of it and a customer pool on the replica; `edit` changes what the engine got. */
async function stack(
  edit?: (resources: RegisteredResource[]) => void,
  args = withEvidence(),
  pin?: string,
) {
  return violationsOf(
    recorder,
    () => {
      const image = new GlobalImage("msp", args, recorder.opts);
      const replica = new ImageReplica(
        "customer-a",
        {
          source: image,
          resourceGroupName: "rg-customer-a",
          location: "westeurope",
          galleryName: "customer_a",
          regions: [{ name: "westeurope" }],
          activeVersion: pin,
        },
        recorder.opts,
      );
      return new ImageHostPool(
        "customer-a-pool",
        {
          image: replica,
          resourceGroupName: "rg-customer-a",
          location: "westeurope",
          hostPoolType: "Pooled",
          loadBalancerType: "BreadthFirst",
          preferredAppGroupType: "Desktop",
        },
        recorder.opts,
      ).vmTemplate;
    },
    config,
    edit,
  );
}

/** The replica's guardrails record: what the stack policies read of it. */
const replicaRecord = (resources: RegisteredResource[]) =>
  guardrailsOf(resources, "global-image:index:ImageReplica");

describe("the pack on ImageReplica", () => {
  it("passes a replica the component built, and its customer pool", async () => {
    const violations = await stack();
    expect(violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });

  it("passes a replica pinned to a backup with the source's evidence for it", async () => {
    const violations = await stack(undefined, withEvidence(), "1.1.0");
    expect(violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });

  it("blocks a replica whose active version has no evidence at the source, saying where to attest", async () => {
    const [message] = messagesOf(await stack(undefined, validArgs()), ACTIVATION).filter((m) =>
      m.startsWith("ImageReplica"),
    );
    expect(message).toMatch(
      /^ImageReplica "customer-a": win11-avd 1\.9\.0 cannot be active: there is no test evidence\. A replica carries its source's evidence/,
    );
  });

  it.each([
    [
      "an active version retired at the source",
      (g: any) => (g.source.versions["1.9.0"].role = "retired"),
      /active version 1\.9\.0 is retired at the source/,
    ],
    [
      "a staged version that is a backup at the source",
      (g: any) => {
        g.stagedVersion = "1.1.0";
        g.activeVersion = "1.9.0";
      },
      /staged version 1\.1\.0 is backup at the source/,
    ],
    [
      "a version the source withdrew",
      (g: any) => (g.source.versions["1.0.0"].role = "withdrawn"),
      /it holds 1\.0\.0, which the source withdrew/,
    ],
    [
      "a copy made where the source has no replica",
      (g: any) => (g.source.versions["1.9.0"].regions = ["eastus"]),
      /copy of 1\.9\.0 is made in westeurope, where the source version has no replica \(it is in eastus\)/,
    ],
    [
      "no source summary",
      (g: any) => delete g.source,
      /its guardrails output says nothing of its source/,
    ],
    [
      "a source that does not say where a version is replicated",
      (g: any) => delete g.source.versions["1.9.0"].regions,
      /does not say where the source replicates 1\.9\.0, so the copy's region cannot be checked/,
    ],
  ])("reports %s", async (_case, damage, message) => {
    const messages = messagesOf(
      await stack((resources) => damage(replicaRecord(resources))),
      FOLLOW,
    );
    expect(messages).toEqual([expect.stringMatching(message)]);
    expect(messages[0]).toMatch(/^ImageReplica "customer-a" \(win11-avd\): /);
  });

  it("reports a copy whose region it cannot read instead of passing it", async () => {
    const messages = messagesOf(
      await stack((resources) => {
        onBothSides(
          resources.find((r) => r.name === "customer-a-1.1.0")!,
          (props) => delete props.location,
        );
      }),
      FOLLOW,
    );
    expect(messages).toEqual([
      expect.stringMatching(
        /^ImageReplica "customer-a" \(win11-avd\): its copy of 1\.1\.0 has no location .*set the replica's location\.$/,
      ),
    ]);
  });

  it("guards the replica's consumers as it guards an image's: a pool on a replica's backup is caught", async () => {
    const messages = messagesOf(
      await stack((resources) => {
        const pool = resources.find(
          (r) => r.type === "azure-native:desktopvirtualization:HostPool",
        )!;
        onBothSides(pool, (props) => {
          props.vmTemplate = (props.vmTemplate as string).replace(
            "/versions/1.9.0",
            "/versions/1.1.0",
          );
        });
      }),
      CONSUMERS,
    );
    expect(messages).toEqual([expect.stringMatching(/boots win11-avd 1\.1\.0, which is backup/)]);
  });

  it("finds the version flags of a replica too: a copy that is not active but in latest is caught", async () => {
    const messages = messagesOf(
      await stack((resources) => {
        const copy = resources.find((r) => r.name === "customer-a-1.1.0")!;
        onBothSides(copy, (props) => (props.publishingProfile.excludeFromLatest = false));
      }),
      "non-active-versions-excluded-from-latest",
    );
    expect(messages).toEqual([expect.stringMatching(/^Image version "customer-a-1\.1\.0"/)]);
  });
});
