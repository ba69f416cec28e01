/**
 * The root project's known config keys must be the component's arguments: a new argument that is
 * not added to configShape.ts would be refused in stack config. Pinned against schema.json, the
 * generated multi-language schema (itself pinned to the code by test/schema).
 */
import { ROOT_KEYS, Shape } from "../../src/program/configShape";
import schema from "../../schema.json";

const types = schema.types as Record<string, { properties?: Record<string, unknown> }>;
const resources = schema.resources as Record<string, { inputProperties: Record<string, unknown> }>;
const props = (type: string) =>
  Object.keys(types[`global-image:index:${type}`].properties ?? {}).sort();
const inputs = (resource: string) =>
  Object.keys(resources[`global-image:index:${resource}`].inputProperties).sort();

function fieldsOf(shape: Shape, ...path: string[]): string[] {
  let node = shape;
  for (const key of path) {
    if (node.kind === "map" || node.kind === "list") node = node.of;
    if (key === "*") continue;
    if (node.kind !== "fields") throw new Error(`${path.join(".")}: not fields`);
    node = node.fields[key];
  }
  if (node.kind === "map" || node.kind === "list") node = node.of;
  if (node.kind !== "fields") throw new Error(`${path.join(".")}: not fields`);
  return Object.keys(node.fields).sort();
}

const image = ROOT_KEYS.images.shape;
const pool = ROOT_KEYS.hostPools.shape;
const replica = ROOT_KEYS.replicas.shape;

describe("the config shape follows the component arguments", () => {
  it("an image holds the GlobalImage arguments the project does not set for all", () => {
    const projectWide = [
      "resourceGroupName",
      "location",
      "galleryName",
      "createGallery",
      "evidenceDir",
    ];
    expect(fieldsOf(image, "*")).toEqual(
      inputs("GlobalImage").filter((k) => !projectWide.includes(k)),
    );
  });

  it.each([
    [["*", "image"], "ImageDefinitionArgs"],
    [["*", "regions"], "RegionArgs"],
    [["*", "versions"], "ImageVersionArgs"],
    [["*", "versions", "*", "source"], "ImageSourceArgs"],
    [["*", "versions", "*", "regions"], "RegionArgs"],
    [["*", "customTimeouts"], "VersionTimeoutsArgs"],
    [["*", "rings"], "RingArgs"],
    [["*", "rings", "*", "window"], "RingWindowArgs"],
  ])("images %j has the fields of %s", (path, type) => {
    expect(fieldsOf(image, ...path)).toEqual(props(type));
  });

  it("a replica holds the ImageReplica arguments, with source naming an image and a provider", () => {
    expect(fieldsOf(replica, "*")).toEqual([...inputs("ImageReplica"), "provider"].sort());
    expect(fieldsOf(replica, "*", "regions")).toEqual(props("RegionArgs"));
    expect(fieldsOf(replica, "*", "customTimeouts")).toEqual(props("VersionTimeoutsArgs"));
  });

  it("a host pool holds the ImageHostPool arguments, with image naming a config key", () => {
    const projectWide = ["resourceGroupName", "location"];
    expect(fieldsOf(pool, "*")).toEqual(
      inputs("ImageHostPool").filter((k) => !projectWide.includes(k)),
    );
    expect(fieldsOf(pool, "*", "vmTemplate")).toEqual(props("VmTemplateArgs"));
    expect(fieldsOf(pool, "*", "sessionHosts")).toEqual(props("SessionHostsArgs"));
  });
});
