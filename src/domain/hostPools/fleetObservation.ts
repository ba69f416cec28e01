/**
 * A pool's fleet from two lists: its session host registrations (AVD `SessionHosts_List`) and the
 * VMs of the resource group its hosts live in (Compute `VirtualMachines_List`). Every registered
 * host and every VM tagged as one of the pool's hosts is seen, whatever any count or tag says;
 * what the program cannot manage is reported, never planned (so never deleted). Pure: the lists
 * are inputs, read by the caller.
 */
import { parseArmId, parseGalleryImageId } from "../common/armId";
import { TagKey } from "../common/tags";
import { HostObservation, SessionHostStatus } from "./rollout";

/** One host as observed, with what a step needs beyond {@link HostObservation}. */
export interface ObservedHost extends HostObservation {
  /** The registration exists. */
  readonly registered: boolean;
  /** The registration's name in the pool (`<vm>` or `<vm>.<domain>`), when registered. */
  readonly registrationName?: string;
  /** The registration's user (personal pools). */
  readonly assignedUser?: string;
  /** The user a replaced personal desktop must be given back to (VM tag). */
  readonly carriedUser?: string;
  /** The image id the VM boots, as Azure reports it. */
  readonly imageId?: string;
  /** When this incarnation of the host was created (VM tag). */
  readonly createdAt?: string;
}

/** A registration or VM of the pool that the program does not manage: reported, left alone. */
export interface UnmanagedHost {
  /** The registration's name, or the VM's. */
  readonly name: string;
  /** Why the rollout leaves it alone. */
  readonly reason: string;
}

/** What the two lists say, and how the pool names its hosts. */
export interface FleetLists {
  /** Session host VMs of this pool are `<prefix>-<n>`. */
  readonly prefix: string;
  /** The AD domain (registrations are `<vm>.<domain>`), "" for Microsoft Entra join. */
  readonly domain: string;
  /** The pool's name (the value of a host VM's `global-image:host-pool` tag). */
  readonly poolName: string;
  /** The resource group the pool's hosts are created in (the VMs list is of this group). */
  readonly resourceGroup: string;
  /** Items of the pool's session host list (every page). */
  readonly sessionHosts: readonly unknown[];
  /** Items of the resource group's VM list (every page). */
  readonly vms: readonly unknown[];
}

/** The joined fleet. */
export interface Fleet {
  /** The pool's hosts the program manages, by name. */
  readonly hosts: ObservedHost[];
  /** What the pool or its tag name that the program does not manage. */
  readonly unmanaged: UnmanagedHost[];
}

/** An item of a list that is not what ARM documents: the read fails, naming it. */
export class FleetListError extends Error {}

interface Registration {
  readonly name: string;
  readonly resourceId?: string;
  readonly sessions: number;
  readonly status: string;
  readonly allowNewSession: boolean;
  readonly assignedUser?: string;
}

interface Vm {
  readonly name: string;
  readonly id?: string;
  readonly tags: Record<string, string>;
  readonly imageId: string;
}

/** Joins the lists: each managed VM with its registration (by VM id, else by name). */
export function joinFleet(lists: FleetLists): Fleet {
  const registrations = lists.sessionHosts.map((item, i) => readRegistration(item, i));
  const vms = lists.vms.map((item, i) => readVm(item, i));
  const hostName = new RegExp(`^${escapeRegExp(lists.prefix)}-(0|[1-9]\\d*)$`);
  const unmanaged: UnmanagedHost[] = [];
  const managed = new Map<string, Vm>();
  for (const vm of vms) {
    const tagged = vm.tags[TagKey.HostPool];
    if (tagged !== undefined && tagged !== lists.poolName) continue; // another pool's host
    if (hostName.test(vm.name)) managed.set(vm.name, vm);
    else if (tagged !== undefined)
      unmanaged.push({
        name: vm.name,
        reason: `tagged as a host of this pool but not named ${lists.prefix}-<n>, so no step declares it`,
      });
  }
  const byId = new Map(
    [...managed.values()].filter((v) => v.id).map((v) => [v.id!.toLowerCase(), v]),
  );
  const listed = new Set(vms.flatMap((v) => [v.name.toLowerCase(), v.id?.toLowerCase()]));
  const joined = new Map<string, Registration>();
  for (const r of registrations) {
    const vm = r.resourceId ? byId.get(r.resourceId.toLowerCase()) : managed.get(vmNameOf(r.name));
    if (vm && !joined.has(vm.name)) joined.set(vm.name, r);
    else {
      const exists = listed.has((r.resourceId ?? vmNameOf(r.name)).toLowerCase());
      unmanaged.push({ name: r.name, reason: unmanagedReason(r, lists, hostName, !!vm, exists) });
    }
  }
  const hosts = [...managed.values()].map((vm) => observe(vm, joined.get(vm.name)));
  return { hosts, unmanaged };
}

