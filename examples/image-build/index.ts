/**
 * An MSP image stack whose next version is built by Azure VM Image Builder: 1.0.0 was captured
 * from a VM and is active; 1.1.0 is built from the Microsoft 365 Marketplace image plus the AVD
 * customizations below, and staged. The first `pulumi up` creates its template and Azure builds;
 * each later up publishes 1.1.0 once the build succeeded (`pulumi stack output builds`). Test it
 * on a validation pool, attest the results, then promote it like any other version.
 */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { CustomizerType, GlobalImage } from "global-image";

const config = new pulumi.Config();
const buildGroup = config.require("buildResourceGroupId");
const scripts = config.require("scriptsUrl");

const group = new resources.ResourceGroup("images", { resourceGroupName: "rg-msp-images" });

const win11 = new GlobalImage("win11", {
  resourceGroupName: group.name,
  // Builds run in the gallery's region; their output is copied from there.
  location: "westeurope",
  galleryName: "msp_images",
  image: {
    name: "win11-24h2-m365",
    publisher: "Contoso",
    offer: "avd",
    sku: "win11-24h2-m365",
    osType: "Windows",
  },
  regions: [{ name: "westeurope", replicas: 2 }, { name: "northeurope" }],
  evidenceDir: "evidence",
  versions: {
    // Captured by the pipeline this stack replaces: the backup and the active version.
    "0.9.0": {
      source: {
        virtualMachineId: `${buildGroup}/providers/Microsoft.Compute/virtualMachines/win11-build-090`,
      },
      endOfLifeDate: "2027-03-31",
    },
    "1.0.0": {
      source: {
        virtualMachineId: `${buildGroup}/providers/Microsoft.Compute/virtualMachines/win11-build-100`,
      },
      endOfLifeDate: "2027-09-30",
    },
    "1.1.0": {
      source: {
        imageBuilder: {
          base: {
            publisher: "MicrosoftWindowsDesktop",
            offer: "office-365",
            sku: "win11-24h2-avd-m365",
            version: "latest",
          },
          customize: [
            // Language packs and the regional settings users get (a script of your own).
            {
              type: CustomizerType.PowerShell,
              name: "language-packs",
              scriptUri: `${scripts}/install-language-packs.ps1`,
              runElevated: true,
            },
            // FSLogix, with the profile container settings of your storage.
            {
              type: CustomizerType.PowerShell,
              name: "fslogix",
              inline: [
                "Invoke-WebRequest -Uri https://aka.ms/fslogix_download -OutFile C:\\temp\\fslogix.zip",
                "Expand-Archive C:\\temp\\fslogix.zip -DestinationPath C:\\temp\\fslogix",
                "Start-Process C:\\temp\\fslogix\\x64\\Release\\FSLogixAppsSetup.exe -ArgumentList '/install /quiet /norestart' -Wait",
              ],
              runElevated: true,
            },
            // Teams media optimization for AVD.
            {
              type: CustomizerType.PowerShell,
              name: "teams-optimization",
              inline: [
                "New-Item -Path HKLM:\\SOFTWARE\\Microsoft\\Teams -Force | Out-Null",
                "New-ItemProperty -Path HKLM:\\SOFTWARE\\Microsoft\\Teams -Name IsWVDEnvironment -PropertyType DWORD -Value 1 -Force",
              ],
              runElevated: true,
            },
            {
              type: CustomizerType.WindowsUpdate,
              searchCriteria: "IsInstalled=0",
              updateLimit: 200,
            },
            { type: CustomizerType.WindowsRestart, restartTimeout: "15m" },
            // No sysprep step: Image Builder generalizes the image itself at the end.
          ],
        },
      },
    },
  },
  activeVersion: "1.0.0",
  stagedVersion: "1.1.0",
});

/** The handle customer stacks bind to, and where each build stands. */
export const images = { win11: win11.handle() };
export const builds = win11.builds;
export const roles = win11.roles;
