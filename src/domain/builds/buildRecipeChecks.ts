/**
 * The checks of an Image Builder recipe's fields that Azure would only refuse hours into a build,
 * or worse, run: ids parsed as ARM ids, downloads over https (plain http only with a checksum),
 * checksums as hex, restart timeouts and Marketplace versions by their grammar, VM sizes by
 * Azure's naming, steps that do something, under names of their own, for the image's OS.
 */
import { checkIdInput } from "../images/versionSource";
import { invalid, joinField } from "../common/errors";

const GALLERY_VERSION = "Microsoft.Compute/galleries/images/versions";
const IDENTITY = "Microsoft.ManagedIdentity/userAssignedIdentities";

/** `base.galleryImageVersionId`. */
export const checkBaseVersionId = (field: string, value: unknown) =>
  checkIdInput(field, value, GALLERY_VERSION);

/** `identityId`: the user-assigned identity Image Builder runs as. */
export const checkIdentityId = (field: string, value: unknown) =>
  checkIdInput(field, value, IDENTITY);

/** A Marketplace image version: `latest`, or MAJOR.MINOR.PATCH digits as Azure publishes them. */
export function checkMarketplaceVersion(field: string, value: string): void {
  if (value === "latest" || /^\d{1,10}\.\d{1,10}\.\d{1,10}$/.test(value)) return;
  throw invalid(
    field,
    value,
    "is not a Marketplace image version",
    'Use "latest" or a published version such as "26100.2605.241207".',
  );
}

/** Azure VM size names: `Standard_D4s_v5`, `Standard_NV36ads_A10_v5`, `Standard_B2ms`. */
const VM_SIZE = /^(Standard|Basic)_[A-Z]{1,4}\d{1,3}(-\d{1,3})?[a-z]*(_[A-Za-z0-9]{1,6}){0,3}$/;

export function checkVmSize(field: string, value: string): void {
  if (VM_SIZE.test(value)) return;
  throw invalid(
    field,
    value,
    "is not an Azure VM size name",
    'Name a size as Azure lists it (az vm list-sizes), e.g. "Standard_D4s_v5".',
  );
}

/** `restartTimeout`: a magnitude and a unit (`10m`, `1h`), as Image Builder reads it. */
export function checkRestartTimeout(field: string, value: unknown): void {
  if (typeof value === "string" && /^[1-9]\d{0,3}[smh]$/.test(value)) return;
  throw invalid(
    field,
    value,
    "is not a restart timeout",
    'Write a number and a unit (s, m or h), e.g. "10m"; leave it out for Azure\'s 5m.',
  );
}

/** `sha256Checksum`: 64 hex digits. */
export function checkChecksum(field: string, value: unknown): void {
  if (typeof value === "string" && /^[0-9a-fA-F]{64}$/.test(value)) return;
  throw invalid(
    field,
    value,
    "is not a SHA-256 checksum",
    "Give the file's SHA-256 as 64 hex digits (Get-FileHash, sha256sum).",
  );
}

/**
 * A download's URI (`sourceUri`, `scriptUri`): https, or plain http when a `sha256Checksum` lets
 * Image Builder verify what arrived. `file:`, `javascript:` and other schemes are refused.
 */
export function checkDownloadUri(field: string, value: unknown, hasChecksum: boolean): void {
  let scheme: string | undefined;
  try {
    const url = new URL(String(value));
    scheme = url.hostname === "" ? undefined : url.protocol;
  } catch {
    scheme = undefined;
  }
  if (typeof value === "string" && (scheme === "https:" || (scheme === "http:" && hasChecksum)))
    return;
  throw invalid(
    field,
    value,
    scheme === "http:"
      ? "downloads over plain http without a sha256Checksum"
      : "must be an https URL the build VM downloads from",
    scheme === "http:"
      ? "Use https, or give sha256Checksum so Image Builder verifies the file."
      : "Use https://… (a storage account blob, a release URL).",
  );
}

/** The Windows-only steps: a Linux image is built with none of them. */
const WINDOWS_ONLY = ["PowerShell", "WindowsUpdate", "WindowsRestart"];

/** Steps named twice, Windows steps on a Linux image. */
export function checkSteps(
  field: string,
  steps: readonly { readonly type: string; readonly name: string }[],
  osType: string | undefined,
): void {
  const seen = new Map<string, number>();
  steps.forEach((step, i) => {
    const at = `${field}[${i}]`;
    if (osType === "Linux" && WINDOWS_ONLY.includes(step.type))
      throw invalid(
        joinField(at, "type"),
        step.type,
        "is a Windows step, and the image is Linux",
        "Use File steps (or build the Linux image with its own tooling); PowerShell, WindowsUpdate and WindowsRestart run on Windows only.",
      );
    const first = seen.get(step.name);
    if (first !== undefined)
      throw invalid(
        joinField(at, "name"),
        step.name,
        `is also the name of ${field}[${first}]`,
        "Give each step a name of its own (Image Builder reports steps by name).",
      );
    seen.set(step.name, i);
  });
}
