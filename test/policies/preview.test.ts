import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import { installMocks } from "../helpers/mocks";
import { argsWith } from "../fixtures/globalImage";
import { poolArgs } from "../fixtures/hostPool";
import { passingEvidence } from "../fixtures/evidence";
import { messagesOf, violationsOf } from "./scenario";

// A first `pulumi preview`: nothing exists yet, so every resource id is unknown.
const recorder = installMocks("project", "dev", true);
import { GlobalImage } from "../../src/component/globalImage";
import { ImageHostPool } from "../../src/consumers/imageHostPool";
import { imageTags, vmImageReference } from "../../src/consumers/vmImageReference";

const ACTIVE = "consumers-use-active-version";
let n = 0;
const evidence = { "1.9.0": passingEvidence("win11-avd", "1.9.0") };
/** The fixture image with evidence for its active version, so only consumers are in question. */
const attestedImage = () =>
  new GlobalImage(
    `img${++n}`,
    argsWith((a) => (a.evidence = evidence)),
    recorder.opts,
  );

describe("policies during a preview with unknown ids", () => {
  it("checks ImageHostPools by their preview-known tags and passes them", async () => {
    const violations = await violationsOf(recorder, () => {
      const image = attestedImage();
      new ImageHostPool(`prod${n}`, poolArgs(image), recorder.opts);
      new ImageHostPool(
        `val${n}`,
        poolArgs(image, (a) => (a.validationEnvironment = true)),
        recorder.opts,
      );
      return undefined;
    });
    const pools = recorder.registered("azure-native:desktopvirtualization:HostPool");
    expect(
      pools.map(
        (p) =>
          pulumi.isUnknown(p.inputs.vmTemplate) || p.inputs.vmTemplate?.__pulumiUnknown === true,
      ),
    ).toEqual([true, true]);
    expect(violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(violations.map((v) => v.message).join("\n")).not.toMatch(
      /can't run policy during preview/,
    );
  });

  it("does not let an unknown, untagged image pass silently", async () => {
    const violations = await violationsOf(recorder, () => {
      const image = attestedImage();
      new compute.VirtualMachine(`vm${n}`, {
        resourceGroupName: "rg",
        storageProfile: { imageReference: vmImageReference(image) },
      });
      return undefined;
    });
    expect(messagesOf(violations, ACTIVE)).toEqual([
      `VM "vm${n}": its image (storageProfile.imageReference.id) is unknown during this preview and it has no global-image:image/version tags, so it cannot be checked. Tag it with imageTags(image) next to vmImageReference(image), or bind it with ImageHostPool.`,
    ]);
    expect(violations.find((v) => v.policy === ACTIVE)?.enforcementLevel).toBe("mandatory");
  });

  it("checks a VM tagged with imageTags while its image id is unknown", async () => {
    const violations = await violationsOf(recorder, () => {
      const image = attestedImage();
      new compute.VirtualMachine(`vm${n}`, {
        resourceGroupName: "rg",
        tags: imageTags(image),
        storageProfile: { imageReference: vmImageReference(image) },
      });
      new compute.VirtualMachine(`vm-staged${n}`, {
        resourceGroupName: "rg",
        tags: imageTags(image, "staged"),
        storageProfile: { imageReference: vmImageReference(image, "staged") },
      });
      return undefined;
    });
    expect(messagesOf(violations, ACTIVE)).toEqual([
      `VM "vm-staged${n}": it boots win11-avd 1.10.0, which is staged; production uses the active version only. Bind it to the active version 1.9.0 (ImageHostPool, or vmImageReference(image)).`,
    ]);
  });
});
