/**
 * An Azure VM Image Builder recipe as a version's source (`source.imageBuilder`): checked into a
 * typed plan, with a digest of everything that makes the image (the recipe is part of the
 * version's identity: changing it means a new version). Pure: no Pulumi, no Azure.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../../evidence/canonical";
import { checkKnownKeys, requireObject, requireString } from "../common/checks";
import {
  checkBaseVersionId,
  checkChecksum,
  checkDownloadUri,
  checkIdentityId,
  checkMarketplaceVersion,
  checkRestartTimeout,
  checkSteps,
  checkVmSize,
} from "./buildRecipeChecks";
import { invalid, joinField, keyField } from "../common/errors";
import { isResourceGroupName } from "../common/armId";

/** The customizer types a recipe may use (Image Builder's Windows customizers). */
export const CustomizerType = {
  /** Runs PowerShell: `inline` commands or a `scriptUri` (with an optional `sha256Checksum`). */
  PowerShell: "PowerShell",
  /** Installs Windows updates (`searchCriteria`, `filters`, `updateLimit`). */
  WindowsUpdate: "WindowsUpdate",
  /** Restarts the build VM and waits for it (`restartTimeout`, e.g. "10m"). */
  WindowsRestart: "WindowsRestart",
  /** Downloads a file to the build VM (`sourceUri` to `destination`). */
  File: "File",
} as const;
export type CustomizerType = (typeof CustomizerType)[keyof typeof CustomizerType];

/** Defaults a recipe does not have to state. */
export const BUILD_DEFAULTS = {
  /** A general-purpose size with premium disks, as Microsoft's AVD samples use. */
  vmSize: "Standard_D4s_v5",
  /** Azure's own default (4 hours); Azure accepts 6 to 960. */
  buildTimeoutInMinutes: 240,
} as const;

/** What a build starts from. */
export type BuildBase =
  | {
      readonly kind: "platform";
      readonly publisher: string;
      readonly offer: string;
      readonly sku: string;
      readonly version: string;
    }
  /** An existing gallery version (its id may be an Output: only its presence is checked). */
  | { readonly kind: "galleryImageVersion"; readonly id: unknown };

/** One customization step, as Image Builder takes it. */
export interface CustomizerPlan {
  readonly type: CustomizerType;
  readonly name: string;
  readonly [field: string]: unknown;
}

/** A checked recipe. */
export interface BuildPlan {
  readonly base: BuildBase;
  readonly customize: readonly CustomizerPlan[];
  readonly vmSize: string;
  readonly buildTimeoutInMinutes: number;
  /** A user-assigned identity given by the user (present: none is created). */
  readonly identityId?: unknown;
  /** A resource group the build's temporary resources go in, created for it (else Azure's own). */
  readonly stagingResourceGroupName?: string;
  /** The digest of what makes the image: base, steps, VM size (not the identity or timeout). */
  readonly recipeSha256: string;
}

const FIELDS: Record<CustomizerType, readonly string[]> = {
  PowerShell: [
    "inline",
    "scriptUri",
    "sha256Checksum",
    "runElevated",
    "runAsSystem",
    "validExitCodes",
  ],
  WindowsUpdate: ["searchCriteria", "filters", "updateLimit"],
  WindowsRestart: ["restartCommand", "restartCheckCommand", "restartTimeout"],
  File: ["sourceUri", "destination", "sha256Checksum"],
};

