/**
 * A simulated Azure behind the Pulumi mocks, for running a program up after up: the mocks'
 * get invokes answer from it, and after each run it applies what the run declared as the engine
 * and Azure would (the session host control's ARM calls, VMs created, replaced, updated or
 * deleted, the agent registering new VMs), then lets time pass.
 */
import { type HostObservation, compareNames } from "../../src/domain/hostPools/rollout";
import { SESSION_HOST_CONTROL_TYPE } from "../../src/consumers/sessionHostCalls";
import type { SessionHostOps } from "../../src/consumers/sessionHostCalls";
import type { Recorder } from "./mocks";

const VM = "azure-native:compute:VirtualMachine";
const POOL = "azure-native:desktopvirtualization:HostPool";
const DRAINING = "global-image:draining-since";

/** What happened in one run, for assertions. */
export interface RunEffects {
  readonly ops: SessionHostOps;
  readonly replaced: string[];
  readonly created: string[];
  readonly deleted: string[];
}

export class FleetWorld {
  /** Status a VM created in a run reports once registered (default Available). */
  newHostStatus: (vmName: string) => string = () => "Available";
  /** Sessions after time passes (default: open hosts keep theirs, drained ones halve). */
  sessionsAfter: (h: HostObservation) => number = (h) =>
    h.allowNewSession ? h.sessions : Math.floor(h.sessions / 2);

  constructor(
    private readonly recorder: Recorder,
    private readonly poolName: string,
    /** Session host VMs of this pool are `<prefix>-<n>`. */
    private readonly prefix: string,
  ) {}

  private get live() {
    return this.recorder.live;
  }

  /** The hosts as a rollout observes them (name, version, sessions, status, drain). */
  observe(): HostObservation[] {
    return Object.entries(this.live.vms)
      .filter(([name]) => name.startsWith(`${this.prefix}-`))
      .map(([name, vm]) => {
        const reg = this.live.sessionHosts[`${this.poolName}/${name}`];
        const drainingSince = vm.tags[DRAINING] as string | undefined;
        return {
          name,
          version: String(vm.storageProfile.imageReference.id).split("/").pop()!,
          sessions: reg?.sessions ?? 0,
          status: reg?.status ?? "NotRegistered",
          allowNewSession: reg ? reg.allowNewSession !== false : drainingSince === undefined,
          ...(drainingSince ? { drainingSince } : {}),
        };
      })
      .sort((a, b) => compareNames(a.name, b.name));
  }

  /** Registrations whose VM is gone ("ghosts" in the pool). */
  ghosts(): string[] {
    return Object.keys(this.live.sessionHosts)
      .filter((k) => k.startsWith(`${this.poolName}/`))
      .map((k) => k.slice(this.poolName.length + 1))
      .filter((name) => !this.live.vms[name]);
  }

  /** Applies what the recorder's last run declared; returns what changed. */
  applyRun(): RunEffects {
    const control = this.recorder.registered(SESSION_HOST_CONTROL_TYPE)[0];
    const ops: SessionHostOps = control?.inputs.ops ?? {
      drain: [],
      reopen: [],
      remove: [],
      assign: {},
    };
    const reg = (name: string) => this.live.sessionHosts[`${this.poolName}/${name}`];
    for (const name of ops.remove) delete this.live.sessionHosts[`${this.poolName}/${name}`];
    for (const name of ops.drain) reg(name).allowNewSession = false;
    for (const name of ops.reopen) reg(name).allowNewSession = true;
    for (const [name, user] of Object.entries(ops.assign)) reg(name).assignedUser = user;
    const declared = new Map(
      this.recorder.registered(VM).map((r) => [r.inputs.vmName as string, r.inputs]),
    );
    const effects = {
      ops,
      replaced: [] as string[],
      created: [] as string[],
      deleted: [] as string[],
    };
    for (const name of Object.keys(this.live.vms)) {
      if (name.startsWith(`${this.prefix}-`) && !declared.has(name)) {
        delete this.live.vms[name];
        effects.deleted.push(name);
      }
    }
    for (const [name, inputs] of declared) {
      const old = this.live.vms[name];
      const imageId = inputs.storageProfile.imageReference.id;
      if (old && old.storageProfile.imageReference.id === imageId) {
        old.tags = inputs.tags; // an in-place update
        continue;
      }
      (old ? effects.replaced : effects.created).push(name);
      this.live.vms[name] = {
        name,
        tags: inputs.tags,
        storageProfile: { imageReference: { id: imageId } },
      };
      // The AVD agent registers the new VM under its name (a replaced host's old registration
      // was removed by the control before).
      this.live.sessionHosts[`${this.poolName}/${name}`] = {
        status: this.newHostStatus(name),
        sessions: 0,
        allowNewSession: true,
      };
    }
    const pool = this.recorder
      .registered(POOL)
      .find((p) => p.inputs.hostPoolName === this.poolName);
    if (pool) this.live.hostPools[this.poolName] = { tags: pool.inputs.tags };
    return effects;
  }

  /** Time passes between two ups: sessions end (or start). */
  passTime(): void {
    for (const h of this.observe()) {
      const reg = this.live.sessionHosts[`${this.poolName}/${h.name}`];
      if (reg) reg.sessions = this.sessionsAfter(h);
    }
  }

  /** Someone deletes a host's VM and its registration in the portal. */
  deleteByHand(name: string): void {
    delete this.live.vms[name];
    delete this.live.sessionHosts[`${this.poolName}/${name}`];
  }

  /** Seeds `count` healthy hosts `<prefix>-<n>` on `versionId`, with `sessions` each. */
  seed(count: number, versionId: string, sessions: number): void {
    for (let n = 0; n < count; n++) {
      const name = `${this.prefix}-${n}`;
      this.live.vms[name] = {
        name,
        tags: {},
        storageProfile: { imageReference: { id: versionId } },
      };
      this.live.sessionHosts[`${this.poolName}/${name}`] = {
        status: "Available",
        sessions,
        allowNewSession: true,
      };
    }
  }
}
