/**
 * Azure Compute Gallery version names: `MAJOR.MINOR.PATCH`, each part a non-negative 32-bit
 * integer, no prerelease or build suffix, no leading `v`. Parsed once, compared with semver, never
 * as strings ("1.10.0" is above "1.9.0").
 */
import * as semver from "semver";

/** The largest value a part of a gallery version name may hold (Azure stores each as an Int32). */
export const MAX_VERSION_PART = 2147483647;

/** Why a string is not a gallery version name, or `undefined` when it is one. */
export function versionProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return "must be a string";
  if (!/^\d+\.\d+\.\d+$/.test(value)) {
    return "must be MAJOR.MINOR.PATCH with digits only (no leading 'v', no prerelease or build suffix)";
  }
  const parsed = semver.parse(value);
  if (parsed === null || parsed.version !== value) {
    return "must not have leading zeros in any part";
  }
  if ([parsed.major, parsed.minor, parsed.patch].some((part) => part > MAX_VERSION_PART)) {
    return `must have every part at most ${MAX_VERSION_PART} (a 32-bit integer)`;
  }
  return undefined;
}

/** True when `value` is a valid Azure gallery version name. */
export function isAzureVersion(value: unknown): value is string {
  return versionProblem(value) === undefined;
}

/**
 * Parsed valid names, so a name is validated and parsed once, not at every comparison (a sort
 * compares each name about log n times; a fleet sorts the same few names at every pool). Bounded:
 * cleared when full.
 */
const parsed = new Map<string, semver.SemVer>();
const PARSED_LIMIT = 4096;

/** The parsed version of a valid name; throws on a name that is not one. */
function parsedVersion(value: string): semver.SemVer {
  let version = parsed.get(value);
  if (version === undefined) {
    if (!isAzureVersion(value))
      throw new TypeError(`"${value}" is not an Azure gallery version name`);
    version = new semver.SemVer(value);
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(value, version);
  }
  return version;
}

/**
 * Compares two valid version names: negative when `a` is lower, positive when higher, 0 when equal.
 * Throws on names that are not versions, so a bad name never sorts silently.
 */
export function compareVersions(a: string, b: string): number {
  const left = parsedVersion(a);
  return left.compare(parsedVersion(b));
}

/** A new array of the versions in ascending order. */
export function sortVersions(versions: readonly string[]): string[] {
  return [...versions].sort(compareVersions);
}