/** Checks `source.imageBuilder` at `field`. */
export function planBuild(field: string, value: unknown): BuildPlan {
  const fix =
    "Describe the build as { base, customize?, vmSize?, buildTimeoutInMinutes?, identityId?, stagingResourceGroupName? }.";
  const recipe = requireObject(field, value, fix);
  checkKnownKeys(
    field,
    recipe,
    [
      "base",
      "customize",
      "vmSize",
      "buildTimeoutInMinutes",
      "identityId",
      "stagingResourceGroupName",
    ],
    "an Image Builder setting",
  );
  const base = checkBase(joinField(field, "base"), recipe.base);
  const customize = checkCustomizers(joinField(field, "customize"), recipe.customize ?? []);
  const vmSize =
    recipe.vmSize === undefined
      ? BUILD_DEFAULTS.vmSize
      : requireString(
          joinField(field, "vmSize"),
          recipe.vmSize,
          'Name a VM size, e.g. "Standard_D4s_v5".',
        );
  checkVmSize(joinField(field, "vmSize"), vmSize);
  if (recipe.identityId !== undefined)
    checkIdentityId(joinField(field, "identityId"), recipe.identityId);
  const timeout = recipe.buildTimeoutInMinutes ?? BUILD_DEFAULTS.buildTimeoutInMinutes;
  if (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 6 || timeout > 960)
    throw invalid(
      joinField(field, "buildTimeoutInMinutes"),
      timeout,
      "must be a whole number of minutes from 6 to 960",
      `Azure builds for at most 16 hours; leave it out for ${BUILD_DEFAULTS.buildTimeoutInMinutes}.`,
    );
  const made = {
    base:
      base.kind === "platform"
        ? base
        : { kind: base.kind, id: typeof base.id === "string" ? base.id : "(an Output)" },
    customize,
    vmSize,
  };
  return {
    base,
    customize,
    vmSize,
    buildTimeoutInMinutes: timeout,
    ...(recipe.identityId === undefined ? {} : { identityId: recipe.identityId }),
    ...(recipe.stagingResourceGroupName === undefined
      ? {}
      : {
          stagingResourceGroupName: checkGroupName(
            joinField(field, "stagingResourceGroupName"),
            recipe.stagingResourceGroupName,
          ),
        }),
    recipeSha256: createHash("sha256").update(canonicalJson(made)).digest("hex"),
  };
}

/** Azure: 1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending in a period. */
function checkGroupName(field: string, value: unknown): string {
  const name = requireString(field, value, "Name the resource group the build may use.");
  if (!isResourceGroupName(name))
    throw invalid(
      field,
      name,
      "is not a resource group name",
      "Use 1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period.",
    );
  return name;
}

function checkBase(field: string, value: unknown): BuildBase {
  const fix =
    "Give either a Marketplace image { publisher, offer, sku, version? } or { galleryImageVersionId } to build on an existing version.";
  const base = requireObject(field, value, fix);
  checkKnownKeys(
    field,
    base,
    ["publisher", "offer", "sku", "version", "galleryImageVersionId"],
    "a base setting",
  );
  const platform = ["publisher", "offer", "sku", "version"].filter((k) => base[k] !== undefined);
  const gallery = base.galleryImageVersionId !== undefined && base.galleryImageVersionId !== null;
  if (gallery && platform.length > 0)
    throw invalid(
      field,
      Object.keys(base),
      "names both a Marketplace image and a gallery version",
      fix,
    );
  if (gallery) {
    checkBaseVersionId(joinField(field, "galleryImageVersionId"), base.galleryImageVersionId);
    return { kind: "galleryImageVersion", id: base.galleryImageVersionId };
  }
  const str = (k: string) => requireString(joinField(field, k), base[k], fix);
  const version = base.version === undefined ? "latest" : str("version");
  checkMarketplaceVersion(joinField(field, "version"), version);
  return {
    kind: "platform",
    publisher: str("publisher"),
    offer: str("offer"),
    sku: str("sku"),
    version,
  };
}

