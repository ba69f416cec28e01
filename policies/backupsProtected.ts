import { StackValidationPolicy } from "@pulumi/policy";
import { withDefaults } from "./lib/config";
import { managedImages, versionResources } from "./lib/images";
import { knownOr } from "./lib/known";
import { describeResource } from "./lib/types";

/** A rollback needs a backup, and active/backup versions must survive an accidental delete. */
export const backupsProtected: StackValidationPolicy = {
  name: "backups-protected",
  description:
    "Each GlobalImage and ImageReplica keeps at least minBackups backups, and its active and backup versions are protected (Pulumi protect and Azure's blockDeletionBeforeEndOfLife).",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      minBackups: {
        type: "integer",
        minimum: 0,
        default: 1,
        description: "The fewest backups each image must keep for a rollback.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const { minBackups } = withDefaults(args, { minBackups: 1 });
    for (const image of managedImages(args.resources)) {
      const backups = Object.keys(image.roles).filter((v) => image.roles[v] === "backup");
      if (backups.length < minBackups) {
        reportViolation(
          `${describeResource(image.resource.type, image.resource.name)}: ${image.name} keeps ${backups.length} backup(s); at least ${minBackups} are needed for a rollback. Keep older versions declared and retainBackups at ${minBackups} or more.`,
          image.resource.urn,
        );
      }
      for (const [version, resource] of versionResources(image, args.resources)) {
        const role = image.roles[version];
        if (role !== "active" && role !== "backup") continue;
        const missing = [
          ...(resource.opts.protect ? [] : ["the protect resource option"]),
          ...(knownOr(
            () => resource.props.safetyProfile?.blockDeletionBeforeEndOfLife === true,
            false,
          )
            ? []
            : ["Azure's blockDeletionBeforeEndOfLife (give the version an endOfLifeDate)"]),
        ];
        if (missing.length > 0) {
          reportViolation(
            `Image version "${resource.name}" (${image.name} ${version}, ${role}): lacks ${missing.join(" and ")}.`,
            resource.urn,
          );
        }
      }
    }
  },
};
