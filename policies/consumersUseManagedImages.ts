import { StackValidationPolicy } from "@pulumi/policy";
import { withDefaults } from "./lib/config";
import { consumers, matchImage } from "./lib/consumers";
import { managedImages } from "./lib/images";

/** Consumers boot tested, managed images, not marketplace or hand-made ones. */
export const consumersUseManagedImages: StackValidationPolicy = {
  name: "consumers-use-managed-images",
  description:
    "AVD host pools, scale sets and VMs boot a GlobalImage version (in this stack, or through an ImageHostPool bound to an image handle), not a marketplace or unmanaged image, unless the image is listed in allowedImageIds.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      allowedImageIds: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          'Image ids, or marketplace images as "marketplace:<publisher>:<offer>:<sku>", consumers may boot.',
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const { allowedImageIds } = withDefaults(args, { allowedImageIds: [] as string[] });
    const allowed = new Set(allowedImageIds.map((id) => id.toLowerCase()));
    const images = managedImages(args.resources);
    for (const consumer of consumers(args.resources)) {
      const { ref } = consumer;
      if (
        ref.kind === "none" ||
        ref.kind === "unknown" ||
        ref.kind === "unresolved" ||
        ref.kind === "tags"
      )
        continue;
      if (ref.kind === "gallery" && (matchImage(ref, images) || consumer.binding)) continue;
      const id = ref.kind === "gallery" ? ref.id : ref.description;
      if (allowed.has(id.toLowerCase())) continue;
      const what = id.startsWith("marketplace:")
        ? `the marketplace image ${id.slice(12)}`
        : `the unmanaged image ${id}`;
      reportViolation(
        `${consumer.label}: it boots ${what}, which no GlobalImage stages and tests. Boot a GlobalImage version, or add the image to allowedImageIds.`,
        consumer.resource.urn,
      );
    }
  },
};
