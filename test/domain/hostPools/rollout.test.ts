import {
  HostObservation,
  RolloutInput,
  RolloutSettings,
  SessionHostStatus,
  planRollout,
} from "../../../src/domain/hostPools/rollout";
import fc from "fast-check";
import {
  MAX_SESSION_HOSTS,
  describeRollout,
  percentOf,
  resolveRollout,
  summarizeRollout,
} from "../../../src/domain/hostPools/rolloutSettings";
import { isGlobalImageError } from "../../../src/domain/common/errors";
import { assertStepInvariants } from "../../helpers/rolloutInvariants";

const NOW = "2026-12-01T12:00:00Z";
const minutesAgo = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();

function host(name: string, over: Partial<HostObservation> = {}): HostObservation {
  return {
    name,
    version: "1.0.0",
    sessions: 0,
    status: "Available",
    allowNewSession: true,
    ...over,
  };
}

function plan(
  hosts: HostObservation[],
  settings: RolloutSettings = {},
  over: Partial<RolloutInput> = {},
) {
  const input: RolloutInput = {
    target: "2.0.0",
    count: hosts.length,
    hosts,
    settings,
    now: NOW,
    namePrefix: "h",
    ...over,
  };
  const result = planRollout(input);
  assertStepInvariants(input, result);
  return result;
}

const actions = (p: ReturnType<typeof plan>) =>
  Object.fromEntries(
    p.hosts.map((h) => [
      h.name,
      `${h.action}:${h.version}:${h.allowNewSession ? "open" : "drained"}`,
    ]),
  );

const drained = (m: number, sessions = 0, version = "1.0.0") =>
  ({ allowNewSession: false, drainingSince: minutesAgo(m), sessions, version }) as const;

