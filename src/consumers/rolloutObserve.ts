/**
 * What a rollout step observes in Azure before it plans: two paged lists per pool, whatever its
 * size: the pool's session host registrations (status, sessions, drain state, assigned user, the
 * VM's id) and the VMs of the resource group its hosts are created in (version, drain time,
 * carried user: tags and image reference). A 1,000-host pool costs a few reads, not 2,000 (ARM
 * throttles reads per subscription and principal: a bucket of 250, refilled at 25 per second).
 * A list that does not exist yet (the pool or group is new) is an observation; any other failure
 * stops the program: a fleet that cannot be read whole must never look empty.
 */
import { Fleet, ObservedHost, joinFleet } from "../domain/hostPools/fleetObservation";
import { SESSION_HOST_API_VERSION } from "./sessionHostCalls";
import { ArmAccess, ArmTransport, ListCall, armTransport, listAll } from "./armReader";

export type { ObservedHost } from "../domain/hostPools/fleetObservation";

/** The API version of Compute's VM list: azure-native 3.28's for `compute.VirtualMachine`. */
export const VM_API_VERSION = "2024-11-01";

/**
 * Registrations per page of the session host list. AVD documents no maximum; a service that
 * pages smaller still hands every page over by `nextLink`.
 */
export const SESSION_HOST_PAGE_SIZE = 1000;

/** Where the fleet lives and how its hosts are named. */
export interface FleetQuery {
  readonly subscriptionId: string;
  /** The resource group of the pool and of its hosts. */
  readonly resourceGroup: string;
  readonly poolName: string;
  /** Session host VM names are `<prefix>-<n>`. */
  readonly prefix: string;
  /** The AD domain (registrations are named `<vm>.<domain>`), "" for Microsoft Entra join. */
  readonly domain: string;
}

/** The two list calls of one observation. */
export function fleetCalls(q: FleetQuery): { sessionHosts: ListCall; vms: ListCall } {
  const group = `/subscriptions/${enc(q.subscriptionId)}/resourceGroups/${enc(q.resourceGroup)}`;
  return {
    sessionHosts: {
      purpose: `list the session hosts of host pool "${q.poolName}"`,
      path: `${group}/providers/Microsoft.DesktopVirtualization/hostPools/${enc(q.poolName)}/sessionHosts?api-version=${SESSION_HOST_API_VERSION}&pageSize=${SESSION_HOST_PAGE_SIZE}`,
    },
    vms: {
      purpose: `list the virtual machines of resource group "${q.resourceGroup}"`,
      path: `${group}/providers/Microsoft.Compute/virtualMachines?api-version=${VM_API_VERSION}`,
    },
  };
}

/** The pool's fleet: every host the lists show, and what the step must leave alone. */
export async function observeFleet(
  query: FleetQuery,
  access: ArmAccess,
  transport: ArmTransport = armTransport(),
): Promise<Fleet> {
  const calls = fleetCalls(query);
  const [sessionHosts, vms] = await Promise.all([
    listAll(calls.sessionHosts, access, transport),
    listAll(calls.vms, access, transport),
  ]);
  return joinFleet({
    prefix: query.prefix,
    domain: query.domain,
    poolName: query.poolName,
    resourceGroup: query.resourceGroup,
    sessionHosts: sessionHosts ?? [],
    vms: vms ?? [],
  });
}

/** The registration name of a session host VM. */
export function sessionHostName(vmName: string, domain: string): string {
  return domain === "" ? vmName : `${vmName}.${domain}`;
}

/** The registration to address for a host: as listed, else by its VM's name. */
export function registrationOf(host: ObservedHost, domain: string): string {
  return host.registrationName ?? sessionHostName(host.name, domain);
}

const enc = encodeURIComponent;

/** True for an error that says the resource does not exist (ARM's 404). */
export function isNotFound(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /\b404\b|NotFound/i.test(text);
}

/** The value an invoke read, or undefined when it does not exist; any other failure is thrown. */
export async function orMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
