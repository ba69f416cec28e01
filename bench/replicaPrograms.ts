/**
 * The customer fleet, written twice: one MSP GlobalImage copied into C customer galleries, each
 * customer with its own azure-native provider (its subscription, the MSP tenant as auxiliary) and
 * two production host pools on its copy. With global-image (ImageReplica, ImageHostPool) and by
 * hand (the same Azure resources, roles worked out inline, each copy's source the MSP version id).
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as desktopvirtualization from "@pulumi/azure-native/desktopvirtualization";
import { Provider } from "@pulumi/azure-native/provider";
import { GlobalImage, ImageHostPool, ImageReplica } from "../src";

const VERSIONS = ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"];
const RG = "rg-msp-images";
const IMAGE = "win11-avd";
const REGIONS = [{ name: "westeurope", replicas: 2 }, { name: "northeurope" }];
const buildVm = (v: string) =>
  `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-build/providers/Microsoft.Compute/virtualMachines/build-${v}`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const customer = (i: number) => `c${i}`;
const subscription = (i: number) => `00000000-0000-0000-0001-${String(i).padStart(12, "0")}`;
const MSP_TENANT = "aaaaaaaa-0000-0000-0000-000000000001";
const POOLS = ["prod", "office"];

/** Customers are declared this many at a time, each batch awaited, in both fleets. */
const BATCH = 50;

async function inBatches(customers: number, declare: (i: number) => pulumi.Output<string>[]) {
  for (let start = 0; start < customers; start += BATCH) {
    const ids = range(Math.min(BATCH, customers - start)).flatMap((i) => declare(start + i));
    await new Promise((resolve) => pulumi.all(ids).apply(resolve));
  }
}

const providerFor = (i: number) =>
  new Provider(`${customer(i)}-azure`, {
    subscriptionId: subscription(i),
    tenantId: `bbbbbbbb-0000-0000-0000-${String(i).padStart(12, "0")}`,
    auxiliaryTenantIds: [MSP_TENANT],
  });

/** The MSP image's arguments; `active` is its active version (1.4.0 is staged before that). */
function mspImage(active: string) {
  return new GlobalImage("msp", {
    resourceGroupName: RG,
    location: "westeurope",
    galleryName: "msp_images",
    image: {
      name: IMAGE,
      publisher: "Contoso",
      offer: "avd",
      sku: "win11-24h2",
      osType: "Windows",
    },
    regions: REGIONS,
    versions: Object.fromEntries(
      VERSIONS.map((v) => [v, { source: { virtualMachineId: buildVm(v) } }]),
    ),
    activeVersion: active,
    stagedVersion: "1.4.0",
  });
}

/** With the package. */
export async function componentReplicas(customers: number, active = "1.3.0"): Promise<void> {
  const image = mspImage(active);
  await inBatches(customers, (i) => {
    const providers = [providerFor(i)];
    const where = { resourceGroupName: `rg-${customer(i)}`, location: "westeurope" };
    const replica = new ImageReplica(
      customer(i),
      {
        source: image,
        ...where,
        galleryName: `${customer(i)}_images`,
        regions: [{ name: "westeurope" }],
      },
      { providers },
    );
    return POOLS.map(
      (p) =>
        new ImageHostPool(
          `${customer(i)}-${p}`,
          {
            ...where,
            image: replica,
            hostPoolType: "Pooled",
            loadBalancerType: "BreadthFirst",
            preferredAppGroupType: "Desktop",
            vmTemplate: { namePrefix: `${customer(i)}${p}`.slice(0, 11) },
          },
          { providers },
        ).hostPoolId,
    );
  });
}

const role = (v: string, active: string, staged?: string) => {
  const rank = VERSIONS.indexOf(v) - VERSIONS.indexOf(active);
  if (rank === 0) return "active";
  if (v === staged) return "staged";
  if (rank > 0) return "withdrawn";
  return rank === -1 ? "backup" : "retired";
};

