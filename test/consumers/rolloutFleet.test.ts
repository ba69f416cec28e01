/**
 * Fleets observed by list (two paged ARM lists per pool, whatever its size): a 1,000-host pool in
 * a few reads, every host seen whatever any count or tag says (none deleted before it is drained
 * and empty), what the program does not manage reported and left alone, and a list that fails
 * stopping the up before anything is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf } from "../helpers/mocks";

// The Pulumi SDK records a stack trace for every promise it makes: most of this suite's time.
Error.stackTraceLimit = 2;
const recorder = installMocks();
import { clock, fleet } from "../helpers/rolloutProgram";
import { parseRfc3339 } from "../../src/domain/common/time";
import { planFleet } from "../../src/consumers/sessionHosts";
import { SUBNET, poolArgs } from "../fixtures/hostPool";
import type { VmTemplatePlan } from "../../src/domain/hostPools/hostPool";
import type { ConsumerBinding } from "../../src/consumers/vmImageReference";

jest.spyOn(Date, "now").mockImplementation(() => clock.now);
afterEach(() => {
  recorder.arm.faults = [];
  recorder.arm.requests.length = 0;
});

const PER_HOST_READS = [
  "azure-native:compute:getVirtualMachine",
  "azure-native:desktopvirtualization:getSessionHost",
];

/** The observation step of a pool's up (planFleet), on its own: it registers nothing. */
function observationStep(pool: string, prefix: string, count: number) {
  const parent = new pulumi.ComponentResource("test:index:Pool", pool, {}, recorder.opts);
  return planFleet({
    name: pool,
    args: poolArgs({} as never, (a) => (a.hostPoolName = pool)),
    hosts: { count, subnetId: SUBNET, rollout: { batchSize: "10%" } },
    count,
    template: { namePrefix: prefix, domain: "" } as VmTemplatePlan,
    bound: { version: "2.0.0" } as ConsumerBinding,
    parent,
  });
}

