/**
 * ARM-shaped ids for resources registered under Pulumi's mock runtime (tests and offline checks),
 * built from the same inputs Azure would name them by, so mock ids look like real ones.
 */
import { createHash } from "node:crypto";
import { galleryArmId, imageDefinitionArmId, imageVersionArmId } from "../domain/common/armId";

/** The subscription of mock ids. */
export const MOCK_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";

/** Provider path and name input of the azure-native types that have a plain ARM path. */
const ARM_TYPES: Record<string, [path: string, nameInput: string]> = {
  "azure-native:desktopvirtualization:HostPool": [
    "Microsoft.DesktopVirtualization/hostPools",
    "hostPoolName",
  ],
  "azure-native:desktopvirtualization:ApplicationGroup": [
    "Microsoft.DesktopVirtualization/applicationGroups",
    "applicationGroupName",
  ],
  "azure-native:desktopvirtualization:Workspace": [
    "Microsoft.DesktopVirtualization/workspaces",
    "workspaceName",
  ],
  "azure-native:compute:VirtualMachine": ["Microsoft.Compute/virtualMachines", "vmName"],
  "azure-native:compute:VirtualMachineScaleSet": [
    "Microsoft.Compute/virtualMachineScaleSets",
    "vmScaleSetName",
  ],
  "azure-native:compute:Image": ["Microsoft.Compute/images", "imageName"],
  "azure-native:network:NetworkInterface": [
    "Microsoft.Network/networkInterfaces",
    "networkInterfaceName",
  ],
  "azure-native:virtualmachineimages:VirtualMachineImageTemplate": [
    "Microsoft.VirtualMachineImages/imageTemplates",
    "imageTemplateName",
  ],
  "azure-native:managedidentity:UserAssignedIdentity": [
    "Microsoft.ManagedIdentity/userAssignedIdentities",
    "resourceName",
  ],
  "azure-native:network:VirtualNetwork": [
    "Microsoft.Network/virtualNetworks",
    "virtualNetworkName",
  ],
};

type Inputs = Record<string, unknown>;

/** The ARM id a resource of `type` named `name` with `inputs` would get. */
export function mockArmId(type: string, name: string, inputs: Inputs): string {
  const str = (key: string, fallback = name) =>
    typeof inputs[key] === "string" ? (inputs[key] as string) : fallback;
  const rg = str("resourceGroupName", "rg");
  const group = `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${rg}`;
  switch (type) {
    case "azure-native:resources:ResourceGroup":
      return `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${str("resourceGroupName")}`;
    case "azure-native:compute:Gallery":
      return galleryArmId(MOCK_SUBSCRIPTION_ID, rg, str("galleryName"));
    case "azure-native:compute:GalleryImage":
      return imageDefinitionArmId(
        galleryArmId(MOCK_SUBSCRIPTION_ID, rg, str("galleryName")),
        str("galleryImageName"),
      );
    case "azure-native:compute:GalleryImageVersion":
      return imageVersionArmId(
        imageDefinitionArmId(
          galleryArmId(MOCK_SUBSCRIPTION_ID, rg, str("galleryName")),
          str("galleryImageName"),
        ),
        str("galleryImageVersionName"),
      );
    case "azure-native:authorization:RoleDefinition":
      return `${str("scope", group)}/providers/Microsoft.Authorization/roleDefinitions/${str("roleDefinitionId")}`;
    case "azure-native:authorization:RoleAssignment":
      return `${str("scope", group)}/providers/Microsoft.Authorization/roleAssignments/${str("roleAssignmentName")}`;
    case "azure-native:compute:VirtualMachineExtension":
      return `${group}/providers/Microsoft.Compute/virtualMachines/${str("vmName")}/extensions/${str("vmExtensionName")}`;
  }
  const known = ARM_TYPES[type];
  if (known) return `${group}/providers/${known[0]}/${str(known[1])}`;
  const [, mod = "unknown", kind = "resource"] = type.split(":");
  return `${group}/providers/Microsoft.${mod}/${kind}/${name}`;
}

/** Output properties Azure sets on create that consumers of a resource read (e.g. principalId). */
export function mockOutputs(type: string, id: string): Record<string, unknown> {
  if (type === "azure-native:managedidentity:UserAssignedIdentity") {
    const hex = createHash("sha256").update(id).digest("hex");
    const guid = (h: string) =>
      `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
    return { principalId: guid(hex), clientId: guid(hex.slice(32)), tenantId: MOCK_TENANT_ID };
  }
  return {};
}

/** The tenant of mock identities. */
export const MOCK_TENANT_ID = "11111111-1111-1111-1111-111111111111";
