/**
 * The multi-language schema Pulumi infers for `pulumi package add`, committed as `schema.json`:
 * every public argument and output in it with its description. That the committed file is what
 * the package's source infers is checked where the engine infers it, from the installed npm
 * tarball (test/engine/provider.test.ts, GetSchema); `UPDATE_SCHEMA=1 npx jest test/schema`
 * infers it here, in-process as the CLI would, and rewrites the file.
 */
import * as fs from "node:fs";
import * as path from "node:path";

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, "..", "..");
const SNAPSHOT = path.join(ROOT, "schema.json");

type Property = { description?: string };
type Resource = {
  inputProperties: Record<string, Property>;
  properties: Record<string, Property>;
  requiredInputs?: string[];
};

let schema: {
  resources: Record<string, Resource>;
  types: Record<string, { properties?: Record<string, Property> }>;
};

/** The schema inferred from the source, as `pulumi package add` infers it. */
async function inferred(): Promise<string> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only to regenerate */
  const { ComponentProvider } =
    require("@pulumi/pulumi/provider/experimental") as typeof import("@pulumi/pulumi/provider/experimental");
  const { GlobalImage } =
    require("../../src/component/globalImage") as typeof import("../../src/component/globalImage");
  const { ImageReplica } =
    require("../../src/component/imageReplica") as typeof import("../../src/component/imageReplica");
  const { ImageHostPool } =
    require("../../src/consumers/imageHostPool") as typeof import("../../src/consumers/imageHostPool");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const provider = new ComponentProvider({
    name: "global-image",
    dirname: ROOT,
    components: [GlobalImage, ImageReplica, ImageHostPool],
  });
  return `${JSON.stringify(JSON.parse(await provider.getSchema()), null, 2)}\n`;
}

beforeAll(async () => {
  if (process.env.UPDATE_SCHEMA) fs.writeFileSync(SNAPSHOT, await inferred());
  schema = JSON.parse(fs.readFileSync(SNAPSHOT, "utf8"));
});

const ARGS: Record<string, string[]> = {
  "global-image:index:GlobalImage": [
    "resourceGroupName",
    "location",
    "galleryName",
    "createGallery",
    "image",
    "regions",
    "versions",
    "activeVersion",
    "stagedVersion",
    "retainBackups",
    "tags",
    "evidence",
    "evidenceDir",
    "customTimeouts",
    "rings",
  ],
  "global-image:index:ImageReplica": [
    "source",
    "resourceGroupName",
    "location",
    "galleryName",
    "createGallery",
    "regions",
    "activeVersion",
    "stagedVersion",
    "retainBackups",
    "tags",
    "customTimeouts",
    "ring",
  ],
  "global-image:index:ImageHostPool": [
    "image",
    "resourceGroupName",
    "location",
    "hostPoolName",
    "hostPoolType",
    "loadBalancerType",
    "preferredAppGroupType",
    "validationEnvironment",
    "ring",
    "maxSessionLimit",
    "startVMOnConnect",
    "personalDesktopAssignmentType",
    "customRdpProperty",
    "friendlyName",
    "description",
    "registrationTokenExpiration",
    "vmTemplate",
    "sessionHosts",
    "tags",
  ],
};
const OUTPUTS: Record<string, string[]> = {
  "global-image:index:GlobalImage": [
    "galleryId",
    "imageDefinitionId",
    "imageName",
    "activeVersion",
    "activeVersionId",
    "builds",
    "stagedVersion",
    "stagedVersionId",
    "versionIds",
    "roles",
    "latestVersion",
    "regions",
    "snapshot",
    "guardrails",
  ],
  "global-image:index:ImageReplica": [
    "galleryId",
    "imageDefinitionId",
    "imageName",
    "activeVersion",
    "activeVersionId",
    "stagedVersion",
    "stagedVersionId",
    "versionIds",
    "roles",
    "latestVersion",
    "regions",
    "snapshot",
    "guardrails",
  ],
  "global-image:index:ImageHostPool": [
    "hostPoolId",
    "hostPoolName",
    "imageVersion",
    "imageVersionId",
    "vmTemplate",
    "sessionHostIds",
    "rollout",
    "guardrails",
  ],
};

describe("multi-language schema", () => {
  it.each(Object.keys(ARGS))("%s has every argument, described", (token) => {
    const inputs = schema.resources[token].inputProperties;
    expect(Object.keys(inputs).sort()).toEqual([...ARGS[token]].sort());
    for (const name of ARGS[token])
      expect([name, typeof inputs[name].description]).toEqual([name, "string"]);
  });

  it.each(Object.keys(OUTPUTS))("%s has every output, described, and nothing private", (token) => {
    const outputs = schema.resources[token].properties;
    expect(Object.keys(outputs).sort()).toEqual([...OUTPUTS[token]].sort());
    for (const name of OUTPUTS[token])
      expect([name, typeof outputs[name].description]).toEqual([name, "string"]);
  });

  it("turns the as-const enums into schema enums", () => {
    expect(schema.types["global-image:index:ImageRole"]).toMatchObject({
      type: "string",
      enum: expect.arrayContaining([expect.objectContaining({ value: "staged" })]),
    });
  });

  it("is written as UPDATE_SCHEMA writes it", () => {
    const text = fs.readFileSync(SNAPSHOT, "utf8");
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });
});