describe("observing a pool by list", () => {
  // Declaring 1,000 hosts (4,000 resources) under the mocks takes minutes and gigabytes, so the
  // reads are counted in two parts: a whole up reads the same whatever the pool's size, and the
  // step that reads (the pool's observation, under the same mocks) reads 1,000 hosts in pages.
  it("a whole up makes the same reads for 12 hosts as for 3, none of them per host", async () => {
    const reads = async (hosts: number, prefix: string) => {
      const f = fleet(recorder, hosts, "1.0.0", 0, prefix);
      recorder.arm.requests.length = 0;
      await f.up({ active: "2.0.0", count: hosts });
      return { invokes: [...recorder.invokes].sort(), arm: recorder.arm.requests.length };
    };
    const small = await reads(3, "sm");
    const large = await reads(12, "lg");
    expect(large).toEqual(small);
    expect(small.arm).toBe(2); // the registrations list and the VM list, one page each
    expect(small.invokes.filter((t) => PER_HOST_READS.includes(t))).toEqual([]);
  });

  it("the observation of a 1,000-host pool is a few paged list calls", async () => {
    for (const vm of Object.keys(recorder.live.vms)) delete recorder.live.vms[vm];
    const f = fleet(recorder, 1000, "1.0.0", 0, "big");
    recorder.reset();
    recorder.arm.requests.length = 0;
    recorder.arm.vmPageSize = 250; // Azure's VM page size is undocumented: paging must not matter
    const step = await promiseOf(observationStep(f.name, "big", 1000));
    recorder.arm.vmPageSize = 1000;
    // One page of 1,000 registrations and four of 250 VMs; two invokes for the credentials.
    expect(recorder.arm.requests).toHaveLength(5);
    expect([...recorder.invokes].sort()).toEqual([
      "azure-native:authorization:getClientConfig",
      "azure-native:authorization:getClientToken",
    ]);
    expect(step.observed).toHaveLength(1000);
    expect(step.plan.hosts.filter((h) => h.action === "drain")).toHaveLength(1); // the canary
  });

  it("a pool scaled in mid-rollout is seen whole: no host is deleted before it is drained and empty", async () => {
    const f = fleet(recorder, 4, "1.0.0", 1);
    // As an earlier release left the pool: a slots tag saying 4.
    recorder.live.hostPools[f.name] = { tags: { "global-image:host-slots": "4" } };
    const settings = { batchSize: 2, drainGraceMinutes: 60 };
    await f.up({ active: "2.0.0", count: 4, rollout: settings });
    await f.up({ active: "2.0.0", count: 4, rollout: settings });
    // Mid-rollout the slots tag is lost (edited, the pool re-tagged) and count drops to 2: what
    // the tag would have hidden (avd-2, avd-3) is seen all the same.
    recorder.live.hostPools[f.name] = { tags: {} };
    let done = false;
    for (let i = 0; i < 40 && !done; i++) {
      const before = new Map(f.world.observe().map((h) => [h.name, h]));
      const { status, effects } = await f.up({ active: "2.0.0", count: 2, rollout: settings });
      expect(status.hosts.map((h) => h.name)).toEqual(expect.arrayContaining([...before.keys()]));
      for (const name of effects.deleted) {
        const host = before.get(name)!;
        expect(host).toMatchObject({ allowNewSession: false, drainingSince: expect.any(String) });
        const minutes = (clock.now - 15 * 60_000 - parseRfc3339(host.drainingSince!)!) / 60_000;
        expect(host.sessions === 0 || minutes >= settings.drainGraceMinutes).toBe(true);
      }
      done = status.done;
    }
    expect(done).toBe(true);
    expect(f.versions()).toEqual(["2.0.0", "2.0.0"]);
    expect(f.log.flatMap((l) => l.effects.deleted)).toHaveLength(2);
  });

  it("a registration the program does not manage is reported, never drained or removed", async () => {
    const f = fleet(recorder, 2, "1.0.0", 1);
    const legacy = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-legacy/providers/Microsoft.Compute/virtualMachines/legacy-0`;
    recorder.live.sessionHosts[`${f.name}/legacy-0`] = {
      status: "Available",
      sessions: 5,
      allowNewSession: true,
      resourceId: legacy,
    };
    const { status } = await f.converge({ active: "2.0.0", count: 2 });
    expect(status.done).toBe(true);
    expect(status.unmanaged).toEqual([
      {
        name: "legacy-0",
        reason: `its VM ${legacy} is not one of this pool's hosts (avd-<n> in resource group rg-avd-pools)`,
      },
    ]);
    const touched = f.log.flatMap(({ effects: { ops } }) => [...ops.drain, ...ops.remove]);
    expect(touched).not.toContain("legacy-0");
    expect(recorder.live.sessionHosts[`${f.name}/legacy-0`]).toMatchObject({ sessions: 5 });
  });

  it.each([
    [
      "403 on the registrations",
      /\/sessionHosts/,
      403,
      /could not list the session hosts of host pool "pool\d+".*HTTP 403/,
    ],
    [
      "503 on the VMs, every retry",
      /\/virtualMachines/,
      503,
      /could not list the virtual machines of resource group "rg-avd-pools".*after 5 tries/,
    ],
  ])(
    "a list that fails stops the step before anything is declared: %s",
    async (_case, match, code, reason) => {
      const f = fleet(recorder, 2, "1.0.0", 1);
      recorder.reset();
      recorder.arm.faults = [({ url }) => (match.test(url) ? { status: code } : undefined)];
      // The step's declarations (VMs, the session host control) run only on its observation.
      await expect(promiseOf(observationStep(f.name, "avd", 2))).rejects.toThrow(reason);
      expect(recorder.registrations.map((r) => r.type)).toEqual(["test:index:Pool"]);
      expect(f.world.observe()).toHaveLength(2); // nothing deleted
    },
  );
});