describe("planRollout: one step", () => {
  it("creates count hosts on the target on a first deployment", () => {
    const p = plan([], {}, { count: 3 });
    expect(actions(p)).toEqual({
      "h-0": "create:2.0.0:open",
      "h-1": "create:2.0.0:open",
      "h-2": "create:2.0.0:open",
    });
    expect(p.done).toBe(false);
  });

  it("drains one host first (the canary), whatever batchSize says, the emptiest first", () => {
    const p = plan(
      [host("h-0", { sessions: 4 }), host("h-1", { sessions: 1 }), host("h-2", { sessions: 3 })],
      {
        batchSize: 3,
      },
    );
    expect(actions(p)).toEqual({
      "h-0": "keep:1.0.0:open",
      "h-1": "drain:1.0.0:drained",
      "h-2": "keep:1.0.0:open",
    });
    expect(p.summary).toBe("draining 1 host(s) (canary) for 2.0.0");
  });

  it("drains a full batch once a host on the target is healthy", () => {
    const p = plan([host("h-0", { version: "2.0.0" }), host("h-1"), host("h-2"), host("h-3")], {
      batchSize: "50%",
    });
    expect(Object.values(actions(p)).filter((a) => a.startsWith("drain"))).toHaveLength(2);
  });

  it("keeps a drained host with sessions until its grace period ends, then replaces it", () => {
    const hosts = (m: number) => [host("h-0", drained(m, 2)), host("h-1")];
    expect(actions(plan(hosts(59), { drainGraceMinutes: 60 }))["h-0"]).toBe("keep:1.0.0:drained");
    expect(actions(plan(hosts(60), { drainGraceMinutes: 60 }))["h-0"]).toBe("replace:2.0.0:open");
  });

  it("replaces an empty drained host at once, and never a host drained by hand before recording it", () => {
    expect(actions(plan([host("h-0", drained(1)), host("h-1")]))["h-0"]).toBe("replace:2.0.0:open");
    const byHand = plan([host("h-0", { allowNewSession: false }), host("h-1")]);
    expect(actions(byHand)["h-0"]).toBe("drain:1.0.0:drained");
  });

  it("waits for a replaced host to become Available before the next batch", () => {
    const p = plan(
      [host("h-0", { version: "2.0.0", status: "Upgrading" }), host("h-1"), host("h-2")],
      { batchSize: 2 },
    );
    expect(p.hosts.every((h) => h.action === "keep")).toBe(true);
    expect(p.summary).toBe("waiting for h-0 (Upgrading) to become Available");
  });

  it("halts on a new host that is not healthy and changes nothing", () => {
    const p = plan([
      host("h-0", { version: "2.0.0", status: "NeedsAssistance" }),
      host("h-1", drained(5)),
    ]);
    expect(p.halted).toMatch(
      /^Rollout to 2\.0\.0 halted: session host "h-0" did not become healthy on 2\.0\.0 \(status NeedsAssistance\)/,
    );
    expect(p.halted).toMatch(/raise rollout\.maxFailedHosts/);
    expect(actions(p)).toEqual({ "h-0": "keep:2.0.0:open", "h-1": "keep:1.0.0:drained" });
  });

  it("continues around failed hosts within maxFailedHosts", () => {
    const hosts = [
      host("h-0", { version: "2.0.0", status: "Unavailable" }),
      host("h-1", { version: "2.0.0" }),
      host("h-2"),
      host("h-3"),
    ];
    const p = plan(hosts, { maxFailedHosts: 1, batchSize: 2 });
    expect(p.halted).toBeUndefined();
    expect(Object.values(actions(p)).filter((a) => a.startsWith("drain"))).toHaveLength(1);
  });

  it("reopens a host drained for a rollout that was rolled back before it was replaced", () => {
    const p = plan([host("h-0", drained(10, 3, "2.0.0")), host("h-1", { version: "3.0.0" })]);
    expect(actions(p)["h-0"]).toBe("keep:2.0.0:open");
  });

  it("leaves a host on the target that was drained by hand, and is not done", () => {
    const p = plan([host("h-0", { version: "2.0.0", allowNewSession: false })], {});
    expect(actions(p)["h-0"]).toBe("keep:2.0.0:drained");
    expect(p.done).toBe(false);
    expect(p.summary).toMatch(/drained by hand/);
  });

  it("recreates a host deleted by hand under its own name", () => {
    const p = plan(
      [host("h-0", { version: "2.0.0" }), host("h-2", { version: "2.0.0" })],
      {},
      { count: 3 },
    );
    expect(actions(p)["h-1"]).toBe("create:2.0.0:open");
  });

  it("with surge, adds a host before draining an old one, then removes it", () => {
    const hosts = [host("h-0"), host("h-1")];
    const first = plan(hosts, { surge: true });
    expect(actions(first)["h-2"]).toBe("create:2.0.0:open");
    const second = plan(
      [...hosts, host("h-2", { version: "2.0.0" })],
      { surge: true },
      { count: 2 },
    );
    expect(actions(second)["h-0"]).toBe("drain:1.0.0:drained");
    const third = plan(
      [host("h-0", drained(5)), host("h-1"), host("h-2", { version: "2.0.0" })],
      { surge: true },
      { count: 2 },
    );
    expect(actions(third)["h-0"]).toBe("remove:1.0.0:drained");
  });

  it("is done when every host runs the target, open and Available", () => {
    const p = plan([host("h-0", { version: "2.0.0" }), host("h-1", { version: "2.0.0" })]);
    expect(p).toMatchObject({ done: true, summary: "converged on 2.0.0" });
  });

  it("orders hosts by name with numbers as numbers", () => {
    const p = plan(["h-10", "h-2", "h-1"].map((n) => host(n, { version: "2.0.0" })));
    expect(p.hosts.map((h) => h.name)).toEqual(["h-1", "h-2", "h-10"]);
  });
});

