/**
 * The role of each image version, computed by one pure function shared by the component, the
 * policy pack and the CLI, so "role" has exactly one definition.
 */
import { compareVersions, sortVersions } from "./version";

/** The role a declared image version plays. */
export const ImageRole = {
  /** The version production uses: the gallery's "latest", every production consumer's image. */
  Active: "active",
  /** Published for testing: excluded from "latest", used only by validation host pools. */
  Staged: "staged",
  /** A previous active version kept, protected, for a one-property rollback. */
  Backup: "backup",
  /** Older than the kept backups: excluded from "latest", unprotected, safe to remove. */
  Retired: "retired",
  /**
   * Found bad or not wanted: marked `withdrawn` (a rollback marks the version it leaves), or above
   * the active version and not staged. Never used, never a backup.
   */
  Withdrawn: "withdrawn",
} as const;

/** The role a declared image version plays. */
export type ImageRole = (typeof ImageRole)[keyof typeof ImageRole];

/** What a role means for the gallery version resource. */
export interface RoleRule {
  /** Kept out of the gallery's implicit "latest" (globally and in every target region). */
  readonly excludeFromLatest: boolean;
  /** Pulumi `protect` and, when the version has an end-of-life date, Azure's deletion block. */
  readonly protect: boolean;
}

/** The one table of role flags; a new role fails to compile until it is added here. */
export const ROLE_RULES: { readonly [K in ImageRole]: RoleRule } = {
  active: { excludeFromLatest: false, protect: true },
  staged: { excludeFromLatest: true, protect: false },
  backup: { excludeFromLatest: true, protect: true },
  retired: { excludeFromLatest: true, protect: false },
  withdrawn: { excludeFromLatest: true, protect: false },
};

/** Every role, in the order a person reads them. */
export const IMAGE_ROLES: readonly ImageRole[] = Object.values(ImageRole);

/** Inputs to {@link computeRoles}; all versions must already be valid names. */
export interface RoleInputs {
  /** Every declared version name. */
  readonly versions: readonly string[];
  /** The version production uses; must be one of `versions`. */
  readonly activeVersion: string;
  /** The version under test; equal to `activeVersion` (or absent) when nothing is staged. */
  readonly stagedVersion?: string;
  /** How many versions below the active one stay protected backups. @default 1 */
  readonly retainBackups?: number;
  /** Versions marked withdrawn: withdrawn wherever they are, never a backup. @default none */
  readonly withdrawnVersions?: readonly string[];
}

/**
 * The role of every declared version:
 * - `active`: `activeVersion`;
 * - `staged`: `stagedVersion` when it differs from `activeVersion`;
 * - `withdrawn`: versions marked withdrawn, and versions above the active one that are not staged;
 * - `backup`: the `retainBackups` highest of the rest below the active one;
 * - `retired`: everything else.
 *
 * The caller validates; this function only assumes the active and staged versions are declared
 * and not marked withdrawn.
 */
export function computeRoles(inputs: RoleInputs): Record<string, ImageRole> {
  const { activeVersion, stagedVersion } = inputs;
  const retainBackups = inputs.retainBackups ?? 1;
  const marked = new Set(inputs.withdrawnVersions ?? []);
  const roles: Record<string, ImageRole> = {};
  let backupsLeft = retainBackups;
  for (const version of sortVersions(inputs.versions).reverse()) {
    const order = compareVersions(version, activeVersion);
    if (order === 0) roles[version] = ImageRole.Active;
    else if (version === stagedVersion) roles[version] = ImageRole.Staged;
    else if (order > 0 || marked.has(version)) roles[version] = ImageRole.Withdrawn;
    else if (backupsLeft > 0) {
      roles[version] = ImageRole.Backup;
      backupsLeft -= 1;
    } else roles[version] = ImageRole.Retired;
  }
  return roles;
}

/** The versions holding `role`, in ascending order. */
export function versionsWithRole(
  roles: Readonly<Record<string, ImageRole>>,
  role: ImageRole,
): string[] {
  return sortVersions(Object.keys(roles).filter((v) => roles[v] === role));
}

/** The version a rollback returns to: the newest backup, or `undefined` when none is kept. */
export function newestBackup(roles: Readonly<Record<string, ImageRole>>): string | undefined {
  return versionsWithRole(roles, ImageRole.Backup).pop();
}
