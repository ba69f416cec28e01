/**
 * An MSP's image, copied into the galleries of two customers who live in other Microsoft Entra
 * tenants. Each customer gets an `ImageReplica` (same versions, same roles, its own gallery in its
 * own subscription) through an azure-native provider for the customer's tenant that also holds a
 * token for the MSP's tenant (`auxiliaryTenantIds`), and its own host pools bound to its copy.
 * A promotion here (`activeVersion`) reaches every customer on the next `pulumi up`, as flag
 * updates of the copies and a new `vmTemplate` for each production pool: nothing is copied again.
 */
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/azure-native/provider";
import { GlobalImage, ImageHostPool, ImageReplica } from "global-image";

interface Customer {
  name: string;
  tenantId: string;
  subscriptionId: string;
  resourceGroupName: string;
  location: string;
  galleryName: string;
  stagedVersion?: string;
}

const config = new pulumi.Config();
const mspTenantId = config.require("mspTenantId");
const build = config.require("buildResourceGroupId");
const capturedVm = (name: string) => `${build}/providers/Microsoft.Compute/virtualMachines/${name}`;

const win11 = new GlobalImage("win11", {
  resourceGroupName: "rg-msp-images",
  location: "westeurope",
  galleryName: "msp_images",
  image: {
    name: "win11-24h2-avd",
    publisher: "Contoso",
    offer: "avd",
    sku: "win11-24h2-multi",
    osType: "Windows",
  },
  // Every customer region must be one the versions are replicated to: a copy reads the replica
  // in its own region.
  regions: [{ name: "westeurope", replicas: 2 }, { name: "northeurope" }],
  versions: {
    "1.0.0": { source: { virtualMachineId: capturedVm("win11-build-100") } },
    "1.1.0": { source: { virtualMachineId: capturedVm("win11-build-110") } },
    "1.2.0": { source: { virtualMachineId: capturedVm("win11-build-120") } },
  },
  activeVersion: "1.1.0",
  stagedVersion: "1.2.0",
  evidenceDir: "evidence",
});

const pool = {
  hostPoolType: "Pooled",
  loadBalancerType: "BreadthFirst",
  preferredAppGroupType: "Desktop",
  maxSessionLimit: 12,
} as const;

function customer(c: Customer) {
  // The customer's subscription, signed in to the customer's tenant with a token for the MSP's
  // tenant too: Azure needs both to copy a version across tenants. Credentials (a multi-tenant
  // app registration) come from the environment: ARM_CLIENT_ID, ARM_CLIENT_SECRET.
  const azure = new Provider(`${c.name}-azure`, {
    subscriptionId: c.subscriptionId,
    tenantId: c.tenantId,
    auxiliaryTenantIds: [mspTenantId],
  });
  const replica = new ImageReplica(
    c.name,
    {
      source: win11,
      resourceGroupName: c.resourceGroupName,
      location: c.location,
      galleryName: c.galleryName,
      regions: [{ name: c.location }],
      stagedVersion: c.stagedVersion,
    },
    { providers: [azure] },
  );
  const where = { resourceGroupName: c.resourceGroupName, location: c.location };
  const prod = new ImageHostPool(
    `${c.name}-prod`,
    { ...pool, ...where, image: replica, friendlyName: `${c.name} desktops` },
    { providers: [azure] },
  );
  const validation =
    c.stagedVersion === undefined
      ? undefined
      : new ImageHostPool(
          `${c.name}-val`,
          { ...pool, ...where, image: replica, validationEnvironment: true },
          { providers: [azure] },
        );
  return {
    image: replica.handle(),
    roles: replica.roles,
    prodVersion: prod.imageVersion,
    validationVersion: validation?.imageVersion,
  };
}

const customers = config.requireObject<Customer[]>("customers");
export const msp = win11.handle();
export const replicas = Object.fromEntries(customers.map((c) => [c.name, customer(c)]));