function checkCustomizers(field: string, value: unknown): CustomizerPlan[] {
  if (!Array.isArray(value))
    throw invalid(
      field,
      value,
      "must be a list of customizers",
      'List the steps, e.g. [{ type: "WindowsUpdate" }, { type: "WindowsRestart" }].',
    );
  const types = Object.values(CustomizerType) as string[];
  return value.map((raw, i) => {
    const at = `${field}[${i}]`;
    const step = requireObject(
      at,
      raw,
      `Describe the step as { type, ... } with type one of ${types.join(", ")}.`,
    );
    if (typeof step.type !== "string" || !types.includes(step.type))
      throw invalid(
        joinField(at, "type"),
        step.type,
        `is not an Image Builder customizer this package builds with (${types.join(", ")})`,
        "Use one of those; other steps can run as PowerShell.",
      );
    const type = step.type as CustomizerType;
    checkKnownKeys(at, step, ["type", "name", ...FIELDS[type]], `a ${type} setting`);
    if (
      type === CustomizerType.PowerShell &&
      (step.inline === undefined) === (step.scriptUri === undefined)
    )
      throw invalid(
        at,
        Object.keys(step),
        "needs exactly one of inline and scriptUri",
        "Give the commands inline (a list of lines) or a scriptUri, not both.",
      );
    if (
      type === CustomizerType.PowerShell &&
      step.inline !== undefined &&
      (!Array.isArray(step.inline) || step.inline.some((l) => typeof l !== "string"))
    )
      throw invalid(
        joinField(at, "inline"),
        step.inline,
        "must be a list of PowerShell lines",
        "Write each command as a string.",
      );
    checkStepFields(at, type, step);
    if (type === CustomizerType.File) {
      requireString(
        joinField(at, "sourceUri"),
        step.sourceUri,
        "Give the URI of the file to download.",
      );
      checkDownloadUri(
        joinField(at, "sourceUri"),
        step.sourceUri,
        step.sha256Checksum !== undefined,
      );
      requireString(
        joinField(at, "destination"),
        step.destination,
        'Give the path on the build VM, e.g. "C:\\\\temp\\\\setup.exe".',
      );
    }
    const name =
      step.name === undefined
        ? `${i + 1}-${type}`
        : requireString(joinField(at, "name"), step.name, "Name the step, or leave name out.");
    return { ...step, type, name };
  });
}

/** A step's checksum, restart timeout, script URI and inline lines, where given. */
function checkStepFields(at: string, type: CustomizerType, step: Record<string, unknown>): void {
  if (step.sha256Checksum !== undefined)
    checkChecksum(joinField(at, "sha256Checksum"), step.sha256Checksum);
  if (step.restartTimeout !== undefined)
    checkRestartTimeout(joinField(at, "restartTimeout"), step.restartTimeout);
  if (step.scriptUri !== undefined)
    checkDownloadUri(joinField(at, "scriptUri"), step.scriptUri, step.sha256Checksum !== undefined);
  const lines = step.inline;
  if (
    type === CustomizerType.PowerShell &&
    Array.isArray(lines) &&
    !lines.some((l) => String(l).trim() !== "")
  )
    throw invalid(
      joinField(at, "inline"),
      lines,
      "has no command: the step would do nothing",
      "Give the PowerShell lines to run, or remove the step.",
    );
}

/** Azure's longest Image Builder template (and run output) name. */
export const MAX_TEMPLATE_NAME = 64;

/** The name of a version's Image Builder template: the image and the version. */
export function templateName(imageName: string, version: string): string {
  return `${imageName}-${version}`;
}

/**
 * What built versions need of the image: a location (the build runs there and its output is
 * copied from there), and a name their templates' names still fit (the build definition's name,
 * `<image>-build`, is shorter than any of them).
 */
export function checkBuilds(
  versions: readonly { readonly version: string; readonly build?: BuildPlan }[],
  imageName: string,
  location: unknown,
  osType?: string,
): void {
  const built = versions.find((v) => v.build !== undefined);
  if (built === undefined) return;
  if (location === undefined || location === null)
    throw invalid(
      "location",
      location,
      `is required when a version is built by Image Builder (versions${keyField(built.version)})`,
      "Set location to the gallery's region: the build runs there, and the version is copied from there.",
    );
  for (const { version, build } of versions.filter((v) => v.build !== undefined)) {
    const at = `versions${keyField(version)}.source.imageBuilder`;
    checkSteps(joinField(at, "customize"), build!.customize, osType);
    const template = templateName(imageName, version);
    if (template.length > MAX_TEMPLATE_NAME)
      throw invalid(
        `versions${keyField(version)}.source.imageBuilder`,
        template,
        `needs an Image Builder template named "${template}", longer than Azure's ${MAX_TEMPLATE_NAME} characters`,
        "Shorten image.name (the template is named <image name>-<version>).",
      );
  }
}
