/**
 * One session host: a network interface, a Microsoft Entra joined VM booting the version its
 * rollout planned, and the AVD agent (DSC extension) registering it with the pool's token.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import { VmSecurityType } from "../domain/hostPools/hostPool";
import type { SessionHostContext } from "./sessionHosts";

/** The AVD agent configuration package of Microsoft's session host templates. */
export const DEFAULT_AGENT_CONFIGURATION_URL =
  "https://wvdportalstorageblob.blob.core.windows.net/galleryartifacts/Configuration_1.0.02714.342.zip";

/** The pool-wide secrets every host uses. */
export interface HostSecrets {
  readonly adminPassword: pulumi.Output<string>;
  readonly token: pulumi.Output<string | undefined>;
}

/** One host of a step. */
export interface HostSpec {
  /** The host's number: resources are named `<component>-vm-<slot>`. */
  readonly slot: string;
  /** The VM and computer name, `<prefix>-<slot>`. */
  readonly vmName: string;
  readonly versionId: pulumi.Input<string>;
  readonly tags: Record<string, pulumi.Input<string>>;
  readonly secrets: HostSecrets;
  readonly dependsOn: pulumi.Resource[];
  /** When this incarnation was created: a new value rebuilds the NIC and the VM. */
  readonly generation?: string;
}

/** Declares one host; returns its VM. */
export function createHost(ctx: SessionHostContext, host: HostSpec): compute.VirtualMachine {
  const { name, args, hosts, template, parent } = ctx;
  const { slot: i, vmName, secrets } = host;
  const common = {
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    tags: ctx.tags,
  };
  const nic = new network.NetworkInterface(
    `${name}-nic-${i}`,
    {
      ...common,
      networkInterfaceName: `${vmName}-nic`,
      ipConfigurations: [
        { name: "ipconfig1", subnet: { id: hosts.subnetId }, privateIPAllocationMethod: "Dynamic" },
      ],
    },
    // Rebuilt with its VM (a fixed name: deleted first), also when deleted by hand.
    { parent, deleteBeforeReplace: true, replacementTrigger: host.generation },
  );
  const secured = template.securityType !== VmSecurityType.Standard;
  const vm = new compute.VirtualMachine(
    `${name}-vm-${i}`,
    {
      ...common,
      tags: host.tags,
      vmName,
      hardwareProfile: { vmSize: template.vmSize },
      storageProfile: {
        // The exact version id the rollout planned for this host: a new one replaces the VM.
        imageReference: { id: host.versionId },
        osDisk: {
          createOption: "FromImage",
          deleteOption: "Delete",
          managedDisk: { storageAccountType: template.osDiskType },
          diskSizeGB: template.diskSizeGB > 0 ? template.diskSizeGB : undefined,
        },
      },
      osProfile: {
        computerName: vmName,
        adminUsername: hosts.adminUsername ?? "avdadmin",
        adminPassword: secrets.adminPassword,
      },
      networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
      securityProfile: secured
        ? {
            securityType: template.securityType,
            uefiSettings: { secureBootEnabled: template.secureBoot, vTpmEnabled: template.vTPM },
          }
        : undefined,
      identity: { type: "SystemAssigned" },
      licenseType: hosts.licenseType ?? "Windows_Client",
    },
    // The computer name is fixed, so a replacement must delete the old VM first; the session
    // host control removes its registration before that.
    {
      parent,
      deleteBeforeReplace: true,
      dependsOn: host.dependsOn,
      replacementTrigger: host.generation,
    },
  );
  // Extensions live and die with their VM.
  const withVm = { parent, deletedWith: vm, replaceWith: [vm] };
  const entraLogin = new compute.VirtualMachineExtension(
    `${name}-entra-${i}`,
    {
      ...common,
      vmName: vm.name,
      vmExtensionName: "AADLoginForWindows",
      publisher: "Microsoft.Azure.ActiveDirectory",
      type: "AADLoginForWindows",
      typeHandlerVersion: "2.0",
      autoUpgradeMinorVersion: true,
    },
    withVm,
  );
  new compute.VirtualMachineExtension(
    `${name}-avdagent-${i}`,
    {
      ...common,
      vmName: vm.name,
      vmExtensionName: "Microsoft.PowerShell.DSC",
      publisher: "Microsoft.Powershell",
      type: "DSC",
      typeHandlerVersion: "2.73",
      autoUpgradeMinorVersion: true,
      settings: {
        modulesUrl: hosts.agentConfigurationUrl ?? DEFAULT_AGENT_CONFIGURATION_URL,
        configurationFunction: "Configuration.ps1\\AddSessionHost",
        properties: {
          hostPoolName: ctx.pool.name,
          registrationInfoTokenCredential: {
            UserName: "PLACEHOLDER_DO_NOT_USE",
            Password: "PrivateSettingsRef:RegistrationInfoToken",
          },
          aadJoin: true,
        },
      },
      protectedSettings: { Items: { RegistrationInfoToken: secrets.token } },
    },
    { ...withVm, dependsOn: [entraLogin] },
  );
  return vm;
}
