import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { foreignVersions, readImages, versionNameOf, versionResources } from "./lib/images";
import { known } from "./lib/known";
import { describeResource } from "./lib/types";

/** The gallery's implicit "latest" must always be the active version. */
export const nonActiveVersionsExcludedFromLatest: StackValidationPolicy = {
  name: "non-active-versions-excluded-from-latest",
  description:
    'Every version of a GlobalImage or ImageReplica other than the active one, including a version declared outside the component under its image definition, has excludeFromLatest true, globally and in every target region, so the gallery\'s "latest" is the active version. An image whose guardrails output cannot be read is a violation.',
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const { images, unreadable } = readImages(args.resources);
    for (const { resource, why } of unreadable)
      reportViolation(`${describeResource(resource.type, resource.name)}: ${why}.`, resource.urn);
    for (const image of images) {
      for (const [version, resource] of versionResources(image, args.resources)) {
        const role = image.roles[version];
        if (role === undefined || role === "active") continue;
        const label = `Image version "${resource.name}" (${image.name} ${version}, ${role})`;
        const problem = latestProblem(resource, image.activeVersion);
        if (problem) reportViolation(`${label}: ${problem}`, resource.urn);
      }
      for (const resource of foreignVersions(image, args.resources)) {
        const version = versionNameOf(resource) ?? "(version unknown in this preview)";
        if (version === image.activeVersion) continue;
        const label = `Image version "${resource.name}" (${image.name} ${version}, declared outside ${describeResource(image.resource.type, image.resource.name)})`;
        const problem = latestProblem(resource, image.activeVersion);
        if (problem)
          reportViolation(
            `${label}: ${problem} Or declare the version in the component's versions, which sets them.`,
            resource.urn,
          );
      }
    }
  },
};

/** Why `resource` could be "latest" instead of `active`, or undefined when it cannot. */
function latestProblem(resource: PolicyResource, active: string): string | undefined {
  const profile = known(
    () =>
      resource.props.publishingProfile as
        | {
            excludeFromLatest?: boolean;
            targetRegions?: Array<{ name: string; excludeFromLatest?: boolean }>;
          }
        | undefined,
  );
  if (!profile.known)
    return `its publishing profile (${profile.path}) is unknown during this preview, so "latest" cannot be checked.`;
  const places = [
    ...(profile.value?.excludeFromLatest === true ? [] : ["the version"]),
    ...(profile.value?.targetRegions ?? [])
      .filter((r) => r.excludeFromLatest !== true)
      .map((r) => `region ${r.name}`),
  ];
  if (places.length === 0) return undefined;
  return `excludeFromLatest is not true for ${places.join(", ")}, so "latest" could resolve to it instead of the active version ${active}. Set publishingProfile.excludeFromLatest and every targetRegions[].excludeFromLatest to true (GlobalImage does).`;
}
