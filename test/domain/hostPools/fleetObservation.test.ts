import fc from "fast-check";
import { planRollout } from "../../../src/domain/hostPools/rollout";
import { assertStepInvariants } from "../../helpers/rolloutInvariants";
import {
  FleetListError,
  FleetLists,
  joinFleet,
} from "../../../src/domain/hostPools/fleetObservation";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const DEF = `${SUB}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/g/images/win11`;
const vmId = (name: string, group = "rg-hosts") =>
  `${SUB}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${name}`;

/** A VM as VirtualMachines_List returns it. */
const vm = (name: string, version: string, tags: Record<string, string> = {}) => ({
  id: vmId(name),
  name,
  tags,
  properties: { storageProfile: { imageReference: { id: `${DEF}/versions/${version}` } } },
});
/** A registration as SessionHosts_List returns it. */
const registration = (host: string, properties: Record<string, unknown> = {}) => ({
  name: `pool1/${host}`,
  properties: {
    resourceId: vmId(host.split(".")[0]),
    sessions: 0,
    status: "Available",
    allowNewSession: true,
    ...properties,
  },
});
const lists = (change: Partial<FleetLists> = {}): FleetLists => ({
  prefix: "avd",
  domain: "",
  poolName: "pool1",
  resourceGroup: "rg-hosts",
  sessionHosts: [],
  vms: [],
  ...change,
});

