import { StackValidationPolicy } from "@pulumi/policy";
import { Binding, consumers, matchImage, referencedVersion } from "./lib/consumers";
import { ManagedImage, managedImages, readRings } from "./lib/images";
import { activatedAtOf, rolesOf } from "../src/domain/guardrails/guardrails";
import { RingWorld, ringProblem } from "./lib/rings";
import { Types } from "./lib/types";
import { currentTime } from "../src/component/clock";

/** Consumers in a ring run no version the ring has not reached (soak times and windows). */
export const ringOrderRespected: StackValidationPolicy = {
  name: "ring-order-respected",
  description:
    "A consumer in an image ring (an ImageHostPool or ImageReplica with ring) runs no version newer than the ring has reached: each ring gets a version only after it soaked in the ring before it, inside the ring's change window.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const now = currentTime();
    const images = managedImages(args.resources);
    for (const consumer of consumers(args.resources)) {
      const ring = consumer.binding?.ring;
      const version = referencedVersion(consumer.ref);
      if (ring === undefined || version === undefined) continue;
      // The image of this stack, else (a customer stack) what the pool's binding was made from.
      const world = worldOf(matchImage(consumer.ref, images), consumer.binding);
      const problem =
        typeof world === "string"
          ? `it is in ring "${ring}", but ${world}`
          : ringProblem(world, ring, version, now);
      if (problem) reportViolation(`${consumer.label}: ${problem}`, consumer.resource.urn);
    }
    for (const replica of images.filter((i) => i.resource.type === Types.ImageReplica)) {
      const { ring, source } = replica;
      if (ring === undefined) continue;
      const label = `ImageReplica "${replica.resource.name}"`;
      if (typeof source?.activeVersion !== "string" || typeof source.versions !== "object") {
        reportViolation(
          `${label}: it is in ring "${ring}", but its guardrails output does not say its source's active version, so the ring cannot be checked. Declare it with the ImageReplica component.`,
          replica.resource.urn,
        );
        continue;
      }
      const world: RingWorld = {
        rings: readRings(source.rings),
        roles: rolesOf(source.versions),
        activatedAt: activatedAtOf(source.versions),
        activeVersion: source.activeVersion,
      };
      const problem = ringProblem(world, ring, replica.activeVersion, now);
      if (problem) reportViolation(`${label}: ${problem}`, replica.resource.urn);
    }
  },
};

/**
 * The ring record of a pool: its image in this stack (whose undeclared or unreadable rings make
 * the ring unknown, a violation), else the one its binding carries, else why there is none.
 */
function worldOf(
  image: ManagedImage | undefined,
  binding: Binding | undefined,
): RingWorld | string {
  if (image) return image;
  const source = binding?.ringSource;
  if (!source || binding?.activeVersion === undefined)
    return "neither this stack nor the pool's binding holds the image's rings, so the ring cannot be checked. Bind the pool with ImageHostPool to a GlobalImage, an ImageReplica or a handle read with ImageHandle.fromStackAsync.";
  return {
    rings: readRings(source.rings),
    roles: (source.roles ?? {}) as Record<string, string>,
    activatedAt: (source.activatedAt ?? {}) as Record<string, string>,
    activeVersion: binding.activeVersion,
  };
}
