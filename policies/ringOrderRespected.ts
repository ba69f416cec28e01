import { StackValidationPolicy } from "@pulumi/policy";
import { Binding, consumers, matchImage, referencedVersion } from "./lib/consumers";
import { ManagedImage, managedImages, readRings } from "./lib/images";
import { knownOr } from "./lib/known";
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
      if (!world) continue;
      const problem = ringProblem(world, ring, version, now);
      if (problem) reportViolation(`${consumer.label}: ${problem}`, consumer.resource.urn);
    }
    for (const replica of args.resources.filter((r) => r.type === Types.ImageReplica)) {
      const ring = knownOr(() => replica.props.ring as unknown, undefined);
      const active = knownOr(() => replica.props.activeVersion as unknown, undefined);
      const source = knownOr(
        () => replica.props.source as Record<string, unknown> | undefined,
        undefined,
      );
      if (typeof ring !== "string" || typeof active !== "string") continue;
      const world: RingWorld = {
        rings: readRings(source?.rings),
        roles: (source?.roles ?? {}) as Record<string, string>,
        activatedAt: (source?.activatedAt ?? {}) as Record<string, string>,
        activeVersion: String(source?.activeVersion ?? ""),
      };
      const problem = ringProblem(world, ring, active, now);
      if (problem) reportViolation(`ImageReplica "${replica.name}": ${problem}`, replica.urn);
    }
  },
};

/** The ring record of a pool: its image in this stack, else the one its binding carries. */
function worldOf(
  image: ManagedImage | undefined,
  binding: Binding | undefined,
): RingWorld | undefined {
  if (image && image.rings.length > 0) return image;
  const source = binding?.ringSource;
  const rings = readRings(source?.rings);
  if (!source || rings.length === 0 || binding?.activeVersion === undefined) return undefined;
  return {
    rings,
    roles: (source.roles ?? {}) as Record<string, string>,
    activatedAt: (source.activatedAt ?? {}) as Record<string, string>,
    activeVersion: binding.activeVersion,
  };
}
