/**
 * A simulated ARM for the two lists a rollout step reads (AVD `SessionHosts_List` 2024-04-03,
 * Compute `VirtualMachines_List` 2024-11-01), answering from a modelled live fleet as Azure
 * would: ARM-shaped items (`id`, `name`, `properties`), pages joined by `nextLink`, a 404 for a
 * pool that does not exist, a 401 without a bearer token. The offline check and the tests install
 * it as the rollout's transport (consumers/armReader.ts); tests also inject faults (429 with
 * `Retry-After`, 5xx, 403, a page that does not parse) and count the requests.
 */
import type { ArmResponse, ArmTransport } from "../consumers/armReader";

/** The live resources, as the offline check's LiveFleet and the tests' world keep them. */
export interface SimulatedFleet {
  /** VMs by name (`tags`, `storageProfile`; optional `resourceGroupName`). */
  readonly vms: Record<string, Record<string, unknown>>;
  /** Registrations by `<pool>/<host>` (`status`, `sessions`, `allowNewSession`, `assignedUser`). */
  readonly sessionHosts: Record<string, Record<string, unknown>>;
  /** Pools by name. */
  readonly hostPools: Record<string, Record<string, unknown>>;
}

/** A canned answer in place of the simulated one. */
export interface FaultAnswer {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/** Decides, per request, whether to answer with a fault instead (`n` counts from 1). */
export type Fault = (request: { url: string; n: number }) => FaultAnswer | undefined;

const SESSION_HOSTS =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DesktopVirtualization\/hostPools\/([^/]+)\/sessionHosts$/;
const VMS =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachines$/;

/** The simulated ARM (an {@link ArmTransport}); `requests` lists every URL it was sent. */
export class SimulatedArm implements ArmTransport {
  /** Every request, in order. */
  readonly requests: string[] = [];
  /** Every wait a retry asked for, in ms (none is actually waited). */
  readonly sleeps: number[] = [];
  /** Injected failures, tried in order before the simulated answer. */
  faults: Fault[] = [];
  /** The most VMs one page of the VM list holds (Azure's page size is not documented). */
  vmPageSize = 1000;
  /** The most registrations one page holds, whatever `pageSize` asks. */
  sessionHostPageSize = 1000;

  constructor(
    private readonly fleet: () => SimulatedFleet | undefined,
    private readonly endpoint = "https://management.azure.com",
  ) {}

  async fetch(
    url: string,
    init: { method: "GET"; headers: Record<string, string> },
  ): Promise<ArmResponse> {
    this.requests.push(url);
    for (const fault of this.faults) {
      const answer = fault({ url, n: this.requests.length });
      if (answer) return response(answer.status, answer.body ?? "", answer.headers);
    }
    if (!/^Bearer \S+$/.test(init.headers.authorization ?? ""))
      return error(401, "AuthenticationFailed", "no bearer token");
    if (!url.startsWith(`${this.endpoint}/`))
      return error(400, "InvalidEndpoint", `not on ${this.endpoint}`);
    const parsed = new URL(url);
    const fleet = this.fleet() ?? { vms: {}, sessionHosts: {}, hostPools: {} };
    const skip = Number(parsed.searchParams.get("$skiptoken") ?? 0);
    const hosts = SESSION_HOSTS.exec(parsed.pathname);
    if (hosts) return this.sessionHosts(parsed, hosts, fleet, skip);
    const vms = VMS.exec(parsed.pathname);
    if (vms) return this.vms(parsed, vms, fleet, skip);
    return error(
      400,
      "UnsupportedRequest",
      `the simulated ARM does not answer GET ${parsed.pathname}`,
    );
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
  }

  private sessionHosts(
    url: URL,
    [, subscription, group, pool]: RegExpExecArray,
    fleet: SimulatedFleet,
    skip: number,
  ): ArmResponse {
    const poolName = decodeURIComponent(pool);
    const keys = Object.keys(fleet.sessionHosts).filter((k) => k.startsWith(`${poolName}/`));
    if (!fleet.hostPools[poolName] && keys.length === 0)
      return error(404, "ResourceNotFound", `host pool ${poolName} was not found`);
    const poolId = `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.DesktopVirtualization/hostPools/${pool}`;
    const items = keys.map((key) => {
      const host = key.slice(poolName.length + 1);
      const { resourceId, ...registration } = fleet.sessionHosts[key];
      const vm = host.split(".")[0];
      return {
        id: `${poolId}/sessionHosts/${host}`,
        name: `${poolName}/${host}`,
        type: "Microsoft.DesktopVirtualization/hostPools/sessionHosts",
        properties: {
          resourceId: resourceId ?? vmId(subscription, group, vm),
          ...pick(registration, ["sessions", "status", "allowNewSession", "assignedUser"]),
        },
      };
    });
    const asked = Number(url.searchParams.get("pageSize") ?? this.sessionHostPageSize);
    return this.page(url, items, skip, Math.min(asked, this.sessionHostPageSize));
  }

  private vms(
    url: URL,
    [, subscription, group]: RegExpExecArray,
    fleet: SimulatedFleet,
    skip: number,
  ): ArmResponse {
    const items = Object.entries(fleet.vms)
      .filter(([, vm]) => {
        const at = vm.resourceGroupName;
        return (
          typeof at !== "string" || at.toLowerCase() === decodeURIComponent(group).toLowerCase()
        );
      })
      .map(([name, vm]) => ({
        id: vmId(subscription, group, name),
        name,
        type: "Microsoft.Compute/virtualMachines",
        location: "westeurope",
        tags: vm.tags ?? {},
        properties: { storageProfile: vm.storageProfile ?? {} },
      }));
    return this.page(url, items, skip, this.vmPageSize);
  }

  private page(url: URL, items: unknown[], skip: number, size: number): ArmResponse {
    const value = items.slice(skip, skip + size);
    const next = new URL(url);
    next.searchParams.set("$skiptoken", String(skip + size));
    const more = skip + size < items.length;
    return response(200, JSON.stringify(more ? { value, nextLink: next.toString() } : { value }));
  }
}

function vmId(subscription: string, group: string, name: string): string {
  return `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${name}`;
}

function pick(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
}

function error(status: number, code: string, message: string): ArmResponse {
  return response(status, JSON.stringify({ error: { code, message } }));
}

function response(status: number, body: string, headers: Record<string, string> = {}): ArmResponse {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: { get: (name) => lower.get(name.toLowerCase()) ?? null },
    text: async () => body,
  };
}

/** Where {@link seededPool} lives: the fleet query of its observation. */
export const SEEDED_POOL = {
  subscriptionId: "00000000-0000-0000-0000-000000000000",
  resourceGroup: "rg",
  poolName: "pool1",
  prefix: "avd",
  domain: "",
} as const;

/**
 * A simulated pool `pool1` of `hosts` registered, Available hosts `avd-<n>` on `imageId`, with
 * `n % 5` sessions each (the bench's and the tests' large fleets).
 */
export function seededPool(hosts: number, imageId: string): SimulatedFleet {
  const fleet: SimulatedFleet = { vms: {}, sessionHosts: {}, hostPools: { pool1: {} } };
  for (let i = 0; i < hosts; i++) {
    fleet.vms[`avd-${i}`] = { tags: {}, storageProfile: { imageReference: { id: imageId } } };
    fleet.sessionHosts[`pool1/avd-${i}`] = {
      status: "Available",
      sessions: i % 5,
      allowNewSession: true,
    };
  }
  return fleet;
}
