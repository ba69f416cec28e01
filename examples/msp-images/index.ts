/**
 * An MSP's central image stack: one gallery shared by two images, each with active, staged and
 * backup versions. Customer stacks read the exported handles; a promotion is a change of
 * `activeVersion` below, and `pulumi up` flips the roles in place.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as resources from "@pulumi/azure-native/resources";
import { GlobalImage } from "global-image";

const config = new pulumi.Config();
const build = config.require("buildResourceGroupId");
const capturedVm = (name: string) => `${build}/providers/Microsoft.Compute/virtualMachines/${name}`;
const managedImage = (name: string) => `${build}/providers/Microsoft.Compute/images/${name}`;

const group = new resources.ResourceGroup("images", { resourceGroupName: "rg-msp-images" });
// One gallery for both images: each GlobalImage adopts it instead of creating its own.
const gallery = new compute.Gallery("gallery", {
  resourceGroupName: group.name,
  galleryName: "msp_images",
});
const shared = {
  resourceGroupName: group.name,
  galleryName: gallery.name,
  createGallery: false,
  regions: [{ name: "westeurope", replicas: 2 }, { name: "northeurope" }],
  tags: { owner: "platform-team" },
  // Test evidence written by `global-image attest --evidence-dir evidence`.
  evidenceDir: "evidence",
};

const win11 = new GlobalImage("win11", {
  ...shared,
  image: {
    name: "win11-24h2-avd",
    publisher: "Contoso",
    offer: "avd",
    sku: "win11-24h2-multi",
    osType: "Windows",
    description: "Windows 11 24H2 multi-session with Microsoft 365 apps",
  },
  versions: {
    "1.0.0": {
      source: { virtualMachineId: capturedVm("win11-build-100") },
      endOfLifeDate: "2027-06-30",
    },
    "1.1.0": {
      source: { virtualMachineId: capturedVm("win11-build-110") },
      endOfLifeDate: "2027-12-31",
    },
    "1.2.0": { source: { virtualMachineId: capturedVm("win11-build-120") } },
  },
  activeVersion: "1.1.0",
  stagedVersion: "1.2.0",
});

const server = new GlobalImage("server", {
  ...shared,
  image: {
    name: "ws2022-rds",
    publisher: "Contoso",
    offer: "rds",
    sku: "ws2022-datacenter-g2",
    osType: "Windows",
  },
  versions: {
    "2.0.0": { source: { managedImageId: managedImage("ws2022-rds-200") } },
    "2.1.0": { source: { managedImageId: managedImage("ws2022-rds-210") } },
  },
  activeVersion: "2.0.0",
  stagedVersion: "2.1.0",
  retainBackups: 0,
});

/** The handles customer stacks bind to: `ImageHandle.fromStack(ref, "images.win11")`. */
export const images = { win11: win11.handle(), server: server.handle() };
export const roles = { win11: win11.roles, server: server.roles };
