/**
 * The engine-conformance cases in one stack: each consumer or image below is one case, named
 * after it. The suite runs this program through the engine (preview and update) and through
 * `global-image check`, and asserts the same verdict for every resource.
 */
import * as compute from "@pulumi/azure-native/compute";
import * as desktopvirtualization from "@pulumi/azure-native/desktopvirtualization";
// The package as a program gets it (its compiled JavaScript), like a consumer of the npm package.
import { GlobalImage, ImageHostPool, ImageReplica, vmImageReference } from "global-image";
import { passingEvidence } from "../../fixtures/evidence";

const rg = "rg-images";
const vm = (name: string) =>
  `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;
/** Where every image of the cases lives. */
const gallery = { resourceGroupName: rg, location: "westeurope", galleryName: "msp_gallery" };
const identity = {
  publisher: "Contoso",
  offer: "avd",
  sku: "win11",
  osType: "Windows" as const,
};

/** A managed image: 0.9.0 backup, 1.0.0 active with evidence, 1.1.0 staged. */
const image = new GlobalImage("img", {
  ...gallery,
  image: { name: "win11", ...identity },
  regions: [{ name: "westeurope" }],
  versions: {
    "0.9.0": { source: { virtualMachineId: vm("v090") } },
    "1.0.0": { source: { virtualMachineId: vm("v100") } },
    "1.1.0": { source: { virtualMachineId: vm("v110") } },
  },
  activeVersion: "1.0.0",
  stagedVersion: "1.1.0",
  evidence: { "1.0.0": passingEvidence("win11", "1.0.0") },
});

// Passes: production on the active version, validation on the staged one.
new ImageHostPool("prod", {
  resourceGroupName: rg,
  location: "westeurope",
  image,
  hostPoolType: "Pooled",
  loadBalancerType: "BreadthFirst",
  preferredAppGroupType: "Desktop",
});
new ImageHostPool("validation", {
  resourceGroupName: rg,
  location: "westeurope",
  image,
  validationEnvironment: true,
  hostPoolType: "Pooled",
  loadBalancerType: "BreadthFirst",
  preferredAppGroupType: "Desktop",
});

// Case: an ImageHostPool in a region the active version is not replicated to.
new ImageHostPool("far", {
  resourceGroupName: rg,
  location: "eastus",
  image,
  hostPoolType: "Pooled",
  loadBalancerType: "BreadthFirst",
  preferredAppGroupType: "Desktop",
});

const vmArgs = (imageReference: compute.VirtualMachineArgs["storageProfile"]) => ({
  resourceGroupName: rg,
  location: "westeurope",
  hardwareProfile: { vmSize: "Standard_D4s_v5" },
  storageProfile: imageReference,
  networkProfile: { networkInterfaces: [{ id: `${vm("nic")}/nic` }] },
});

// Case: a production VM on the staged version.
new compute.VirtualMachine(
  "vm-on-staged",
  vmArgs({ imageReference: vmImageReference(image, "staged") }),
);

// Case: a production scale set on the bare image definition ("latest" moves without a promotion).
new compute.VirtualMachineScaleSet("vmss-on-definition", {
  resourceGroupName: rg,
  location: "westeurope",
  sku: { name: "Standard_D4s_v5", capacity: 1 },
  virtualMachineProfile: { storageProfile: { imageReference: { id: image.imageDefinitionId } } },
});

// Case: a production host pool (no ImageHostPool) whose template names the staged version.
new desktopvirtualization.HostPool("pool-on-staged", {
  resourceGroupName: rg,
  location: "westeurope",
  hostPoolType: "Pooled",
  loadBalancerType: "BreadthFirst",
  preferredAppGroupType: "Desktop",
  vmTemplate: image.stagedVersionId.apply((id) =>
    JSON.stringify({ imageType: "CustomImage", customImageId: id }),
  ),
});

// Case: a version of the managed image declared outside the component, not excluded from latest.
new compute.GalleryImageVersion("handmade-1.2.0", {
  resourceGroupName: rg,
  galleryName: "msp_gallery",
  galleryImageName: image.imageName,
  galleryImageVersionName: "1.2.0",
  location: "westeurope",
  storageProfile: { source: { virtualMachineId: vm("v120") } },
  publishingProfile: { excludeFromLatest: false, targetRegions: [{ name: "westeurope" }] },
});

// Case: a promotion without evidence (2.0.0 active, nothing attested).
new GlobalImage("unproven", {
  ...gallery,
  image: { name: "win11-unproven", ...identity },
  regions: [{ name: "westeurope" }],
  versions: {
    "1.0.0": { source: { virtualMachineId: vm("u100") } },
    "2.0.0": { source: { virtualMachineId: vm("u200") } },
  },
  activeVersion: "2.0.0",
  evidence: { "1.0.0": passingEvidence("win11-unproven", "1.0.0") },
});

// Case: an image keeping no backup.
new GlobalImage("nobackup", {
  ...gallery,
  image: { name: "win11-nobackup", ...identity },
  regions: [{ name: "westeurope" }],
  versions: { "1.0.0": { source: { virtualMachineId: vm("n100") } } },
  activeVersion: "1.0.0",
  evidence: { "1.0.0": passingEvidence("win11-nobackup", "1.0.0") },
});

// Case: a backup left unprotected (a transformation drops the protect option of its versions).
new GlobalImage(
  "unprotected",
  {
    ...gallery,
    image: { name: "win11-unprotected", ...identity },
    regions: [{ name: "westeurope" }],
    versions: {
      "1.0.0": { source: { virtualMachineId: vm("p100") }, endOfLifeDate: "2027-12-31" },
      "1.1.0": { source: { virtualMachineId: vm("p110") }, endOfLifeDate: "2027-12-31" },
    },
    activeVersion: "1.1.0",
    evidence: { "1.1.0": passingEvidence("win11-unprotected", "1.1.0") },
  },
  {
    transformations: [
      (a) =>
        a.type === "azure-native:compute:GalleryImageVersion"
          ? { props: a.props, opts: { ...a.opts, protect: false } }
          : undefined,
    ],
  },
);

// Rings (the suite's clock: 2026-11-25T12:00Z): 1.1.0 became active a day ago, so "early"
// (2 days' soak) and "broad" (7 more) still run 1.0.0.
const ringed = new GlobalImage("ringed", {
  ...gallery,
  image: { name: "win11-ringed", ...identity },
  regions: [{ name: "westeurope" }],
  rings: [{ name: "pilot" }, { name: "early", soakDays: 2 }, { name: "broad", soakDays: 7 }],
  versions: {
    "1.0.0": { source: { virtualMachineId: vm("r100") }, activatedAt: "2026-11-01T10:00:00Z" },
    "1.1.0": { source: { virtualMachineId: vm("r110") }, activatedAt: "2026-11-24T10:00:00Z" },
  },
  activeVersion: "1.1.0",
  evidence: {
    "1.0.0": passingEvidence("win11-ringed", "1.0.0"),
    "1.1.0": passingEvidence("win11-ringed", "1.1.0"),
  },
});

// Passes: a pool in ring "early" runs what the ring has reached (1.0.0, a backup).
new ImageHostPool("ring-early", {
  resourceGroupName: rg,
  location: "westeurope",
  image: ringed,
  ring: "early",
  hostPoolType: "Pooled",
  loadBalancerType: "BreadthFirst",
  preferredAppGroupType: "Desktop",
});

// Case: a replica in ring "broad" pinned ahead of its ring's schedule.
new ImageReplica("customer-broad", {
  source: ringed,
  ring: "broad",
  activeVersion: "1.1.0",
  resourceGroupName: "rg-customer",
  location: "westeurope",
  galleryName: "customer_gallery",
  regions: [{ name: "westeurope" }],
});