function unmanagedReason(
  r: Registration,
  lists: FleetLists,
  hostName: RegExp,
  duplicate: boolean,
  exists: boolean,
): string {
  if (duplicate) return "a second registration of the same VM";
  const id = r.resourceId ? parseArmId(r.resourceId) : undefined;
  const vm = id?.names[id.names.length - 1] ?? vmNameOf(r.name);
  const here = !id || id.resourceGroup.toLowerCase() === lists.resourceGroup.toLowerCase();
  if (here && hostName.test(vm) && !exists)
    return `its VM ${vm} no longer exists (remove the registration, or let the rollout create the host again)`;
  return `its VM ${r.resourceId ?? vm} is not one of this pool's hosts (${lists.prefix}-<n> in resource group ${lists.resourceGroup})`;
}

/** The VM name of a registration named `<pool>/<vm>[.<domain>]` or `<vm>[.<domain>]`. */
function vmNameOf(registration: string): string {
  return registration.split(".")[0];
}

function observe(vm: Vm, registration: Registration | undefined): ObservedHost {
  const drainingSince = vm.tags[TagKey.DrainingSince];
  const version = parseGalleryImageId(vm.imageId)?.version ?? vm.tags[TagKey.Version] ?? "unknown";
  return {
    name: vm.name,
    version,
    sessions: registration?.sessions ?? 0,
    status: registration?.status ?? SessionHostStatus.NotRegistered,
    // An unregistered host cannot be drained in AVD: the recorded drain time stands for it.
    allowNewSession: registration ? registration.allowNewSession : drainingSince === undefined,
    drainingSince,
    registered: registration !== undefined,
    registrationName: registration?.name,
    assignedUser: registration?.assignedUser || undefined,
    carriedUser: vm.tags[TagKey.AssignedUser],
    imageId: vm.imageId || undefined,
    createdAt: vm.tags[TagKey.CreatedAt],
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function field<T>(
  list: string,
  index: number,
  value: unknown,
  path: string,
  ok: (v: unknown) => boolean,
  expected: string,
): T {
  if (!ok(value))
    throw new FleetListError(
      `item ${index} of the ${list} list: "${path}" is ${JSON.stringify(value) ?? "missing"}, not ${expected}`,
    );
  return value as T;
}

function readRegistration(item: unknown, i: number): Registration {
  const list = "session host";
  const at = <T>(v: unknown, path: string, ok: (x: unknown) => boolean, what: string) =>
    field<T>(list, i, v, path, ok, what);
  const doc = at<Json>(item, "", isObject, "an object");
  const armName = at<string>(doc.name, "name", (v) => typeof v === "string" && v !== "", "a name");
  const p = at<Json>(doc.properties ?? {}, "properties", isObject, "an object");
  const optional = (key: string, ok: (v: unknown) => boolean, what: string) =>
    p[key] === undefined || p[key] === null ? undefined : at(p[key], `properties.${key}`, ok, what);
  const isString = (v: unknown) => typeof v === "string";
  return {
    // ARM names a session host `<pool>/<host>`; the host is what the calls address.
    name: armName.split("/").pop()!,
    resourceId: optional("resourceId", isString, "a string") as string | undefined,
    sessions:
      (optional("sessions", (v) => Number.isInteger(v) && (v as number) >= 0, "a count") as
        number | undefined) ?? 0,
    status: (optional("status", isString, "a string") as string | undefined) ?? "Unavailable",
    allowNewSession:
      (optional("allowNewSession", (v) => typeof v === "boolean", "true or false") as
        boolean | undefined) ?? true,
    assignedUser: optional("assignedUser", isString, "a string") as string | undefined,
  };
}

function readVm(item: unknown, i: number): Vm {
  const at = <T>(v: unknown, path: string, ok: (x: unknown) => boolean, what: string) =>
    field<T>("virtual machine", i, v, path, ok, what);
  const doc = at<Json>(item, "", isObject, "an object");
  const name = at<string>(doc.name, "name", (v) => typeof v === "string" && v !== "", "a name");
  const tags = at<Json>(doc.tags ?? {}, "tags", isObject, "an object");
  const properties = at<Json>(doc.properties ?? {}, "properties", isObject, "an object");
  const storage = isObject(properties.storageProfile) ? properties.storageProfile : {};
  const reference = isObject(storage.imageReference) ? storage.imageReference : {};
  return {
    name,
    id: typeof doc.id === "string" ? doc.id : undefined,
    tags: Object.fromEntries(
      Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === "string"),
    ),
    imageId: typeof reference.id === "string" ? reference.id : "",
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
