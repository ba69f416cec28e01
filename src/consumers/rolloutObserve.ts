/**
 * What a rollout step observes in Azure before it plans: the pool's host slots (a tag the pool
 * carries), and for every slot its VM (version, drain time, carried user: VM tags and image
 * reference) and its registration (status, sessions, drain state, assigned user). A resource
 * that does not exist is an observation; any other failure stops the program (a fleet that
 * cannot be read must never look empty: that would rebuild it).
 */
import * as compute from "@pulumi/azure-native/compute";
import * as desktopvirtualization from "@pulumi/azure-native/desktopvirtualization";
import * as pulumi from "@pulumi/pulumi";
import { parseGalleryImageId } from "../domain/common/armId";
import { HostObservation, SessionHostStatus } from "../domain/hostPools/rollout";
import { TagKey } from "../domain/common/tags";

/** The reads a step makes (azure-native's invokes; the tests answer them with mocks). */
export interface FleetReads {
  hostPoolTags(): Promise<Record<string, string> | undefined>;
  vm(vmName: string): Promise<compute.GetVirtualMachineResult | undefined>;
  sessionHost(name: string): Promise<desktopvirtualization.GetSessionHostResult | undefined>;
}

/** One host as observed, with what the step needs beyond {@link HostObservation}. */
export interface ObservedHost extends HostObservation {
  /** The registration exists. */
  readonly registered: boolean;
  /** The registration's user (personal pools). */
  readonly assignedUser?: string;
  /** The user a replaced personal desktop must be given back to (VM tag). */
  readonly carriedUser?: string;
  /** The image id the VM boots, as Azure reports it. */
  readonly imageId?: string;
  /** When this incarnation of the host was created (VM tag). */
  readonly createdAt?: string;
}

/** Where the fleet lives and how its hosts are named. */
export interface FleetQuery {
  /** Session host VM names are `<prefix>-<n>`. */
  readonly prefix: string;
  /** The AD domain (registrations are named `<vm>.<domain>`), "" for Microsoft Entra join. */
  readonly domain: string;
  /** How many slots the pool should have now (count). */
  readonly count: number;
}

/** The fleet: every slot below the pool's recorded slot count (or `count`) that has a VM. */
export async function observeFleet(query: FleetQuery, reads: FleetReads): Promise<ObservedHost[]> {
  const tags = await reads.hostPoolTags();
  const recorded = Number(tags?.[TagKey.HostSlots] ?? 0);
  const slots = Math.max(query.count, Number.isInteger(recorded) ? recorded : 0);
  const names = Array.from({ length: slots }, (_, n) => `${query.prefix}-${n}`);
  const hosts = await Promise.all(names.map((name) => observeHost(name, query, reads)));
  return hosts.filter((h): h is ObservedHost => h !== undefined);
}

/** The registration name of a session host VM. */
export function sessionHostName(vmName: string, domain: string): string {
  return domain === "" ? vmName : `${vmName}.${domain}`;
}

async function observeHost(
  name: string,
  query: FleetQuery,
  reads: FleetReads,
): Promise<ObservedHost | undefined> {
  const vm = await reads.vm(name);
  if (!vm) return undefined;
  const registration = await reads.sessionHost(sessionHostName(name, query.domain));
  const tags = vm.tags ?? {};
  const drainingSince = tags[TagKey.DrainingSince];
  const imageId = vm.storageProfile?.imageReference?.id ?? "";
  const version = parseGalleryImageId(imageId)?.version ?? tags[TagKey.Version] ?? "unknown";
  return {
    name,
    version,
    sessions: registration?.sessions ?? 0,
    status: registration?.status ?? SessionHostStatus.NotRegistered,
    // An unregistered host cannot be drained in AVD: the recorded drain time stands for it.
    allowNewSession: registration
      ? registration.allowNewSession !== false
      : drainingSince === undefined,
    drainingSince,
    registered: registration !== undefined,
    assignedUser: registration?.assignedUser || undefined,
    carriedUser: tags[TagKey.AssignedUser],
    imageId: imageId || undefined,
    createdAt: tags[TagKey.CreatedAt],
  };
}

/** True for an error that says the resource does not exist (ARM's 404). */
export function isNotFound(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /\b404\b|NotFound/i.test(text);
}

/** The value read, or undefined when it does not exist; any other failure is thrown. */
export async function orMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The reads, through azure-native's invokes (the engine's credentials; `parent` for providers). */
export function azureReads(
  resourceGroupName: string,
  hostPoolName: string,
  parent: pulumi.Resource,
): FleetReads {
  const opts = { parent };
  return {
    hostPoolTags: async () =>
      (
        await orMissing(
          desktopvirtualization.getHostPool({ resourceGroupName, hostPoolName }, opts),
        )
      )?.tags,
    vm: (vmName) => orMissing(compute.getVirtualMachine({ resourceGroupName, vmName }, opts)),
    sessionHost: (sessionHostName) =>
      orMissing(
        desktopvirtualization.getSessionHost(
          { resourceGroupName, hostPoolName, sessionHostName },
          opts,
        ),
      ),
  };
}
