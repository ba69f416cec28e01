/**
 * A customer stack (here: Fabrikam) of an MSP: it reads the image stack's handle through a
 * StackReference and binds a production pool and the scale set to the active version, and a
 * validation pool to the staged one. A promotion in the image stack reaches this stack on its next
 * `pulumi up`: only the production pool and the scale set change.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as resources from "@pulumi/azure-native/resources";
import * as random from "@pulumi/random";
import { ImageHandle, ImageHostPool, imageTags, vmImageReference } from "global-image";

const config = new pulumi.Config();
const images = new pulumi.StackReference(config.require("imageStack"));
const win11 = ImageHandle.fromStack(images, "images.win11");

const group = new resources.ResourceGroup("fabrikam", { resourceGroupName: "rg-fabrikam-avd" });
const pool = {
  image: win11,
  resourceGroupName: group.name,
  hostPoolType: "Pooled",
  loadBalancerType: "BreadthFirst",
  preferredAppGroupType: "Desktop",
} as const;

const production = new ImageHostPool("fabrikam-prod", {
  ...pool,
  maxSessionLimit: 10,
  friendlyName: "Fabrikam desktops",
  vmTemplate: { namePrefix: "fab-prod", vmSize: "Standard_D8s_v5" },
});
const validation = new ImageHostPool("fabrikam-val", {
  ...pool,
  validationEnvironment: true,
  maxSessionLimit: 4,
  friendlyName: "Fabrikam image validation",
  vmTemplate: { namePrefix: "fab-val" },
});

// A render farm scale set on the active version (never "latest").
const password = new random.RandomPassword("render-admin", { length: 24, minSpecial: 1 });
const render = new compute.VirtualMachineScaleSet("render", {
  resourceGroupName: group.name,
  vmScaleSetName: "vmss-fabrikam-render",
  // Preview-known binding for the policy pack while the version id is unknown.
  tags: imageTags(win11),
  sku: { name: "Standard_D4s_v5", capacity: 2 },
  orchestrationMode: "Uniform",
  upgradePolicy: { mode: "Manual" },
  virtualMachineProfile: {
    storageProfile: {
      imageReference: vmImageReference(win11),
      osDisk: { createOption: "FromImage", managedDisk: { storageAccountType: "StandardSSD_LRS" } },
    },
    osProfile: {
      computerNamePrefix: "render",
      adminUsername: "renderadmin",
      adminPassword: password.result,
    },
    securityProfile: {
      securityType: "TrustedLaunch",
      uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
    },
    networkProfile: {
      networkInterfaceConfigurations: [
        {
          name: "nic",
          primary: true,
          ipConfigurations: [{ name: "ipconfig", subnet: { id: config.require("subnetId") } }],
        },
      ],
    },
  },
});

export const productionVersion = production.imageVersion;
export const validationVersion = validation.imageVersion;
export const renderScaleSetId = render.id;
