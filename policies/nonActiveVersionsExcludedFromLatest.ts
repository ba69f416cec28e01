import { StackValidationPolicy } from "@pulumi/policy";
import { managedImages, versionResources } from "./lib/images";
import { known } from "./lib/known";

/** The gallery's implicit "latest" must always be the active version. */
export const nonActiveVersionsExcludedFromLatest: StackValidationPolicy = {
  name: "non-active-versions-excluded-from-latest",
  description:
    'Every version of a GlobalImage other than the active one has excludeFromLatest true, globally and in every target region, so the gallery\'s "latest" is the active version.',
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const image of managedImages(args.resources)) {
      for (const [version, resource] of versionResources(image, args.resources)) {
        const role = image.roles[version];
        if (role === undefined || role === "active") continue;
        const profile = known(
          () =>
            resource.props.publishingProfile as
              | {
                  excludeFromLatest?: boolean;
                  targetRegions?: Array<{ name: string; excludeFromLatest?: boolean }>;
                }
              | undefined,
        );
        const label = `Image version "${resource.name}" (${image.name} ${version}, ${role})`;
        if (!profile.known) {
          reportViolation(
            `${label}: its publishing profile (${profile.path}) is unknown during this preview, so "latest" cannot be checked.`,
            resource.urn,
          );
          continue;
        }
        const places = [
          ...(profile.value?.excludeFromLatest === true ? [] : ["the version"]),
          ...(profile.value?.targetRegions ?? [])
            .filter((r) => r.excludeFromLatest !== true)
            .map((r) => `region ${r.name}`),
        ];
        if (places.length > 0) {
          reportViolation(
            `${label}: excludeFromLatest is not true for ${places.join(", ")}, so "latest" could resolve to it instead of the active version ${image.activeVersion}. Set publishingProfile.excludeFromLatest and every targetRegions[].excludeFromLatest to true (GlobalImage does).`,
            resource.urn,
          );
        }
      }
    }
  },
};
