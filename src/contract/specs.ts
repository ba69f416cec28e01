/**
 * The Azure Resource Manager OpenAPI (swagger 2.0) specs vendored under
 * `contract/azure-rest-specs/` (provenance in its README): which spec, operation and body schema
 * describe each azure-native resource type this package creates, and a reader that resolves the
 * specs' `$ref`s (also across files) and `allOf`s, for the SDK → ARM mapping.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Where one azure-native resource type's PUT request is described. */
export interface ArmType {
  /** The spec file, relative to `contract/azure-rest-specs/specification`. */
  readonly spec: string;
  readonly apiVersion: string;
  /** The PUT path, with `{parameters}` named as azure-native names its arguments. */
  readonly path: string;
  /** The request body's definition in the spec. */
  readonly definition: string;
}

const GALLERY =
  "compute/resource-manager/Microsoft.Compute/GalleryRP/stable/2024-03-03/gallery.json";
/** Compute's VM spec (VM bodies, and the VM list of a rollout's observation). */
export const VM_SPEC =
  "compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2024-11-01/virtualMachine.json";
const VM = VM_SPEC;
const VMSS =
  "compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2024-11-01/virtualMachineScaleSet.json";
/** The AVD spec (host pools, and the session host calls of a rollout). */
export const AVD_SPEC =
  "desktopvirtualization/resource-manager/Microsoft.DesktopVirtualization/stable/2024-04-03/desktopvirtualization.json";
const NIC = "network/resource-manager/Microsoft.Network/stable/2024-05-01/networkInterface.json";
const RG = "resources/resource-manager/Microsoft.Resources/stable/2024-03-01/resources.json";
const AIB =
  "imagebuilder/resource-manager/Microsoft.VirtualMachineImages/stable/2024-02-01/imagebuilder.json";
const RG_PATH = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}";
const COMPUTE = `${RG_PATH}/providers/Microsoft.Compute`;

/** The azure-native types the contract check covers, at the API versions azure-native 3.28 calls. */
export const ARM_TYPES: Readonly<Record<string, ArmType>> = {
  "azure-native:resources:ResourceGroup": {
    spec: RG,
    apiVersion: "2024-03-01",
    path: "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}",
    definition: "ResourceGroup",
  },
  "azure-native:compute:Gallery": {
    spec: GALLERY,
    apiVersion: "2024-03-03",
    path: `${COMPUTE}/galleries/{galleryName}`,
    definition: "Gallery",
  },
  "azure-native:compute:GalleryImage": {
    spec: GALLERY,
    apiVersion: "2024-03-03",
    path: `${COMPUTE}/galleries/{galleryName}/images/{galleryImageName}`,
    definition: "GalleryImage",
  },
  "azure-native:compute:GalleryImageVersion": {
    spec: GALLERY,
    apiVersion: "2024-03-03",
    path: `${COMPUTE}/galleries/{galleryName}/images/{galleryImageName}/versions/{galleryImageVersionName}`,
    definition: "GalleryImageVersion",
  },
  "azure-native:compute:VirtualMachine": {
    spec: VM,
    apiVersion: "2024-11-01",
    path: `${COMPUTE}/virtualMachines/{vmName}`,
    definition: "VirtualMachine",
  },
  "azure-native:compute:VirtualMachineExtension": {
    spec: VM,
    apiVersion: "2024-11-01",
    path: `${COMPUTE}/virtualMachines/{vmName}/extensions/{vmExtensionName}`,
    definition: "VirtualMachineExtension",
  },
  "azure-native:compute:VirtualMachineScaleSet": {
    spec: VMSS,
    apiVersion: "2024-11-01",
    path: `${COMPUTE}/virtualMachineScaleSets/{vmScaleSetName}`,
    definition: "VirtualMachineScaleSet",
  },
  "azure-native:desktopvirtualization:HostPool": {
    spec: AVD_SPEC,
    apiVersion: "2024-04-03",
    path: `${RG_PATH}/providers/Microsoft.DesktopVirtualization/hostPools/{hostPoolName}`,
    definition: "HostPool",
  },
  "azure-native:network:NetworkInterface": {
    spec: NIC,
    apiVersion: "2024-05-01",
    path: `${RG_PATH}/providers/Microsoft.Network/networkInterfaces/{networkInterfaceName}`,
    definition: "NetworkInterface",
  },
  "azure-native:virtualmachineimages:VirtualMachineImageTemplate": {
    spec: AIB,
    apiVersion: "2024-02-01",
    path: `${RG_PATH}/providers/Microsoft.VirtualMachineImages/imageTemplates/{imageTemplateName}`,
    definition: "ImageTemplate",
  },
};

/** The vendored specs' `specification` directory, from the source or the compiled file. */
export function specsRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, "contract", "azure-rest-specs", "specification");
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(
    "the vendored Azure specs (contract/azure-rest-specs) are missing from this install",
  );
}

/** A swagger schema object, as the specs write it. */
export type Schema = Record<string, unknown> & {
  readonly $ref?: string;
  readonly properties?: Record<string, Schema>;
  readonly allOf?: Schema[];
  readonly items?: Schema;
  readonly additionalProperties?: Schema | boolean;
  readonly enum?: unknown[];
  readonly type?: string;
  readonly readOnly?: boolean;
  readonly "x-ms-client-flatten"?: boolean;
  readonly "x-ms-enum"?: { readonly name?: string; readonly modelAsString?: boolean };
};

/** A schema together with the spec file its `$ref`s are relative to. */
export interface Located {
  readonly schema: Schema;
  readonly file: string;
}

const loaded = new Map<string, Record<string, unknown>>();

function load(file: string): Record<string, unknown> {
  let doc = loaded.get(file);
  if (!doc) {
    doc = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    loaded.set(file, doc);
  }
  return doc;
}

/** The body schema of `type`'s PUT request. */
export function bodySchema(type: ArmType): Located {
  const file = path.join(specsRoot(), type.spec);
  return resolve({ schema: { $ref: `#/definitions/${type.definition}` }, file });
}

/** Follows `$ref`s (in the same file or another) until a schema that is not one. */
export function resolve(located: Located): Located {
  let { schema, file } = located;
  for (let hops = 0; schema.$ref !== undefined; hops++) {
    if (hops > 50) throw new Error(`${file}: $ref loop at ${schema.$ref}`);
    const [target, pointer = ""] = schema.$ref.split("#");
    if (target) file = path.resolve(path.dirname(file), target);
    let node: unknown = load(file);
    for (const part of pointer.split("/").filter(Boolean))
      node = (node as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    if (node === undefined) throw new Error(`${file}: $ref ${schema.$ref} resolves to nothing`);
    schema = node as Schema;
  }
  return { schema, file };
}

/** Every property of an object schema, its `allOf` parents' included, each located. */
export function propertiesOf(located: Located): Map<string, Located> {
  const { schema, file } = resolve(located);
  const props = new Map<string, Located>();
  for (const parent of schema.allOf ?? [])
    for (const [k, v] of propertiesOf({ schema: parent, file })) props.set(k, v);
  for (const [k, v] of Object.entries(schema.properties ?? {})) props.set(k, { schema: v, file });
  return props;
}
