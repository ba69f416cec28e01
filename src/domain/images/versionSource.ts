/**
 * A version's source: exactly one kind, and its id parsed as the ARM id of that kind's resource
 * type (a VHD: an https URL and its storage account's id). Ids given as Outputs are ARM's to judge.
 */
import { isArmIdOf, parseArmId } from "../common/armId";
import { isOutputLike, requireObject } from "../common/checks";
import { invalid } from "../common/errors";
import { SourceKind, enumValues } from "../common/kinds";

/** Throws unless `value` names exactly one well-formed source; returns its kind. */
export function checkSource(field: string, value: unknown): SourceKind {
  const kinds = enumValues(SourceKind);
  const fix = `Give exactly one of ${kinds.join(", ")}.`;
  const source = requireObject(field, value, fix);
  const given = kinds.filter((k) => source[k] !== undefined && source[k] !== null);
  if (given.length !== 1) {
    const problem =
      given.length === 0
        ? "names no source"
        : `names ${given.length} sources (${given.join(", ")})`;
    throw invalid(field, Object.keys(source), problem, fix);
  }
  const [kind] = given;
  const hasAccount = source.storageAccountId !== undefined && source.storageAccountId !== null;
  if (kind === SourceKind.Vhd && !hasAccount) {
    throw invalid(
      `${field}.storageAccountId`,
      undefined,
      "is required with vhdUri",
      "Set storageAccountId to the id of the storage account that holds the VHD.",
    );
  }
  if (kind !== SourceKind.Vhd && hasAccount) {
    throw invalid(
      `${field}.storageAccountId`,
      "(set)",
      "only applies to a vhdUri source",
      "Remove storageAccountId, or use vhdUri as the source.",
    );
  }
  checkSourceId(`${field}.${kind}`, kind, source[kind]);
  if (hasAccount)
    checkIdInput(`${field}.storageAccountId`, source.storageAccountId, STORAGE_ACCOUNT);
  return kind;
}

/** The resource type each source kind names (a VHD is a blob URL instead). */
const SOURCE_TYPES: Readonly<Record<string, string>> = {
  [SourceKind.VirtualMachine]: "Microsoft.Compute/virtualMachines",
  [SourceKind.ManagedImage]: "Microsoft.Compute/images",
  [SourceKind.Snapshot]: "Microsoft.Compute/snapshots",
  [SourceKind.Disk]: "Microsoft.Compute/disks",
  [SourceKind.GalleryImageVersion]: "Microsoft.Compute/galleries/images/versions",
};
export const STORAGE_ACCOUNT = "Microsoft.Storage/storageAccounts";

/**
 * A source's id: a string is parsed (the ARM id of its kind's type; a VHD, an https URL); an
 * Output or a Promise is ARM's to judge; anything else (a number, a list, a plain object) is
 * refused.
 */
export function checkSourceId(field: string, kind: SourceKind, value: unknown): void {
  if (kind === SourceKind.ImageBuilder) return;
  if (kind !== SourceKind.Vhd) return checkIdInput(field, value, SOURCE_TYPES[kind]);
  if (isOutputLike(value)) return;
  if (typeof value !== "string" || !isHttpsUrl(value))
    throw invalid(
      field,
      value,
      "must be the https URL of the VHD blob",
      "Use https://<account>.blob.core.windows.net/<container>/<file>.vhd.",
    );
}

/**
 * An id that may be an Input: a string is parsed as the ARM id of `type`; an Output (or a
 * Promise) is ARM's to judge; anything else (a number, a list, a plain object) is refused.
 */
export function checkIdInput(field: string, value: unknown, type: string): void {
  if (isOutputLike(value)) return;
  if (typeof value !== "string")
    throw invalid(field, value, `must be the ARM id of a ${type}`, "Give the id as a string.");
  checkArmIdOf(field, value, type);
}

/** Throws unless a plain-string `value` is the ARM id of a resource of `type`. */
export function checkArmIdOf(field: string, value: unknown, type: string): void {
  if (typeof value !== "string" || isArmIdOf(value, type)) return;
  const parsed = parseArmId(value);
  throw invalid(
    field,
    value,
    parsed
      ? `is the id of a ${parsed.type}, not of a ${type}`
      : `is not an Azure resource id of a ${type}`,
    `Give the full id: ${exampleArmId(type)}.`,
  );
}

/** `/subscriptions/<subscription guid>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name>`. */
function exampleArmId(type: string): string {
  const [namespace, ...segments] = type.split("/");
  const path = segments.map((segment) => `${segment}/<name>`).join("/");
  return `/subscriptions/<subscription guid>/resourceGroups/<group>/providers/${namespace}/${path}`;
}

/** True for an absolute https URL with a host. */
function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname !== "";
  } catch {
    return false;
  }
}
