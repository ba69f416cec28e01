/**
 * The benchmark fleet, written twice: with global-image (one GlobalImage, N ImageHostPools) and
 * by hand with raw azure-native classes, registering the same Azure resources with equivalent
 * inputs (roles worked out inline, exact version ids in each pool's vmTemplate).
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as desktopvirtualization from "@pulumi/azure-native/desktopvirtualization";
import { GlobalImage, ImageHostPool } from "../src";

export const VERSIONS = 20;
const RG = "rg-bench-images";
const POOLS_RG = "rg-bench-pools";
const GALLERY = "bench_gallery";
const IMAGE = "win11-avd";
const REGIONS = [{ name: "westeurope", replicas: 2 }, { name: "northeurope" }];
const version = (i: number) => `1.${i}.0`;
const ACTIVE = VERSIONS - 2;
const STAGED = VERSIONS - 1;
const buildVm = (i: number) =>
  `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-build/providers/Microsoft.Compute/virtualMachines/build-${i}`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const poolName = (i: number) => `hp-${i}`;
const prefix = (i: number) => `hp${i}`.slice(0, 11);

/**
 * Pools are declared `BATCH` at a time, each batch awaited, in both fleets: declared all at once,
 * the SDK holds every in-flight registration (~1.5 MB each under the mock runtime) and 10,000
 * pools run out of a 16 GB heap. Up to 1,000 pools, everything is declared at once.
 */
export const BATCH = 1000;

async function inBatches(pools: number, declare: (i: number) => pulumi.Output<string>) {
  for (let start = 0; start < pools; start += BATCH) {
    const ids = range(Math.min(BATCH, pools - start)).map((i) => declare(start + i));
    await new Promise((resolve) => pulumi.all(ids).apply(resolve));
  }
}

/** With the package. Resolves when every pool's id is known. */
export async function componentFleet(pools: number): Promise<void> {
  const image = new GlobalImage("win11", {
    resourceGroupName: RG,
    location: "westeurope",
    galleryName: GALLERY,
    image: {
      name: IMAGE,
      publisher: "Contoso",
      offer: "avd",
      sku: "win11-24h2",
      osType: "Windows",
    },
    regions: REGIONS,
    versions: Object.fromEntries(
      range(VERSIONS).map((i) => [version(i), { source: { virtualMachineId: buildVm(i) } }]),
    ),
    activeVersion: version(ACTIVE),
    stagedVersion: version(STAGED),
  });
  await inBatches(
    pools,
    (i) =>
      new ImageHostPool(poolName(i), {
        image,
        resourceGroupName: POOLS_RG,
        hostPoolType: "Pooled",
        loadBalancerType: "BreadthFirst",
        preferredAppGroupType: "Desktop",
        validationEnvironment: i === 0,
        vmTemplate: { namePrefix: prefix(i) },
      }).hostPoolId,
  );
}

/** By hand, the same Azure resources. Resolves when every pool's id is known. */
export async function handFleet(pools: number): Promise<void> {
  const gallery = new compute.Gallery("win11-gallery", {
    resourceGroupName: RG,
    galleryName: GALLERY,
    location: "westeurope",
  });
  const definition = new compute.GalleryImage("win11-definition", {
    resourceGroupName: RG,
    galleryName: gallery.name,
    galleryImageName: IMAGE,
    location: "westeurope",
    identifier: { publisher: "Contoso", offer: "avd", sku: "win11-24h2" },
    osType: "Windows",
    osState: "Generalized",
    hyperVGeneration: "V2",
    features: [{ name: "SecurityType", value: "TrustedLaunchSupported" }],
  });
  const role = (i: number) =>
    i === ACTIVE ? "active" : i === STAGED ? "staged" : i === ACTIVE - 1 ? "backup" : "retired";
  const versions = range(VERSIONS).map((i) => {
    const excludeFromLatest = role(i) !== "active";
    const protect = role(i) === "active" || role(i) === "backup";
    return new compute.GalleryImageVersion(
      `win11-${version(i)}`,
      {
        resourceGroupName: RG,
        galleryName: gallery.name,
        galleryImageName: definition.name,
        galleryImageVersionName: version(i),
        location: "westeurope",
        publishingProfile: {
          excludeFromLatest,
          targetRegions: REGIONS.map((r) => ({
            name: r.name,
            regionalReplicaCount: r.replicas ?? 1,
            storageAccountType: "Standard_LRS",
            excludeFromLatest,
          })),
        },
        storageProfile: { source: { virtualMachineId: buildVm(i) } },
        safetyProfile: { allowDeletionOfReplicatedLocations: !protect },
        tags: { "global-image:role": role(i), "global-image:image": IMAGE },
      },
      { protect },
    );
  });
  await inBatches(pools, (i) => {
    const bound = i === 0 ? STAGED : ACTIVE;
    return new desktopvirtualization.HostPool(`${poolName(i)}-pool`, {
      resourceGroupName: POOLS_RG,
      hostPoolName: poolName(i),
      hostPoolType: "Pooled",
      loadBalancerType: "BreadthFirst",
      preferredAppGroupType: "Desktop",
      validationEnvironment: i === 0,
      vmTemplate: versions[bound].id.apply((id) => template(prefix(i), id)),
      tags: { "global-image:image": IMAGE, "global-image:version": version(bound) },
    }).id;
  });
}

function template(namePrefix: string, customImageId: string): string {
  return JSON.stringify({
    domain: "",
    galleryImageOffer: null,
    galleryImagePublisher: null,
    galleryImageSKU: null,
    imageType: "CustomImage",
    customImageId,
    namePrefix,
    osDiskType: "Premium_LRS",
    vmSize: { id: "Standard_D4s_v5", cores: 4, ram: 16 },
    galleryItemId: null,
    hibernate: false,
    diskSizeGB: 128,
    securityType: "TrustedLaunch",
    secureBoot: true,
    vTPM: true,
    vmInfrastructureType: "Cloud",
    virtualProcessorCount: null,
    memoryGB: null,
    maximumMemoryGB: null,
    minimumMemoryGB: null,
    dynamicMemoryConfig: false,
  });
}
