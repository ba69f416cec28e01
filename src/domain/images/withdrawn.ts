/**
 * Withdrawn versions are explicit: a version is withdrawn because it is marked so
 * (`withdrawn: true`), never because of where it sits. Roles have no history, so a version above
 * the active one that is neither staged nor marked would silently become the newest backup (a
 * rollback target) once a promotion passes it; such a config is refused instead.
 */
import { optionalBoolean } from "../common/checks";
import { invalid, keyField } from "../common/errors";
import { compareVersions, sortVersions } from "./version";

/** The versions marked `withdrawn: true`, after checking the marks against the roles in use. */
export function withdrawnVersions(
  entries: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  activeVersion: string,
  stagedVersion: string | undefined,
): string[] {
  const marked = sortVersions(Object.keys(entries)).filter((version) =>
    optionalBoolean(`versions${keyField(version)}.withdrawn`, entries[version].withdrawn, false),
  );
  const inUse: [string, string | undefined][] = [
    ["activeVersion", activeVersion],
    ["stagedVersion", stagedVersion],
  ];
  for (const [field, version] of inUse) {
    if (version !== undefined && marked.includes(version)) {
      throw invalid(
        field,
        version,
        `names a version marked withdrawn (versions${keyField(version)}.withdrawn: true)`,
        `Remove "withdrawn" from versions${keyField(version)} to use it again, or name another version.`,
      );
    }
  }
  const unaccounted = sortVersions(Object.keys(entries)).find(
    (v) => compareVersions(v, activeVersion) > 0 && v !== stagedVersion && !marked.includes(v),
  );
  if (unaccounted !== undefined) {
    throw invalid(
      `versions${keyField(unaccounted)}`,
      unaccounted,
      `is above the active version ${activeVersion} but neither staged nor marked withdrawn, so a later promotion would make it a backup`,
      `Stage it (stagedVersion), mark it withdrawn: true (global-image rollback does), or remove it.`,
    );
  }
  return marked;
}
