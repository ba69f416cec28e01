import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf, settle } from "../helpers/mocks";
import { validArgs } from "../fixtures/globalImage";
import { poolArgs } from "../fixtures/hostPool";

const recorder = installMocks();
import { GlobalImage } from "../../src/component/globalImage";
import { ImageBinding, ImageHandle, readHandleField } from "../../src/consumers/imageHandle";
import { ImageHostPool } from "../../src/consumers/imageHostPool";
import { vmImageReference } from "../../src/consumers/vmImageReference";
import { isGlobalImageError } from "../../src/domain/common/errors";

const DEF =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/msp_gallery/images/win11-avd";
let n = 0;

/** What `export const win11 = image.handle()` stores as a stack output. */
async function exported(handle: ImageHandle): Promise<Record<string, unknown>> {
  return promiseOf(pulumi.output({ ...handle }));
}

describe("image.handle()", () => {
  it("exports the active and staged bindings and the active version's regions", async () => {
    const image = new GlobalImage(`img${++n}`, validArgs(), recorder.opts);
    expect(await exported(image.handle())).toEqual({
      imageName: "win11-avd",
      imageDefinitionId: DEF,
      activeVersion: "1.9.0",
      activeVersionId: `${DEF}/versions/1.9.0`,
      stagedVersion: "1.10.0",
      stagedVersionId: `${DEF}/versions/1.10.0`,
      regions: ["westeurope", "northeurope"],
      versionIds: Object.fromEntries(
        ["1.0.0", "1.1.0", "1.9.0", "1.10.0"].map((v) => [v, `${DEF}/versions/${v}`]),
      ),
      snapshot: expect.objectContaining({
        imageName: "win11-avd",
        activeVersion: "1.9.0",
        stagedVersion: "1.10.0",
        versions: expect.objectContaining({
          "1.1.0": {
            role: "backup",
            regions: ["westeurope", "northeurope"],
            endOfLifeDate: "2027-06-30",
          },
        }),
      }),
    });
  });
});

describe("ImageHandle.fromStack", () => {
  it("rebuilds the exported handle from a StackReference and wires a customer pool to it", async () => {
    const image = new GlobalImage(`img${++n}`, validArgs(), recorder.opts);
    recorder.stackOutputs["contoso/msp-images/prod"] = { win11: await exported(image.handle()) };
    const handle = ImageHandle.fromStack(
      new pulumi.StackReference("contoso/msp-images/prod"),
      "win11",
    );
    expect(await exported(handle)).toEqual(await exported(image.handle()));

    recorder.reset();
    const pool = new ImageHostPool(`customer${n}`, poolArgs(handle), recorder.opts);
    expect(JSON.parse(await promiseOf(pool.vmTemplate)).customImageId).toBe(
      `${DEF}/versions/1.9.0`,
    );
    await settle();
    expect(
      recorder.get("azure-native:desktopvirtualization:HostPool", `customer${n}-pool`).inputs.tags,
    ).toEqual({
      "global-image:image": "win11-avd",
      "global-image:version": "1.9.0",
    });
  });

  it("a handle exported with nothing staged reads back as nothing staged", async () => {
    recorder.stackOutputs["contoso/msp-images/promoted"] = {
      win11: {
        imageName: "win11-avd",
        imageDefinitionId: DEF,
        activeVersion: "1.10.0",
        activeVersionId: `${DEF}/versions/1.10.0`,
        regions: ["westeurope"],
      },
    };
    const handle = ImageHandle.fromStack(
      new pulumi.StackReference("contoso/msp-images/promoted"),
      "win11",
    );
    expect(await promiseOf(handle.stagedVersionId)).toBeUndefined();
    expect(await promiseOf(vmImageReference(handle, "staged").id)).toBe(`${DEF}/versions/1.10.0`);
  });

  // fromStack checks each field with readHandleField; a throw there fails the program's run.
  it.each([
    [
      "missing",
      undefined,
      "activeVersionId",
      /^Stack output "win11" of "contoso\/other\/prod" is not an image handle \(received nothing\)/,
    ],
    ["a string", "1.0.0", "activeVersionId", /is not an image handle \(received string\)/],
    [
      "without its definition id",
      { imageName: "win11-avd" },
      "imageDefinitionId",
      /"imageDefinitionId" is missing\. Export the image's handle/,
    ],
  ])("names the stack and output when the output is %s", (_case, raw, key, message) => {
    let caught: unknown;
    try {
      readHandleField(raw, key as keyof ImageBinding, "contoso/other/prod", "win11");
    } catch (err) {
      caught = err;
    }
    expect(isGlobalImageError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });

  it("reads optional fields of an exported handle leniently", () => {
    const raw = {
      imageName: "i",
      imageDefinitionId: "d",
      activeVersion: "1.0.0",
      activeVersionId: "v",
      stagedVersion: null,
    };
    expect(readHandleField(raw, "stagedVersion", "s", "o")).toBeUndefined();
    expect(readHandleField(raw, "regions", "s", "o")).toEqual([]);
  });
});

describe("vmImageReference", () => {
  it("gives scale sets and VMs the exact active or staged version id", async () => {
    const image = new GlobalImage(`img${++n}`, validArgs(), recorder.opts);
    expect(await promiseOf(vmImageReference(image).id)).toBe(`${DEF}/versions/1.9.0`);
    expect(await promiseOf(vmImageReference(image, "active").id)).toBe(`${DEF}/versions/1.9.0`);
    expect(await promiseOf(vmImageReference(image, "staged").id)).toBe(`${DEF}/versions/1.10.0`);
  });

  it("rejects a role it does not know, naming the field", () => {
    const image = new GlobalImage(`img${++n}`, validArgs(), recorder.opts);
    expect(() => vmImageReference(image, "latest" as any)).toThrow(
      /^"role" must be one of "active", "staged" \(received "latest"\)/,
    );
  });
});
