/**
 * Session host VMs of an ImageHostPool: a network interface, a Microsoft Entra joined VM booting
 * the pool's version, and the AVD agent (DSC extension) registering it with the pool's token.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as desktopvirtualization from "@pulumi/azure-native/desktopvirtualization";
import * as network from "@pulumi/azure-native/network";
import * as random from "@pulumi/random";
import { VmSecurityType, VmTemplatePlan } from "../domain/hostPool";
import { ImageHostPoolArgs, SessionHostsArgs } from "./args";
import { ConsumerBinding } from "./vmImageReference";

/** The AVD agent configuration package of Microsoft's session host templates. */
export const DEFAULT_AGENT_CONFIGURATION_URL =
  "https://wvdportalstorageblob.blob.core.windows.net/galleryartifacts/Configuration_1.0.02714.342.zip";

interface SessionHostContext {
  readonly name: string;
  readonly args: ImageHostPoolArgs;
  readonly hosts: SessionHostsArgs;
  readonly count: number;
  readonly template: VmTemplatePlan;
  readonly pool: desktopvirtualization.HostPool;
  readonly bound: ConsumerBinding;
  readonly tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
  readonly parent: pulumi.Resource;
}

/** Creates the session hosts; returns the VMs in host-number order. */
export function createSessionHosts(ctx: SessionHostContext): compute.VirtualMachine[] {
  const { name, parent } = ctx;
  const password = new random.RandomPassword(
    `${name}-admin-password`,
    {
      length: 24,
      minLower: 1,
      minUpper: 1,
      minNumeric: 1,
      minSpecial: 1,
      overrideSpecial: "!#%*-_=+?",
    },
    { parent },
  );
  const token = desktopvirtualization.getHostPoolRegistrationTokenOutput(
    { hostPoolName: ctx.pool.name, resourceGroupName: ctx.args.resourceGroupName },
    { parent },
  );
  const secrets = {
    adminPassword: pulumi.secret(password.result),
    token: pulumi.secret(token.token),
  };
  return Array.from({ length: ctx.count }, (_, i) => createHost(ctx, i, secrets));
}

function createHost(
  ctx: SessionHostContext,
  i: number,
  secrets: { adminPassword: pulumi.Output<string>; token: pulumi.Output<string | undefined> },
): compute.VirtualMachine {
  const { name, args, hosts, template, parent } = ctx;
  const vmName = `${template.namePrefix}-${i}`;
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
    { parent },
  );
  const secured = template.securityType !== VmSecurityType.Standard;
  const vm = new compute.VirtualMachine(
    `${name}-vm-${i}`,
    {
      ...common,
      vmName,
      hardwareProfile: { vmSize: template.vmSize },
      storageProfile: {
        // The exact version id: a new version replaces the VM (see SessionHostsArgs).
        imageReference: { id: ctx.bound.versionId },
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
    // The computer name is fixed, so a replacement must delete the old VM first.
    { parent, deleteBeforeReplace: true },
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
