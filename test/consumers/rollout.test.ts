/**
 * Rolling re-image under the Pulumi mocks: the same program run up after up against a simulated
 * Azure (session counts and health answered by the mocks), the rollout invariants asserted at
 * every step, for a promotion, a rollback, a failing new host, surge, a host deleted by hand and
 * a validation pool.
 */
import { installMocks } from "../helpers/mocks";

// The Pulumi SDK records a stack trace for every promise it makes: most of this suite's time.
Error.stackTraceLimit = 2;
const recorder = installMocks();
import { clock, fleet as makeFleet } from "../helpers/rolloutProgram";

jest.spyOn(Date, "now").mockImplementation(() => clock.now);
const fleet = (count: number, version: string, sessions = 1, prefix = "avd") =>
  makeFleet(recorder, count, version, sessions, prefix);

describe("rolling re-image under the mocks", () => {
  it("a promotion replaces no host by itself, then rolls one canary and batches to done", async () => {
    const f = fleet(3, "1.0.0");
    const first = await f.up({
      active: "2.0.0",
      count: 3,
      rollout: { batchSize: 2, drainGraceMinutes: 30 },
    });
    expect(first.effects.replaced).toEqual([]);
    expect(first.effects.ops.drain).toEqual(["avd-0"]); // the canary
    const { status } = await f.converge({
      active: "2.0.0",
      count: 3,
      rollout: { batchSize: 2, drainGraceMinutes: 30 },
    });
    expect(status).toMatchObject({ done: true, target: "2.0.0", summary: "converged on 2.0.0" });
    expect(f.versions()).toEqual(["2.0.0", "2.0.0", "2.0.0"]);
    expect(f.world.ghosts()).toEqual([]);
    // Kept hosts keep their replacement trigger: the last up rebuilds nothing.
    for (const vm of recorder.registered("azure-native:compute:VirtualMachine"))
      expect(vm.opts.replacementTrigger).toBe(
        recorder.live.vms[vm.inputs.vmName].tags["global-image:created-at"],
      );
    const drained = f.log.map((l) => l.effects.ops.drain.length).filter((n) => n > 0);
    expect(drained).toEqual([1, 2]); // the canary, then a batch of 2
  });

  it("rolls back by the same path: a drained host not yet replaced reopens", async () => {
    const f = fleet(3, "1.0.0");
    await f.up({ active: "2.0.0", count: 3 }); // drains avd-0
    const back = await f.up({ active: "1.0.0", count: 3 });
    expect(back.effects.ops.reopen).toEqual(["avd-0"]);
    expect(back.status.done).toBe(false);
    const { status } = await f.converge({ active: "1.0.0", count: 3 });
    expect(status.done).toBe(true);
    expect(f.versions()).toEqual(["1.0.0", "1.0.0", "1.0.0"]);
    expect(f.log.flatMap((l) => l.effects.replaced)).toEqual([]);
  });

  it("halts at a new host that does not come up healthy, touches nothing more, and names it", async () => {
    const f = fleet(3, "1.0.0", 0);
    f.world.newHostStatus = () => "NeedsAssistance";
    const { status } = await f.converge({
      active: "2.0.0",
      count: 3,
      rollout: { drainGraceMinutes: 0 },
    });
    expect(status.halted).toMatch(
      /^Rollout to 2\.0\.0 halted: session host "avd-0" did not become healthy/,
    );
    const again = await f.up({ active: "2.0.0", count: 3, rollout: { drainGraceMinutes: 0 } });
    expect(again.status.halted).toBe(status.halted);
    expect(again.effects).toMatchObject({ replaced: [], created: [], deleted: [] });
    expect(again.effects.ops).toEqual({ drain: [], reopen: [], remove: [], assign: {} });
    expect(f.versions()).toEqual(["2.0.0", "1.0.0", "1.0.0"]);
    // Rolling back moves on: the failed host is now the one off target.
    const { status: back } = await f.converge(
      { active: "1.0.0", count: 3, rollout: { drainGraceMinutes: 0 } },
      30,
    );
    expect(back.done).toBe(false); // the new 1.0.0 hosts also fail in this world: halted again
  });

  it("with surge, adds hosts first so accepting hosts never drop below count", async () => {
    const f = fleet(2, "1.0.0");
    let least = f.accepting();
    for (let i = 0; i < 60; i++) {
      const { status } = await f.up({
        active: "2.0.0",
        count: 3,
        rollout: { surge: true, drainGraceMinutes: 30 },
      });
      least = Math.min(least, f.accepting());
      if (status.done) break;
    }
    expect(f.log[f.log.length - 1].status.done).toBe(true);
    expect(least).toBeGreaterThanOrEqual(2);
    expect(f.log[0].effects.created).toEqual(["avd-2"]);
    expect(f.world.ghosts()).toEqual([]);
  });

  it("recreates a host deleted by hand, under its own name", async () => {
    const f = fleet(3, "1.0.0");
    await f.up({ active: "2.0.0", count: 3 });
    f.world.deleteByHand("avd-2");
    const next = await f.up({ active: "2.0.0", count: 3 });
    expect(next.effects.created).toEqual(["avd-2"]);
    // The stack's state still holds avd-2: a new replacement trigger makes the engine rebuild
    // it (and its NIC) even where its inputs did not change; kept hosts keep theirs.
    const trigger = (name: string) =>
      recorder.registrations.find(
        (r) => r.type === "azure-native:compute:VirtualMachine" && r.inputs.vmName === name,
      )!.opts.replacementTrigger;
    expect(trigger("avd-2")).toMatch(/^2026-12-01T/);
    expect(recorder.live.vms["avd-2"].tags["global-image:created-at"]).toBe(trigger("avd-2"));
    expect(trigger("avd-1")).toBeUndefined();
    const nic = recorder.get("azure-native:network:NetworkInterface", `${f.name}-nic-2`);
    expect(nic.opts).toMatchObject({
      replacementTrigger: trigger("avd-2"),
      deleteBeforeReplace: true,
    });
    const { status } = await f.converge({ active: "2.0.0", count: 3 });
    expect(status.done).toBe(true);
  });

  it("a personal desktop is rebuilt under its name and given back to its user", async () => {
    const f = fleet(2, "1.0.0", 0);
    const users = { "avd-0": "ana@contoso.com", "avd-1": "bo@contoso.com" };
    for (const [host, user] of Object.entries(users))
      recorder.live.sessionHosts[`${f.name}/${host}`].assignedUser = user;
    const { status } = await f.converge({ active: "2.0.0", count: 2, personal: true });
    expect(status.done).toBe(true);
    expect(f.log.flatMap((l) => l.effects.replaced).sort()).toEqual(["avd-0", "avd-1"]);
    for (const [host, user] of Object.entries(users))
      expect(recorder.live.sessionHosts[`${f.name}/${host}`].assignedUser).toBe(user);
    expect(f.log.flatMap((l) => Object.entries(l.effects.ops.assign))).toEqual(
      expect.arrayContaining(Object.entries(users)),
    );
  });

  it("a validation pool rolls to the staged version; production stays on the active one", async () => {
    const validation = fleet(2, "1.0.0", 1, "val");
    const prod = fleet(2, "1.0.0", 1, "prd");
    const staged = { active: "1.0.0", staged: "2.0.0", count: 2 };
    const { status } = await validation.converge({ ...staged, validation: true });
    expect(status.done).toBe(true);
    expect(validation.versions()).toEqual(["2.0.0", "2.0.0"]);
    const { status: prodStatus } = await prod.converge(staged);
    expect(prodStatus).toMatchObject({ done: true, target: "1.0.0" });
    expect(prod.log).toHaveLength(1);
  });
});
