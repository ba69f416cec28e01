/**
 * Enum-like values of the image definition and its versions, as `as const` objects (string-literal
 * unions break multi-language schemas; these become schema enums).
 */

/** The operating system of the image. */
export const OsType = {
  Windows: "Windows",
  Linux: "Linux",
} as const;
/** The operating system of the image. */
export type OsType = (typeof OsType)[keyof typeof OsType];

/** Whether the captured OS disk was generalized (sysprep) or specialized. */
export const OsState = {
  Generalized: "Generalized",
  Specialized: "Specialized",
} as const;
/** Whether the captured OS disk was generalized (sysprep) or specialized. */
export type OsState = (typeof OsState)[keyof typeof OsState];

/** The Hyper-V generation of the VMs the image boots. */
export const HyperVGeneration = {
  V1: "V1",
  V2: "V2",
} as const;
/** The Hyper-V generation of the VMs the image boots. */
export type HyperVGeneration = (typeof HyperVGeneration)[keyof typeof HyperVGeneration];

/** The image definition's `SecurityType` feature: which VM security types may boot it. */
export const SecurityType = {
  /** No security feature is declared on the image definition. */
  Standard: "Standard",
  /** Trusted launch only (secure boot and vTPM); the default for AVD session hosts. */
  TrustedLaunch: "TrustedLaunch",
  /** Trusted launch or standard VMs. */
  TrustedLaunchSupported: "TrustedLaunchSupported",
  /** Confidential VMs only. */
  ConfidentialVM: "ConfidentialVM",
  /** Confidential or standard VMs. */
  ConfidentialVMSupported: "ConfidentialVMSupported",
  /** Trusted launch, confidential or standard VMs. */
  TrustedLaunchAndConfidentialVmSupported: "TrustedLaunchAndConfidentialVmSupported",
} as const;
/** The image definition's `SecurityType` feature. */
export type SecurityType = (typeof SecurityType)[keyof typeof SecurityType];

/** The storage of a version's replicas in a region. */
export const ReplicaStorageType = {
  Standard_LRS: "Standard_LRS",
  Standard_ZRS: "Standard_ZRS",
  Premium_LRS: "Premium_LRS",
  PremiumV2_LRS: "PremiumV2_LRS",
} as const;
/** The storage of a version's replicas in a region. */
export type ReplicaStorageType = (typeof ReplicaStorageType)[keyof typeof ReplicaStorageType];

/** Which field of a version's `source` names what the version is made from. */
export const SourceKind = {
  /** Capture a (generalized) VM: Nerdio's "Set as image". */
  VirtualMachine: "virtualMachineId",
  /** A managed image (`Microsoft.Compute/images`). */
  ManagedImage: "managedImageId",
  /** An OS disk snapshot. */
  Snapshot: "snapshotId",
  /** A managed OS disk. */
  Disk: "diskId",
  /** Another gallery image version (a copy). */
  GalleryImageVersion: "galleryImageVersionId",
  /** A VHD blob; needs `storageAccountId` too. */
  Vhd: "vhdUri",
  /** Built by Azure VM Image Builder from a recipe (a Marketplace image or a version, plus steps). */
  ImageBuilder: "imageBuilder",
} as const;
/** Which field of a version's `source` names what the version is made from. */
export type SourceKind = (typeof SourceKind)[keyof typeof SourceKind];

/** Every value of an `as const` enum object. */
export function enumValues<T extends Record<string, string>>(e: T): Array<T[keyof T]> {
  return Object.values(e) as Array<T[keyof T]>;
}
