/**
 * The ring fleet: one image with 10 versions and 5 rings (the last two with weekend windows),
 * and 1,000 production host pools spread over the rings, for section 9.
 */
import * as pulumi from "@pulumi/pulumi";
import { GlobalImage, ImageHostPool } from "../src";
import type { RingArgs } from "../src";

export const RING_NAMES = ["canary", "pilot", "early", "main", "broad"];
const WINDOW = {
  timeZone: "Europe/Amsterdam",
  days: ["Sat" as const, "Sun" as const],
  start: "22:00",
  hours: 6,
};
export const RINGS: RingArgs[] = [
  { name: "canary" },
  { name: "pilot", soakDays: 1 },
  { name: "early", soakDays: 2 },
  { name: "main", soakDays: 3, window: WINDOW },
  { name: "broad", soakDays: 7, window: WINDOW },
];
export const VERSIONS = Array.from({ length: 10 }, (_, i) => `1.${i}.0`);
/** Version i was activated i × 10 days after 1 September 2026; the newest is active. */
export const activatedAt = (i: number) =>
  new Date(Date.parse("2026-09-01T10:00:00Z") + i * 10 * 86_400_000)
    .toISOString()
    .replace(".000Z", "Z");
export const NOW = "2026-12-04T12:00:00Z";

const buildVm = (v: string) =>
  `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-build/providers/Microsoft.Compute/virtualMachines/build-${v}`;

/** The image and `pools` pools, pool i in ring i mod 5. */
export async function ringFleet(pools: number): Promise<void> {
  const image = new GlobalImage("win11", {
    resourceGroupName: "rg-images",
    location: "westeurope",
    galleryName: "ring_gallery",
    image: {
      name: "win11-avd",
      publisher: "Contoso",
      offer: "avd",
      sku: "win11",
      osType: "Windows",
    },
    regions: [{ name: "westeurope" }],
    versions: Object.fromEntries(
      VERSIONS.map((v, i) => [
        v,
        { source: { virtualMachineId: buildVm(v) }, activatedAt: activatedAt(i) },
      ]),
    ),
    activeVersion: VERSIONS[VERSIONS.length - 1],
    retainBackups: 4,
    rings: RINGS,
  });
  const ids = Array.from(
    { length: pools },
    (_, i) =>
      new ImageHostPool(`hp-${i}`, {
        image,
        ring: RING_NAMES[i % RING_NAMES.length],
        resourceGroupName: "rg-pools",
        hostPoolType: "Pooled",
        loadBalancerType: "BreadthFirst",
        preferredAppGroupType: "Desktop",
        vmTemplate: { namePrefix: `hp${i}`.slice(0, 11) },
      }).hostPoolId,
  );
  await new Promise((resolve) => pulumi.all(ids).apply(resolve));
}
