import { StackValidationPolicy } from "@pulumi/policy";
import { consumers, matchImage, referencedVersion } from "./lib/consumers";
import { managedImages } from "./lib/images";

/** A consumer in a region its version does not reach boots across regions, or fails to. */
export const activeVersionReplicatedToConsumerRegions: StackValidationPolicy = {
  name: "active-version-replicated-to-consumer-regions",
  description:
    "Each consumer's region is among the target regions of the image version it boots, so session hosts and scale-outs read a local replica.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const images = managedImages(args.resources);
    for (const consumer of consumers(args.resources)) {
      if (consumer.location === undefined) continue;
      const image = matchImage(consumer.ref, images);
      const version = referencedVersion(consumer.ref);
      const regions =
        image && version
          ? image.regions[version]
          : version === consumer.binding?.activeVersion
            ? consumer.binding?.regions
            : undefined;
      if (!regions || regions.length === 0 || regions.includes(consumer.location)) continue;
      reportViolation(
        `${consumer.label}: it is in ${consumer.location}, but ${image?.name ?? consumer.binding?.imageName} ${version} is replicated only to ${regions.join(", ")}. Add ${consumer.location} to the version's regions.`,
        consumer.resource.urn,
      );
    }
  },
};