describe("rollout settings", () => {
  it.each([
    [undefined, 10, 1],
    [3, 10, 3],
    ["25%", 10, 2],
    ["100%", 7, 7],
    ["1%", 10, 1],
  ])("batchSize %p of %p hosts is %p", (batchSize, count, expected) => {
    expect(resolveRollout({ batchSize }).batchFor(count)).toBe(expected);
  });

  // A share of capacity out of service is a ceiling (rounded down, at least 1); extra hosts
  // with surge are rounded up: Kubernetes' maxUnavailable and maxSurge.
  it.each([
    [5, 1, 2],
    [7, 1, 2],
    [11, 2, 3],
    [4, 1, 1],
    [8, 2, 2],
    [1, 1, 1],
  ])(
    "25%% of %i hosts: %i out of service at once, %i added at once with surge",
    (count, down, up) => {
      expect(resolveRollout({ batchSize: "25%" }).batchFor(count)).toBe(down);
      expect(resolveRollout({ batchSize: "25%", surge: true }).batchFor(count)).toBe(up);
    },
  );

  it.each([
    [5, 1],
    [7, 1],
    [11, 2],
  ])("a step of 25%% of %i hosts drains %i once the canary is healthy", (count, batch) => {
    const hosts = Array.from({ length: count }, (_, i) =>
      host(`h-${i}`, i === 0 ? { version: "2.0.0" } : {}),
    );
    const step = plan(hosts, { batchSize: "25%" });
    expect(step.hosts.filter((h) => h.action === "drain")).toHaveLength(batch);
  });

  it("a percentage never takes more than its share out of service, nor adds less than it (any pool, any %)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_SESSION_HOSTS }),
        fc.integer({ min: 1, max: 100 }),
        (count, percent) => {
          const down = resolveRollout({ batchSize: `${percent}%` }).batchFor(count);
          const up = resolveRollout({ batchSize: `${percent}%`, surge: true }).batchFor(count);
          // Out of service: the largest whole number of hosts within the share, at least 1.
          expect(down).toBeGreaterThanOrEqual(1);
          expect(down === 1 || down * 100 <= count * percent).toBe(true);
          expect((down + 1) * 100 > count * percent).toBe(true);
          // Surge: the smallest whole number of hosts covering the share.
          expect(up * 100 >= count * percent).toBe(true);
          expect(up === 1 || (up - 1) * 100 < count * percent).toBe(true);
          expect(percentOf(count, percent, "down")).toBe(down);
        },
      ),
    );
  });

  const bad: [unknown, string][] = [
    [{ batchSize: 0 }, "rollout.batchSize"],
    [{ batchSize: "0%" }, "rollout.batchSize"],
    [{ batchSize: "101%" }, "rollout.batchSize"],
    [{ batchSize: "3" }, "rollout.batchSize"],
    [{ batchSize: 1.5 }, "rollout.batchSize"],
    [{ drainGraceMinutes: -1 }, "rollout.drainGraceMinutes"],
    [{ surge: "yes" }, "rollout.surge"],
    [{ maxFailedHosts: -1 }, "rollout.maxFailedHosts"],
    [{ message: "" }, "rollout.message"],
    [{ message: "1,001 characters".padEnd(1001, ".") }, "rollout.message"],
    [{ message: "bell\u0007" }, "rollout.message"],
    ["fast", "rollout"],
  ];
  it.each(bad.map(([s, f]) => [JSON.stringify(s).slice(0, 40), f, s]))(
    "refuses %s naming %s",
    (_label, field, settings) => {
      let error: unknown;
      try {
        resolveRollout(settings);
      } catch (e) {
        error = e;
      }
      expect(isGlobalImageError(error) && error.field).toBe(field);
      expect((error as Error).message).toMatch(new RegExp(`^"${field.replace(".", "\\.")}"`));
    },
  );

  it("accepts a multi-line message", () => {
    expect(
      resolveRollout({ message: "Save your work.\nThis host restarts in 60 minutes." }).message,
    ).toContain("\n");
  });

  it("refuses bad observations naming the host", () => {
    expect(() => plan([host("h-0"), host("h-0")])).toThrow(/"hosts\[1\]\.name" repeats host "h-0"/);
    expect(() =>
      plan([host("h-0", { drainingSince: "yesterday", allowNewSession: false })]),
    ).toThrow(/"hosts\[0\]\.drainingSince"/);
    expect(() => plan([], {}, { now: "2026-12-01" })).toThrow(
      /"now" must be an RFC 3339 date-time/,
    );
    expect(() => plan([], {}, { count: -1 })).toThrow(/"count"/);
    expect(() => plan([], { batchSize: 0 })).toThrow(/"settings\.batchSize"/);
  });

  it("knows every AVD status of the 2024-04-03 API", () => {
    expect(Object.values(SessionHostStatus)).toHaveLength(13);
  });
});

describe("summarizeRollout: how many hosts go at once, in hosts", () => {
  it.each([
    [8, "25%", 2],
    [10, "25%", 2], // rounded down: at most 25 % out of service
    [1, "1%", 1],
    [3, 10, 3], // never more than the pool
    [10_000, "1%", 100],
    [5, undefined, 1],
  ])("%i hosts with batchSize %s: %i at a time", (count, batchSize, batchHosts) => {
    const summary = summarizeRollout(resolveRollout({ batchSize }), count);
    expect(summary).toEqual({
      hosts: count,
      batchHosts,
      drainGraceMinutes: 60,
      surge: false,
      maxFailedHosts: 0,
    });
    expect(describeRollout(summary)).toBe(
      `${count} hosts: 1 canary, then ${batchHosts} at a time; drain grace 60 min; surge off; halts at the first failed host`,
    );
  });
});
