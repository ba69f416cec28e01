import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { normalizeRegion } from "../src/domain/common/checks";
import { managedImages, versionResources } from "./lib/images";
import { GuardrailsSource, rolesOf } from "../src/domain/guardrails/guardrails";
import { known } from "./lib/known";
import { Types } from "./lib/types";

/** A replica runs what its source allows, copied from where the source has it. */
export const replicasFollowSource: StackValidationPolicy = {
  name: "replicas-follow-source",
  description:
    "Each ImageReplica's active version is active or a backup at its source, its staged version is the source's staged or active one, it holds no version the source withdrew, and each copy is made in a region the source version is replicated to.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const replica of managedImages(args.resources)) {
      if (replica.resource.type !== Types.ImageReplica) continue;
      const label = `ImageReplica "${replica.resource.name}" (${replica.name})`;
      const source = summaryOf(replica.source);
      if (!source) {
        reportViolation(
          `${label}: its guardrails output says nothing of its source, so it cannot be checked. Declare it with the ImageReplica component.`,
          replica.resource.urn,
        );
        continue;
      }
      const at = (v: string) => source.roles[v] ?? "not a version";
      const problems: string[] = [];
      const active = replica.activeVersion;
      if (!["active", "backup"].includes(at(active)))
        problems.push(
          `its active version ${active} is ${at(active)} at the source; use the source's active version or one of its backups`,
        );
      const staged = replica.stagedVersion;
      if (
        staged !== undefined &&
        staged !== source.stagedVersion &&
        staged !== source.activeVersion
      )
        problems.push(
          `its staged version ${staged} is ${at(staged)} at the source; only the source's staged or active version can be tested`,
        );
      for (const v of Object.keys(replica.roles).filter((v) => source.roles[v] === "withdrawn"))
        problems.push(`it holds ${v}, which the source withdrew; remove it`);
      for (const [v, resource] of versionResources(replica, args.resources)) {
        const problem = copyRegionProblem(v, resource, source);
        if (problem) problems.push(problem);
      }
      for (const problem of problems)
        reportViolation(`${label}: ${problem}.`, replica.resource.urn);
    }
  },
};

/**
 * Why a copy's region is wrong, or cannot be judged (fail closed): Azure copies a version from the
 * source's replica in the region of the new version.
 */
function copyRegionProblem(
  version: string,
  copy: PolicyResource,
  source: SourceSummary,
): string | undefined {
  const location = known(() => copy.props.location as unknown);
  const reached = source.regions?.[version] ?? [];
  if (reached.length === 0)
    return `its guardrails output does not say where the source replicates ${version}, so the copy's region cannot be checked; declare it with the ImageReplica component`;
  if (!location.known)
    return `the region of its copy of ${version} (${location.path}) is unknown during this preview, so it cannot be checked against the source's regions (${reached.join(", ")})`;
  if (typeof location.value !== "string")
    return `its copy of ${version} has no location (it would take the resource group's region), so it cannot be checked against the source's regions (${reached.join(", ")}); set the replica's location`;
  const region = normalizeRegion(location.value);
  if (reached.includes(region)) return undefined;
  return `its copy of ${version} is made in ${region}, where the source version has no replica (it is in ${reached.join(", ")}); add ${region} to the source version's regions`;
}

/** What the policy needs of a replica's source. */
interface SourceSummary {
  activeVersion?: string;
  stagedVersion?: string;
  roles: Record<string, string>;
  regions: Record<string, string[]>;
}

/** The source as the replica's guardrails record carries it, or undefined when it does not. */
function summaryOf(source: GuardrailsSource | undefined): SourceSummary | undefined {
  if (typeof source?.versions !== "object" || source.versions === null) return undefined;
  return {
    activeVersion: source.activeVersion,
    stagedVersion: source.stagedVersion,
    roles: rolesOf(source.versions),
    regions: Object.fromEntries(
      Object.entries(source.versions).map(([v, d]) => [v, (d.regions ?? []).map(normalizeRegion)]),
    ),
  };
}
