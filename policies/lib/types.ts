/** The resource types the policies look at. */
export const Types = {
  GlobalImage: "global-image:index:GlobalImage",
  ImageReplica: "global-image:index:ImageReplica",
  ImageHostPool: "global-image:index:ImageHostPool",
  GalleryImage: "azure-native:compute:GalleryImage",
  GalleryImageVersion: "azure-native:compute:GalleryImageVersion",
  HostPool: "azure-native:desktopvirtualization:HostPool",
  VirtualMachine: "azure-native:compute:VirtualMachine",
  VirtualMachineScaleSet: "azure-native:compute:VirtualMachineScaleSet",
} as const;

/** The components that own gallery versions with roles: an image and its copies. */
export const IMAGE_TYPES: readonly string[] = [Types.GlobalImage, Types.ImageReplica];

/** Resource types that boot an image: the consumers the policies guard. */
export const CONSUMER_TYPES: readonly string[] = [
  Types.HostPool,
  Types.VirtualMachine,
  Types.VirtualMachineScaleSet,
];

/** How a message names a resource: `Host pool "prod-pool"`. */
export function describeResource(type: string, name: string): string {
  const kind: Record<string, string> = {
    [Types.HostPool]: "Host pool",
    [Types.VirtualMachine]: "VM",
    [Types.VirtualMachineScaleSet]: "Scale set",
    [Types.GalleryImageVersion]: "Image version",
    [Types.GlobalImage]: "GlobalImage",
    [Types.ImageReplica]: "ImageReplica",
  };
  return `${kind[type] ?? type} "${name}"`;
}
