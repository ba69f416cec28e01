/** Listing over ARM fails closed: every page or an error naming the call, never a partial list. */
import { ArmReadError, listAll } from "../../src/consumers/armReader";
import { SEEDED_POOL, SimulatedArm, seededPool } from "../../src/mocks/simulatedArm";
import { fleetCalls, observeFleet } from "../../src/consumers/rolloutObserve";
import { checkRequest } from "../../src/contract/validate";
import { AVD_SPEC, VM_SPEC } from "../../src/contract/specs";

const ENDPOINT = "https://management.azure.com";
const ACCESS = { endpoint: ENDPOINT, token: "t0ken" };
const SUB = SEEDED_POOL.subscriptionId;
const QUERY = SEEDED_POOL;
const CALLS = fleetCalls(QUERY);
const DEF = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/win11`;

const world = (hosts: number) => seededPool(hosts, `${DEF}/versions/1.0.0`);

const once =
  (
    match: RegExp,
    answer: { status: number; body?: string; headers?: Record<string, string> },
    times = 1,
  ) =>
  ({ url }: { url: string }) =>
    match.test(url) && times-- > 0 ? answer : undefined;

describe("listAll", () => {
  it("follows every page: 2,500 registrations in pages of 1,000 are 3 reads", async () => {
    const arm = new SimulatedArm(() => world(2500));
    const items = await listAll(CALLS.sessionHosts, ACCESS, arm);
    expect(items).toHaveLength(2500);
    expect(new Set(items!.map((i: any) => i.name)).size).toBe(2500);
    expect(arm.requests).toHaveLength(3);
    expect(arm.requests[0]).toContain("pageSize=1000");
  });

  it("a pool that does not exist yet (404 on the first page) is no fleet, not an error", async () => {
    const arm = new SimulatedArm(() => ({ vms: {}, sessionHosts: {}, hostPools: {} }));
    await expect(listAll(CALLS.sessionHosts, ACCESS, arm)).resolves.toBeUndefined();
  });

  it("waits as long as a 429's Retry-After says, then reads on", async () => {
    const arm = new SimulatedArm(() => world(10));
    arm.faults = [once(/sessionHosts/, { status: 429, headers: { "Retry-After": "7" } }, 2)];
    expect(await listAll(CALLS.sessionHosts, ACCESS, arm)).toHaveLength(10);
    expect(arm.sleeps).toEqual([7000, 7000]);
    expect(arm.requests).toHaveLength(3);
  });

  it("retries a 503 and a dropped connection with backoff", async () => {
    const arm = new SimulatedArm(() => world(10));
    arm.faults = [once(/virtualMachines/, { status: 503 })];
    const dropping = {
      fetch: (url: string, init: any) => {
        if (arm.requests.length === 1 && url.includes("virtualMachines") && !dropped) {
          dropped = true;
          return Promise.reject(new Error("read ECONNRESET"));
        }
        return arm.fetch(url, init);
      },
      sleep: (ms: number) => arm.sleep(ms),
    };
    let dropped = false;
    expect(await listAll(CALLS.vms, ACCESS, dropping)).toHaveLength(10);
    expect(arm.sleeps).toEqual([1000, 2000]);
  });

  it.each([
    [
      "403 at once",
      [once(/./, { status: 403, body: '{"error":{"code":"AuthorizationFailed"}}' })],
      /page 1: HTTP 403: \{"error":\{"code":"AuthorizationFailed"\}\}/,
      1,
    ],
    [
      "5xx after every retry",
      [() => ({ status: 500 })],
      /page 1: HTTP 500: \(no body\) \(after 5 tries\)/,
      5,
    ],
    [
      "a Retry-After beyond a minute",
      [() => ({ status: 429, headers: { "retry-after": "300" } })],
      /page 1: HTTP 429: \(no body\) \(after 1 tries; Azure asked to retry after 300 s, longer than the 60 s one step waits\)/,
      1,
    ],
    [
      "page 2 not JSON",
      [once(/skiptoken/, { status: 200, body: "<html>oops</html>" })],
      /page 2: the page is not JSON/,
      2,
    ],
    ["page 2 gone (404)", [once(/skiptoken/, { status: 404 })], /page 2: HTTP 404/, 2],
    [
      "a nextLink off the endpoint",
      [once(/./, { status: 200, body: '{"value":[],"nextLink":"https://evil.example/steal"}' })],
      /nextLink https:\/\/evil\.example\/steal is not on https:\/\/management\.azure\.com/,
      1,
    ],
    [
      "a nextLink that loops",
      [
        ({ url }: { url: string }) => ({
          status: 200,
          body: JSON.stringify({ value: [], nextLink: url }),
        }),
      ],
      /does not end/,
      1,
    ],
  ])("fails naming the call: %s", async (_case, faults, reason, requests) => {
    const arm = new SimulatedArm(() => world(1500));
    arm.faults = faults as never;
    const read = listAll(CALLS.sessionHosts, ACCESS, arm);
    await expect(read).rejects.toThrow(ArmReadError);
    await expect(read).rejects.toThrow(
      /could not list the session hosts of host pool "pool1" \(GET \/subscriptions\/.*\/sessionHosts\)/,
    );
    await expect(read).rejects.toThrow(reason);
    expect(arm.requests).toHaveLength(requests);
    // The token never leaves the endpoint.
    expect(arm.requests.every((u) => u.startsWith(`${ENDPOINT}/`))).toBe(true);
  });

  it("follows a nextLink that names the endpoint's port (:443), as some ARM lists do", async () => {
    const arm = new SimulatedArm(() => world(1500));
    const port443 = {
      fetch: async (url: string, init: any) => {
        const answer = await arm.fetch(url.replace(":443/", "/"), init);
        const body = (await answer.text()).replace(ENDPOINT, `${ENDPOINT}:443`);
        return { ...answer, text: async () => body };
      },
    };
    expect(await listAll(CALLS.sessionHosts, ACCESS, port443)).toHaveLength(1500);
  });
});

describe("observeFleet", () => {
  it("reads a 10,000-host pool in a handful of list calls, every host included", async () => {
    const arm = new SimulatedArm(() => world(10_000));
    const fleet = await observeFleet(QUERY, ACCESS, arm);
    expect(fleet.hosts).toHaveLength(10_000);
    expect(fleet.hosts.filter((h) => h.registered)).toHaveLength(10_000);
    expect(arm.requests).toHaveLength(20); // 10 pages of registrations, 10 of VMs
  });

  it("a list that fails leaves no observation at all", async () => {
    const arm = new SimulatedArm(() => world(10));
    arm.faults = [once(/virtualMachines/, { status: 403 })];
    await expect(observeFleet(QUERY, ACCESS, arm)).rejects.toThrow(
      /could not list the virtual machines of resource group "rg"/,
    );
  });
});

describe("the list calls are requests the vendored ARM specs define", () => {
  const judge = (spec: string, path: string) =>
    checkRequest(
      spec,
      { url: `${ENDPOINT}${path}`, method: "GET" },
      { type: "list", name: "l", inputs: {} },
    );

  it("SessionHosts_List (AVD 2024-04-03, pageSize) and VirtualMachines_List (Compute 2024-11-01)", async () => {
    expect(await judge(AVD_SPEC, CALLS.sessionHosts.path)).toEqual([]);
    expect(await judge(VM_SPEC, CALLS.vms.path)).toEqual([]);
  });

  it("a query the spec does not allow is caught (the check is not vacuous)", async () => {
    const bad = CALLS.sessionHosts.path.replace("pageSize=1000", "pageSize=lots");
    expect((await judge(AVD_SPEC, bad)).length).toBeGreaterThan(0);
  });
});
