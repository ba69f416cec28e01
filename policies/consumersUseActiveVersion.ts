import { StackValidationPolicy } from "@pulumi/policy";
import { Consumer, consumers, matchImage, referencedVersion, roleFor } from "./lib/consumers";
import { managedImages } from "./lib/images";
import { GUARDRAILS_SCHEMA } from "../src/domain/guardrails/guardrails";

/** Production consumers boot the active version; validation pools may boot the staged one. */
export const consumersUseActiveVersion: StackValidationPolicy = {
  name: "consumers-use-active-version",
  description:
    'Every AVD host pool, scale set and VM that boots a managed image boots its active version (validation host pools may boot the staged one): never the bare definition, "latest", a backup, retired or withdrawn version. Session hosts an ImageHostPool is still rolling to its version keep theirs until the rollout replaces them; a pool in a ring may run a backup its ring has not left yet (ring-order-respected).',
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const images = managedImages(args.resources);
    for (const consumer of consumers(args.resources)) {
      const problem = problemOf(consumer, images);
      if (problem) reportViolation(`${consumer.label}: ${problem}`, consumer.resource.urn);
    }
  },
};

function problemOf(
  consumer: Consumer,
  images: ReturnType<typeof managedImages>,
): string | undefined {
  const { ref, binding } = consumer;
  if (binding && !binding.readable)
    return `its ImageHostPool "${binding.pool}" registered no guardrails output of schema ${GUARDRAILS_SCHEMA} (a global-image release older than this pack?), so what it is bound to cannot be checked. Use the same global-image release for the program and the pack.`;
  if (ref.kind === "none" || ref.kind === "external") return undefined;
  if (ref.kind === "unresolved") {
    return `its image cannot be resolved (${ref.reason}), so it cannot be checked: a missing or partial stack output? Bind it to a GlobalImage or ImageHandle.fromStack of a stack that exports the image's handle.`;
  }
  if (ref.kind === "unknown") {
    return `its image (${ref.path}) is unknown during this preview and it has no global-image:image/version tags, so it cannot be checked. Tag it with imageTags(image) next to vmImageReference(image), or bind it with ImageHostPool.`;
  }
  // The pool itself (its vmTemplate, what new hosts boot) is on the bound version; its old hosts
  // move to it one rollout step at a time.
  if (consumer.rolling) return undefined;
  const image = matchImage(ref, images);
  if (!image && !binding) return undefined; // Not a managed image: consumers-use-managed-images decides.
  const name = image?.name ?? binding?.imageName ?? "the image";
  const active = image?.activeVersion ?? binding?.activeVersion;
  const fix = consumer.validation
    ? `Bind it to the staged or active version (ImageHostPool with validationEnvironment: true).`
    : `Bind it to the active version ${active} (ImageHostPool, or vmImageReference(image)).`;
  const version = referencedVersion(ref);
  if (version === undefined || version.toLowerCase() === "latest") {
    const what = version === undefined ? "the bare image definition" : '"latest"';
    return `it boots ${what} of ${name}, which moves without a promotion. ${fix}`;
  }
  const role = roleFor(version, image, binding);
  if (role === "active" || (role === "staged" && consumer.validation)) return undefined;
  // A pool in a ring runs a kept version its ring has reached: ring-order-respected judges which.
  if (binding?.ring !== undefined && role === "backup" && !consumer.validation) return undefined;
  if (role === undefined) return undefined;
  const why = role === "undeclared" ? "which is not a declared version" : `which is ${role}`;
  const scope = consumer.validation
    ? "validation pools use the staged or active version"
    : "production uses the active version only";
  return `it boots ${name} ${version}, ${why}; ${scope}. ${fix}`;
}
