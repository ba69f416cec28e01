/**
 * The arguments of a version built by Azure VM Image Builder (`source.imageBuilder`). Plain
 * interfaces with optional fields (no unions: the multi-language schema cannot carry them); the
 * validator (src/domain/builds/imageBuilder.ts) says which combinations are allowed.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * What a build starts from: a Marketplace image (`publisher`, `offer`, `sku`, `version`), or an
 * existing gallery version (`galleryImageVersionId`) to layer on. Exactly one of the two forms.
 */
export interface ImageBuildBaseArgs {
  /** The Marketplace publisher, e.g. `"MicrosoftWindowsDesktop"`. */
  readonly publisher?: string;
  /** The Marketplace offer, e.g. `"office-365"`. */
  readonly offer?: string;
  /** The Marketplace SKU, e.g. `"win11-24h2-avd-m365"`. */
  readonly sku?: string;
  /**
   * The Marketplace image version. `"latest"` is resolved when the build runs (the recipe, and
   * so the version's identity, does not change when Microsoft publishes a newer one).
   * @default "latest"
   */
  readonly version?: string;
  /** Build on this gallery image version instead (e.g. the active version, to add a layer). */
  readonly galleryImageVersionId?: pulumi.Input<string>;
}

/**
 * One customization step, as Azure VM Image Builder takes it. `type` is one of
 * {@link CustomizerType}: `PowerShell` (exactly one of `inline` or `scriptUri`), `WindowsUpdate`,
 * `WindowsRestart` or `File` (`sourceUri` and `destination`). Only the fields of its type apply.
 */
export interface ImageBuildStepArgs {
  /** The customizer: `PowerShell`, `WindowsUpdate`, `WindowsRestart` or `File`. */
  readonly type: string;
  /**
   * The step's name in Image Builder's log.
   * @default "<position>-<type>", e.g. "1-PowerShell"
   */
  readonly name?: string;
  /** PowerShell: the commands to run, one per line. */
  readonly inline?: string[];
  /** PowerShell: the script to download and run (a URL the build VM can reach). */
  readonly scriptUri?: string;
  /** PowerShell, File: the SHA-256 of the downloaded script or file, checked by Image Builder. */
  readonly sha256Checksum?: string;
  /** PowerShell: run elevated. @default false */
  readonly runElevated?: boolean;
  /** PowerShell: run as Local System (with `runElevated`). @default false */
  readonly runAsSystem?: boolean;
  /** PowerShell: exit codes that count as success. @default [0] */
  readonly validExitCodes?: number[];
  /** WindowsUpdate: the Windows Update search. @default Image Builder's (`IsInstalled=0`) */
  readonly searchCriteria?: string;
  /** WindowsUpdate: filters on the updates found, e.g. `"include:$true"`. @default none */
  readonly filters?: string[];
  /** WindowsUpdate: the most updates to install. @default 1000 */
  readonly updateLimit?: number;
  /** WindowsRestart: the restart command. @default Image Builder's `shutdown /r` */
  readonly restartCommand?: string;
  /** WindowsRestart: the command that says the VM is back. @default none */
  readonly restartCheckCommand?: string;
  /** WindowsRestart: how long to wait, e.g. `"10m"`. @default "5m" */
  readonly restartTimeout?: string;
  /** File: the file to download (a URL the build VM can reach). */
  readonly sourceUri?: string;
  /** File: the full path on the build VM, e.g. `"C:\\temp\\fslogix.zip"`. */
  readonly destination?: string;
}

/**
 * Build this version with Azure VM Image Builder: the recipe is part of the version's identity
 * (changing it once the version is published is refused: publish a new version).
 */
export interface ImageBuilderArgs {
  /** What the build starts from. */
  readonly base: ImageBuildBaseArgs;
  /**
   * The customization steps, in order. Image Builder generalizes (sysprep) the image itself.
   * @default no steps (the base, generalized)
   */
  readonly customize?: ImageBuildStepArgs[];
  /**
   * The build VM's size.
   * @default "Standard_D4s_v5"
   */
  readonly vmSize?: string;
  /**
   * How long the build may run, 6 to 960 minutes.
   * @default 240 (Azure's default)
   */
  readonly buildTimeoutInMinutes?: number;
  /**
   * The user-assigned managed identity Image Builder runs as. It needs to write versions to the
   * image's build definition (`<image>-build`) and read the base and any script or file the
   * steps download.
   * @default one identity per image, created with a custom role on the build definition only
   */
  readonly identityId?: pulumi.Input<string>;
  /**
   * A resource group for the build VM and its temporary resources, created by the component
   * (empty; Image Builder cleans it). Name it when policy requires naming or tags on it.
   * @default Azure's own `IT_...` resource group
   */
  readonly stagingResourceGroupName?: string;
}
