/**
 * A version's source: exactly one kind, and its id parsed as the ARM id of that kind's resource
 * type (a VHD: an https URL and its storage account's id). Ids given as Outputs are ARM's to judge.
 */
import { isArmIdOf, parseArmId } from "../common/armId";
import { requireObject } from "../common/checks";
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
    checkArmIdOf(`${field}.storageAccountId`, source.storageAccountId, STORAGE_ACCOUNT);
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

/** A source's id, when given as a plain string (an Output is checked by ARM): parsed, by type. */
export function checkSourceId(field: string, kind: SourceKind, value: unknown): void {
  if (kind === SourceKind.ImageBuilder) return;
  if (kind === SourceKind.Vhd) {
    if (typeof value === "string" && !isHttpsUrl(value))
      throw invalid(
        field,
        value,
        "must be the https URL of the VHD blob",
        "Use https://<account>.blob.core.windows.net/<container>/<file>.vhd.",
      );
    return;
  }
  checkArmIdOf(field, value, SOURCE_TYPES[kind]);
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
