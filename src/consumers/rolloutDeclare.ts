/**
 * From a planned rollout step to what the program declares: the registration changes for the
 * session host control, each VM's tags and image id, the pool's slot count, and the status the
 * pool reports.
 */
import { imageVersionArmId, parseGalleryImageId } from "../domain/common/armId";
import { PlannedHost, RolloutPlan } from "../domain/hostPools/rollout";
import type { RolloutSettingsSummary } from "../domain/hostPools/rolloutSettings";
import { TagKey } from "../domain/common/tags";
import { SessionHostOps } from "./sessionHostCalls";
import { ObservedHost, registrationOf } from "./rolloutObserve";

/** Where a pool's rollout stands after a `pulumi up` (the pool's `rollout` output). */
export interface RolloutStatus {
  /** The version the pool's hosts are moving to. */
  readonly target: string;
  /** Every host runs the target, open and Available. */
  readonly done: boolean;
  /** Why the rollout stopped, naming the host, and the fix. */
  readonly halted?: string;
  /** What this step did or waits for. */
  readonly summary: string;
  /** Every host and what this step did to it. */
  readonly hosts: RolloutHostStatus[];
  /** What the pool's rollout settings resolve to: hosts per batch, grace, surge, halt. */
  readonly settings?: RolloutSettingsSummary;
  /**
   * Registrations and VMs Azure shows for the pool that the program does not manage (another
   * tool's host, a registration whose VM is gone): left alone, never deleted. Absent when none.
   */
  readonly unmanaged?: UnmanagedHostStatus[];
}

/** One registration or VM in {@link RolloutStatus.unmanaged}. */
export interface UnmanagedHostStatus {
  /** The registration's name, or the VM's. */
  readonly name: string;
  /** Why the rollout leaves it alone. */
  readonly reason: string;
}

/** One host in a {@link RolloutStatus}. */
export interface RolloutHostStatus {
  /** The session host VM's name. */
  readonly name: string;
  /** The version it runs after this step. */
  readonly version: string;
  /** Whether it takes new sessions after this step. */
  readonly allowNewSession: boolean;
  /** keep, drain, replace, create or remove. */
  readonly action: string;
}

/** The registration changes of a step: only registered hosts can be patched or removed. */
export function stepOps(
  plan: RolloutPlan,
  observed: ObservedHost[],
  domain: string,
): SessionHostOps {
  const byName = new Map(observed.map((h) => [h.name, h]));
  const ops: {
    drain: string[];
    reopen: string[];
    remove: string[];
    assign: Record<string, string>;
  } = { drain: [], reopen: [], remove: [], assign: {} };
  if (plan.halted) return ops;
  for (const p of plan.hosts) {
    const seen = byName.get(p.name);
    if (!seen?.registered) continue;
    const registration = registrationOf(seen, domain);
    if (p.action === "replace" || p.action === "remove") ops.remove.push(registration);
    else if (!p.allowNewSession && seen.allowNewSession) ops.drain.push(registration);
    else if (p.allowNewSession && !seen.allowNewSession) ops.reopen.push(registration);
    if (p.action === "keep" && seen.carriedUser && !seen.assignedUser)
      ops.assign[registration] = seen.carriedUser;
  }
  return ops;
}

/**
 * The `global-image:*` tags of a host after the step: its version; `rolling` while that is not
 * the target; when it was drained (kept while it stays drained); the user to give a replaced
 * personal desktop back to (kept until the new registration has it).
 */
export function hostTags(
  planned: PlannedHost,
  seen: ObservedHost | undefined,
  target: string,
  now: string,
): Record<string, string> {
  const tags: Record<string, string> = { [TagKey.Version]: planned.version };
  const created = generationOf(planned, seen, now);
  if (created) tags[TagKey.CreatedAt] = created;
  if (planned.version !== target) tags[TagKey.Rollout] = "rolling";
  if (planned.action === "drain") tags[TagKey.DrainingSince] = seen?.drainingSince ?? now;
  else if (planned.action === "keep" && !planned.allowNewSession && seen?.drainingSince)
    tags[TagKey.DrainingSince] = seen.drainingSince;
  const user =
    planned.action === "replace"
      ? seen?.assignedUser
      : seen?.assignedUser
        ? undefined
        : seen?.carriedUser;
  if (user) tags[TagKey.AssignedUser] = user;
  return tags;
}

/**
 * When the host's current incarnation was created: now for a host this step creates or replaces,
 * else as recorded. It is the VM's and NIC's replacement trigger, so a host deleted by hand (still
 * in the stack's state, with the same inputs) is rebuilt rather than assumed to exist.
 */
function generationOf(
  planned: PlannedHost,
  seen: ObservedHost | undefined,
  now: string,
): string | undefined {
  return planned.action === "create" || planned.action === "replace" ? now : seen?.createdAt;
}

/**
 * The image id of a host kept on `version` while the pool moves to `targetId`: that version's id
 * in the target's image definition (the same text the host was created with, so it is not
 * replaced), or the host's own id when it boots another image definition.
 */
export function versionIdFor(
  version: string,
  targetId: string,
  seen: ObservedHost | undefined,
): string {
  const definition = targetId.replace(/\/versions\/[^/]+$/, "");
  const own = seen?.imageId ? parseGalleryImageId(seen.imageId) : undefined;
  const sameDefinition =
    own && own.definitionKey === parseGalleryImageId(definition)?.definitionKey;
  return sameDefinition || !seen?.imageId ? imageVersionArmId(definition, version) : seen.imageId;
}
