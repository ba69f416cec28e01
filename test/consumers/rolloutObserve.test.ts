import {
  FleetReads,
  isNotFound,
  observeFleet,
  orMissing,
} from "../../src/consumers/rolloutObserve";

const DEF =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/win11";

/** Reads answering from plain tables; a name that is absent is missing. */
function reads(
  vms: Record<string, Record<string, any>>,
  registrations: Record<string, Record<string, any>> = {},
  poolTags?: Record<string, string>,
): FleetReads {
  return {
    hostPoolTags: async () => poolTags,
    vm: async (name) => vms[name] as never,
    sessionHost: async (name) => registrations[name] as never,
  };
}

const vm = (version: string, tags: Record<string, string> = {}) => ({
  tags,
  storageProfile: { imageReference: { id: `${DEF}/versions/${version}` } },
});

describe("observeFleet", () => {
  it("reads each slot's VM and registration: version, sessions, status, drain, users", async () => {
    const hosts = await observeFleet(
      { prefix: "avd", domain: "", count: 2 },
      reads(
        {
          "avd-0": vm("1.0.0", { "global-image:created-at": "2026-11-01T00:00:00.000Z" }),
          "avd-1": vm("2.0.0", {
            "global-image:draining-since": "2026-12-01T08:00:00.000Z",
            "global-image:assigned-user": "ana@contoso.com",
          }),
        },
        { "avd-0": { sessions: 3, status: "Available", allowNewSession: true, assignedUser: "" } },
      ),
    );
    expect(hosts).toEqual([
      {
        name: "avd-0",
        version: "1.0.0",
        sessions: 3,
        status: "Available",
        allowNewSession: true,
        drainingSince: undefined,
        registered: true,
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

  it("looks at as many slots as the pool recorded, so a smaller count still sees the surplus", async () => {
    const fleet = { "avd-0": vm("1.0.0"), "avd-3": vm("1.0.0") };
    const names = async (tags?: Record<string, string>) =>
      (await observeFleet({ prefix: "avd", domain: "", count: 2 }, reads(fleet, {}, tags))).map(
        (h) => h.name,
      );
    expect(await names()).toEqual(["avd-0"]);
    expect(await names({ "global-image:host-slots": "4" })).toEqual(["avd-0", "avd-3"]);
  });

  it("names registrations <vm>.<domain> for AD-joined hosts", async () => {
    const [host] = await observeFleet(
      { prefix: "avd", domain: "corp.contoso.com", count: 1 },
      reads(
        { "avd-0": vm("1.0.0") },
        { "avd-0.corp.contoso.com": { sessions: 1, status: "Available" } },
      ),
    );
    expect(host).toMatchObject({ registered: true, sessions: 1, allowNewSession: true });
  });
});

describe("reading the live fleet fails closed", () => {
  const engineError = (details: string) => Object.assign(new Error(details), { details });

  it("a resource that does not exist is an observation", async () => {
    await expect(
      orMissing(Promise.reject(engineError("ResourceNotFound: ... (404)"))),
    ).resolves.toBeUndefined();
  });

  it.each([
    "AuthorizationFailed: The client does not have authorization to perform action (403)",
    "request failed: context deadline exceeded",
    "TooManyRequests (429)",
  ])("any other failure stops the program: %s", async (message) => {
    expect(isNotFound(new Error(message))).toBe(false);
    await expect(orMissing(Promise.reject(engineError(message)))).rejects.toThrow(message);
  });
});
