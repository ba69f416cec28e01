import { StackValidationPolicy } from "@pulumi/policy";
import { normalizeRegion } from "../src/domain/checks";
import { managedImages, versionResources } from "./lib/images";
import { knownOr } from "./lib/known";
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
      const source = knownOr(
        () => replica.resource.props.source as SourceSummary | undefined,
        undefined,
      );
      if (!source?.roles) {
        reportViolation(
          `${label}: its source's roles are not in its inputs, so it cannot be checked. Declare it with the ImageReplica component.`,
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
        const location = knownOr(() => resource.props.location as unknown, undefined);
        const reached = source.regions?.[v] ?? [];
        if (typeof location !== "string" || reached.length === 0) continue;
        if (!reached.includes(normalizeRegion(location)))
          problems.push(
            `its copy of ${v} is made in ${normalizeRegion(location)}, where the source version has no replica (it is in ${reached.join(", ")}); add ${normalizeRegion(location)} to the source version's regions`,
          );
      }
      for (const problem of problems)
        reportViolation(`${label}: ${problem}.`, replica.resource.urn);
    }
  },
};

/** What an ImageReplica hands the engine about its source. */
interface SourceSummary {
  activeVersion?: string;
  stagedVersion?: string;
  roles: Record<string, string>;
  regions?: Record<string, string[]>;
}
