/**
 * The Azure a `check --against` run observes: what the base run deployed. A session host rollout
 * plans from the live fleet, so the change under review must see the base's VMs (their versions
 * and tags), registrations and pools, as the next `pulumi up` would, not an empty subscription
 * (which would read as a first deployment on the new version and show every host replaced).
 */
import { TagKey } from "../domain/common/tags";
import type { RegisteredResource } from "./policyRun";

/** Live resources by name, as azure-native's get invokes return them. */
export interface LiveFleet {
  /** VMs by name: their tags and image reference. */
  readonly vms: Record<string, Record<string, unknown>>;
  /** Registrations by `<host pool>/<session host>`: status, sessions, drain state. */
  readonly sessionHosts: Record<string, Record<string, unknown>>;
  /** Host pools by name: their tags. */
  readonly hostPools: Record<string, Record<string, unknown>>;
}

const VM = "azure-native:compute:VirtualMachine";
const POOL = "azure-native:desktopvirtualization:HostPool";

/**
 * The fleet the base run would leave: every VM it declared, every pool with its tags, and a
 * registration for each session host VM of an ImageHostPool (Available, no sessions; drained
 * when its tags say a rollout drained it).
 */
export function liveFleetFrom(resources: readonly RegisteredResource[]): LiveFleet {
  const fleet: LiveFleet = { vms: {}, sessionHosts: {}, hostPools: {} };
  const pools = new Map<string, { name: string; domain: string }>(); // by parent URN
  for (const r of resources.filter((x) => x.type === POOL)) {
    const name = String(r.inputs.hostPoolName ?? r.name);
    fleet.hostPools[name] = { name, tags: r.inputs.tags ?? {} };
    if (r.parentUrn) pools.set(r.parentUrn, { name, domain: templateDomain(r.inputs.vmTemplate) });
  }
  for (const r of resources.filter((x) => x.type === VM)) {
    const name = String(r.inputs.vmName ?? r.name);
    const tags = (r.inputs.tags ?? {}) as Record<string, unknown>;
    const group = r.inputs.resourceGroupName;
    fleet.vms[name] = {
      name,
      tags,
      storageProfile: r.inputs.storageProfile,
      ...(typeof group === "string" ? { resourceGroupName: group } : {}),
    };
    const pool = r.parentUrn ? pools.get(r.parentUrn) : undefined;
    if (!pool) continue;
    const host = pool.domain === "" ? name : `${name}.${pool.domain}`;
    fleet.sessionHosts[`${pool.name}/${host}`] = {
      name: host,
      status: "Available",
      sessions: 0,
      allowNewSession: tags[TagKey.DrainingSince] === undefined,
    };
  }
  return fleet;
}

function templateDomain(vmTemplate: unknown): string {
  try {
    const doc = JSON.parse(String(vmTemplate)) as { domain?: unknown };
    return typeof doc.domain === "string" ? doc.domain : "";
  } catch {
    return "";
  }
}