function versionArgs(
  v: string,
  r: string,
  where: { resourceGroupName: string; galleryName: string },
  targets: typeof REGIONS,
) {
  const excludeFromLatest = r !== "active";
  const protect = r === "active" || r === "backup";
  return {
    args: {
      ...where,
      galleryImageName: IMAGE,
      galleryImageVersionName: v,
      location: "westeurope",
      publishingProfile: {
        excludeFromLatest,
        targetRegions: targets.map((t) => ({
          name: t.name,
          regionalReplicaCount: t.replicas ?? 1,
          storageAccountType: "Standard_ZRS",
          excludeFromLatest,
        })),
      },
      safetyProfile: {
        blockDeletionBeforeEndOfLife: false,
        allowDeletionOfReplicatedLocations: !protect,
      },
      tags: { "global-image:role": r, "global-image:image": IMAGE, "global-image:version": v },
    },
    protect,
  };
}

function definition(name: string, rg: string, gallery: string, opts: pulumi.CustomResourceOptions) {
  const g = new compute.Gallery(
    `${name}-gallery`,
    { resourceGroupName: rg, galleryName: gallery, location: "westeurope" },
    opts,
  );
  const d = new compute.GalleryImage(
    `${name}-image`,
    {
      resourceGroupName: rg,
      galleryName: gallery,
      galleryImageName: IMAGE,
      location: "westeurope",
      identifier: { publisher: "Contoso", offer: "avd", sku: "win11-24h2" },
      osType: "Windows",
      osState: "Generalized",
      hyperVGeneration: "V2",
      features: [{ name: "SecurityType", value: "TrustedLaunch" }],
      tags: { "global-image:image": IMAGE },
    },
    { ...opts, dependsOn: [g] },
  );
  return d;
}

/** By hand, the same Azure resources. */
export async function handReplicas(customers: number, active = "1.3.0"): Promise<void> {
  const mspDef = definition("msp", RG, "msp_images", {});
  const msp: Record<string, compute.GalleryImageVersion> = {};
  for (const v of VERSIONS) {
    const { args, protect } = versionArgs(
      v,
      role(v, active, "1.4.0"),
      { resourceGroupName: RG, galleryName: "msp_images" },
      REGIONS,
    );
    msp[v] = new compute.GalleryImageVersion(
      `msp-${v}`,
      { ...args, storageProfile: { source: { virtualMachineId: buildVm(v) } } },
      { protect, dependsOn: [mspDef] },
    );
  }
  const copied = VERSIONS.filter((v) => VERSIONS.indexOf(v) <= VERSIONS.indexOf(active));
  await inBatches(customers, (i) => {
    const provider = providerFor(i);
    const where = { resourceGroupName: `rg-${customer(i)}`, galleryName: `${customer(i)}_images` };
    const def = definition(customer(i), where.resourceGroupName, where.galleryName, { provider });
    const copies: Record<string, compute.GalleryImageVersion> = {};
    for (const v of copied) {
      const { args, protect } = versionArgs(v, role(v, active), where, [
        { name: "westeurope", replicas: 1 },
      ]);
      copies[v] = new compute.GalleryImageVersion(
        `${customer(i)}-${v}`,
        { ...args, storageProfile: { source: { id: msp[v].id } } },
        { protect, dependsOn: [def], provider },
      );
    }
    return POOLS.map(
      (p) =>
        new desktopvirtualization.HostPool(
          `${customer(i)}-${p}-pool`,
          {
            resourceGroupName: where.resourceGroupName,
            location: "westeurope",
            hostPoolName: `${customer(i)}-${p}`,
            hostPoolType: "Pooled",
            loadBalancerType: "BreadthFirst",
            preferredAppGroupType: "Desktop",
            vmTemplate: copies[active].id.apply((id) =>
              JSON.stringify({
                imageType: "CustomImage",
                customImageId: id,
                namePrefix: `${customer(i)}${p}`.slice(0, 11),
              }),
            ),
            tags: { "global-image:image": IMAGE, "global-image:version": active },
          },
          { provider },
        ).id,
    );
  });
}
