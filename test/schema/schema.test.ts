/**
 * The multi-language schema Pulumi infers for `pulumi package add`, generated in-process as the
 * CLI would. Every public argument and output must be in it with its description, and the schema
 * must match the committed `schema.json` (regenerate with UPDATE_SCHEMA=1 npx jest test/schema).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { GlobalImage } from "../../src/component/globalImage";
import { ImageReplica } from "../../src/component/imageReplica";
import { ImageHostPool } from "../../src/consumers/imageHostPool";

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

beforeAll(async () => {
  const provider = new ComponentProvider({
    name: "global-image",
    dirname: ROOT,
    components: [GlobalImage, ImageReplica, ImageHostPool],
  });
  schema = JSON.parse(await provider.getSchema());
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

  it("matches the committed schema.json", () => {
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA) fs.writeFileSync(SNAPSHOT, text);
    expect(fs.readFileSync(SNAPSHOT, "utf8")).toBe(text);
  });
});