describe("joinFleet: one observation per host from the two lists", () => {
  it("joins each VM with its registration: version, sessions, status, drain, users", () => {
    const fleet = joinFleet(
      lists({
        vms: [
          vm("avd-0", "1.0.0", { "global-image:created-at": "2026-11-01T00:00:00.000Z" }),
          vm("avd-1", "2.0.0", {
            "global-image:draining-since": "2026-12-01T08:00:00.000Z",
            "global-image:assigned-user": "ana@contoso.com",
          }),
        ],
        sessionHosts: [registration("avd-0", { sessions: 3, assignedUser: "" })],
      }),
    );
    expect(fleet.unmanaged).toEqual([]);
    expect(fleet.hosts).toEqual([
      {
        name: "avd-0",
        version: "1.0.0",
        sessions: 3,
        status: "Available",
        allowNewSession: true,
        drainingSince: undefined,
        registered: true,
        registrationName: "avd-0",
        assignedUser: undefined,
        carriedUser: undefined,
        imageId: `${DEF}/versions/1.0.0`,
        createdAt: "2026-11-01T00:00:00.000Z",
      },
      // Not registered (yet, or any more): its recorded drain stands for AVD's.
      expect.objectContaining({
        name: "avd-1",
        status: "NotRegistered",
        allowNewSession: false,
        drainingSince: "2026-12-01T08:00:00.000Z",
        registered: false,
        carriedUser: "ana@contoso.com",
      }),
    ]);
  });

  it("sees every host, whatever a count or the old slots tag says (no slot numbering)", () => {
    const fleet = joinFleet(
      lists({
        vms: ["avd-0", "avd-7", "avd-12", "avd-10000"].map((n) => vm(n, "1.0.0")),
        sessionHosts: ["avd-0", "avd-7", "avd-12", "avd-10000"].map((n) => registration(n)),
      }),
    );
    expect(fleet.hosts.map((h) => h.name)).toEqual(["avd-0", "avd-7", "avd-12", "avd-10000"]);
    expect(fleet.hosts.every((h) => h.registered)).toBe(true);
  });

  it("joins AD-joined registrations (<vm>.<domain>) by the VM id, and by name without one", () => {
    const fleet = joinFleet(
      lists({
        domain: "corp.contoso.com",
        vms: [vm("avd-0", "1.0.0"), vm("avd-1", "1.0.0")],
        sessionHosts: [
          registration("avd-0.corp.contoso.com", { sessions: 1 }),
          {
            name: "pool1/avd-1.corp.contoso.com",
            properties: { sessions: 2, status: "Available" },
          },
        ],
      }),
    );
    expect(fleet.hosts.map((h) => [h.registrationName, h.sessions])).toEqual([
      ["avd-0.corp.contoso.com", 1],
      ["avd-1.corp.contoso.com", 2],
    ]);
  });

  it("reports what it does not manage, and plans none of it", () => {
    const fleet = joinFleet(
      lists({
        vms: [
          vm("avd-0", "1.0.0"),
          vm("avd-1", "1.0.0", { "global-image:host-pool": "pool2" }), // another pool's host
          vm("jumpbox", "1.0.0"), // not a host: ignored
          vm("manual-vm", "1.0.0", { "global-image:host-pool": "pool1" }),
          vm("avd-01", "1.0.0"), // not a name a step makes
        ],
        sessionHosts: [
          registration("avd-0"),
          { name: "pool1/legacy-3", properties: { resourceId: vmId("legacy-3", "rg-other") } },
          registration("avd-5"), // its VM is gone
          registration("avd-1"), // its VM is pool2's
        ],
      }),
    );
    expect(fleet.hosts.map((h) => h.name)).toEqual(["avd-0"]);
    expect(fleet.unmanaged).toEqual([
      {
        name: "manual-vm",
        reason: "tagged as a host of this pool but not named avd-<n>, so no step declares it",
      },
      {
        name: "legacy-3",
        reason: `its VM ${vmId("legacy-3", "rg-other")} is not one of this pool's hosts (avd-<n> in resource group rg-hosts)`,
      },
      {
        name: "avd-5",
        reason:
          "its VM avd-5 no longer exists (remove the registration, or let the rollout create the host again)",
      },
      {
        name: "avd-1",
        reason: `its VM ${vmId("avd-1")} is not one of this pool's hosts (avd-<n> in resource group rg-hosts)`,
      },
    ]);
  });

  it.each([
    [{ sessionHosts: [{ properties: {} }] }, /item 0 of the session host list: "name" is missing/],
    [
      { sessionHosts: [registration("avd-0", { sessions: "3" })] },
      /"properties\.sessions" is "3", not a count/,
    ],
    [
      { sessionHosts: [registration("avd-0", { allowNewSession: "yes" })] },
      /"properties\.allowNewSession" is "yes", not true or false/,
    ],
    [{ sessionHosts: [{ name: "pool1/avd-0", properties: [] }] }, /"properties" is \[\]/],
    [{ vms: ["avd-0"] }, /item 0 of the virtual machine list: "" is "avd-0", not an object/],
    [
      { vms: [vm("avd-0", "1.0.0"), { name: 7 }] },
      /item 1 of the virtual machine list: "name" is 7/,
    ],
  ])("refuses an item that is not what ARM documents (%#)", (change, reason) => {
    expect(() => joinFleet(lists(change as Partial<FleetLists>))).toThrow(FleetListError);
    expect(() => joinFleet(lists(change as Partial<FleetLists>))).toThrow(reason);
  });

  it("loses nothing: every host VM is observed once, every registration is joined or reported (any fleet)", () => {
    const host = fc.record({
      n: fc.integer({ min: 0, max: 50 }),
      vm: fc.boolean(),
      registered: fc.boolean(),
      pool: fc.constantFrom(undefined, "pool1", "pool2"),
    });
    fc.assert(
      fc.property(fc.uniqueArray(host, { selector: (h) => h.n, maxLength: 30 }), (hosts) => {
        const tags = (pool?: string) =>
          pool ? { "global-image:host-pool": pool } : ({} as Record<string, string>);
        const fleet = joinFleet(
          lists({
            vms: hosts.filter((h) => h.vm).map((h) => vm(`avd-${h.n}`, "1.0.0", tags(h.pool))),
            sessionHosts: hosts.filter((h) => h.registered).map((h) => registration(`avd-${h.n}`)),
          }),
        );
        const ours = hosts.filter((h) => h.vm && h.pool !== "pool2").map((h) => `avd-${h.n}`);
        expect(fleet.hosts.map((h) => h.name).sort()).toEqual([...ours].sort());
        for (const h of hosts.filter((x) => x.registered)) {
          const name = `avd-${h.n}`;
          const joined = fleet.hosts.some((x) => x.name === name && x.registered);
          const reported = fleet.unmanaged.some((u) => u.name === name);
          expect(joined !== reported).toBe(true);
          // A registration whose VM is listed is never called gone.
          const gone = fleet.unmanaged.find((u) => u.name === name)?.reason.includes("no longer");
          expect(gone === true).toBe(reported && !h.vm);
        }
      }),
    );
  });

  it("any listed fleet → one step keeps the rollout invariants", () => {
    const item = fc.record({
      n: fc.integer({ min: 0, max: 20 }),
      vm: fc.boolean(),
      registered: fc.boolean(),
      version: fc.constantFrom("1.0.0", "2.0.0"),
      sessions: fc.integer({ min: 0, max: 5 }),
      status: fc.constantFrom("Available", "Available", "Upgrading", "Unavailable"),
      open: fc.boolean(),
      drainedMinutesAgo: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
    });
    const now = Date.parse("2026-12-07T12:00:00Z");
    fc.assert(
      fc.property(
        fc.uniqueArray(item, { selector: (h) => h.n, maxLength: 12 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom<number | string>(1, 2, "25%", "50%"),
        (items, count, batchSize) => {
          const drainTag = (h: (typeof items)[number]): Record<string, string> =>
            h.drainedMinutesAgo === undefined
              ? {}
              : {
                  "global-image:draining-since": new Date(
                    now - h.drainedMinutesAgo * 60_000,
                  ).toISOString(),
                };
          const fleet = joinFleet(
            lists({
              vms: items.filter((h) => h.vm).map((h) => vm(`avd-${h.n}`, h.version, drainTag(h))),
              sessionHosts: items
                .filter((h) => h.registered)
                .map((h) =>
                  registration(`avd-${h.n}`, {
                    sessions: h.sessions,
                    status: h.status,
                    allowNewSession: h.open && h.drainedMinutesAgo === undefined,
                  }),
                ),
            }),
          );
          const input = {
            target: "2.0.0",
            count,
            hosts: fleet.hosts,
            settings: { batchSize, drainGraceMinutes: 60 },
            now: new Date(now).toISOString(),
            namePrefix: "avd",
          };
          assertStepInvariants(input, planRollout(input));
        },
      ),
      { numRuns: 500 },
    );
  });
});
