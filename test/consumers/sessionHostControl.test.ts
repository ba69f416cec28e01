import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  SessionHostOps,
  listSessionsCall,
  opsCalls,
  sendMessageCall,
} from "../../src/consumers/sessionHostCalls";
import {
  SessionHostControlState,
  applyOps,
  armEndpoint,
  sessionHostControlProvider,
} from "../../src/consumers/sessionHostControl";
import { checkContract, checkRequest } from "../../src/contract/validate";
import { AVD_SPEC } from "../../src/contract/specs";
import { REPO } from "../helpers/cli";

jest.setTimeout(60_000);

const POOL =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-avd/providers/Microsoft.DesktopVirtualization/hostPools/hp-prod";
const OPS: SessionHostOps = {
  drain: ["avd-1"],
  reopen: ["avd-2"],
  remove: ["avd-0"],
  assign: { "avd-3": "ana@contoso.com" },
};
const state = (over: Partial<SessionHostControlState> = {}): SessionHostControlState => ({
  hostPoolId: POOL,
  endpoint: "https://management.azure.com",
  token: "arm-token",
  ops: OPS,
  ...over,
});

/** A fetch that records calls and answers from a table of `METHOD path-prefix` → response. */
function fakeFetch(answers: Record<string, { status: number; body?: unknown }> = {}) {
  const calls: { method: string; url: string; body?: unknown; auth?: string }[] = [];
  const fetch = jest.fn(async (url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    calls.push({
      method: init.method!,
      url,
      body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
      auth: headers.authorization,
    });
    const key = Object.keys(answers).find((k) => `${init.method} ${url}`.includes(k));
    const answer = key ? answers[key] : { status: 200, body: {} };
    const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
    return new Response(text, { status: answer.status });
  });
  return { fetch, calls };
}

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
});

describe("session host calls", () => {
  it("removes replaced hosts' registrations first, then drains, reopens and re-assigns", () => {
    expect(opsCalls(POOL, OPS).map((c) => `${c.method} ${c.path.slice(POOL.length)}`)).toEqual([
      "DELETE /sessionHosts/avd-0?api-version=2024-04-03&force=true",
      "PATCH /sessionHosts/avd-1?api-version=2024-04-03",
      "PATCH /sessionHosts/avd-2?api-version=2024-04-03",
      "PATCH /sessionHosts/avd-3?api-version=2024-04-03",
    ]);
    expect(opsCalls(POOL, OPS).map((c) => c.body)).toEqual([
      undefined,
      { properties: { allowNewSession: false } },
      { properties: { allowNewSession: true } },
      { properties: { assignedUser: "ana@contoso.com" } },
    ]);
  });

  it("encodes session host names (a domain-joined host's FQDN) into the path", () => {
    const [call] = opsCalls(POOL, {
      drain: ["avd-0.corp contoso.com"],
      reopen: [],
      remove: [],
      assign: {},
    });
    expect(call.path).toContain("/sessionHosts/avd-0.corp%20contoso.com?");
  });

  it("every call is one the 2024-04-03 AVD API accepts", async () => {
    const report = await checkContract([
      {
        type: "pulumi-nodejs:dynamic/global-image:SessionHostControl",
        name: "hp-prod-session-control",
        inputs: { hostPoolId: POOL, ops: OPS, message: "Please save your work." },
      },
    ]);
    expect(report).toMatchObject({ checked: 6, violations: [] });
  });

  it("a control whose calls cannot be read fails the contract check, never passes it", async () => {
    const report = await checkContract([
      {
        type: "pulumi-nodejs:dynamic/global-image:SessionHostControl",
        name: "hp-prod-session-control",
        inputs: { hostPoolId: POOL, ops: { drain: "avd-1" } },
      },
    ]);
    expect(report.violations.map((v) => [v.resource, v.rule])).toEqual([
      ["hp-prod-session-control", "UNREADABLE_INPUTS"],
    ]);
  });

  it("the contract check sees a PATCH body ARM would refuse", async () => {
    const url = `https://management.azure.com${POOL}/sessionHosts/avd-1?api-version=2024-04-03`;
    const bad = await checkRequest(
      AVD_SPEC,
      { url, method: "PATCH", body: { properties: { allowNewSession: "no" } } },
      { type: "control", name: "c", inputs: {} },
    );
    expect(bad.map((v) => [v.path, v.rule])).toEqual([
      ["$.properties.allowNewSession", "INVALID_TYPE"],
    ]);
  });
});

describe("applyOps", () => {
  it("sends each call with the token, and a 404 on a registration already gone is fine", async () => {
    const { fetch, calls } = fakeFetch({ "DELETE https://management.azure.com": { status: 404 } });
    global.fetch = fetch as typeof global.fetch;
    await applyOps(state());
    expect(calls.map((c) => c.method)).toEqual(["DELETE", "PATCH", "PATCH", "PATCH"]);
    expect(calls.every((c) => c.auth === "Bearer arm-token")).toBe(true);
  });

  it("fails naming what it could not do when ARM refuses a drain", async () => {
    const { fetch } = fakeFetch({
      "PATCH https://management.azure.com": {
        status: 403,
        body: { error: { code: "AuthorizationFailed" } },
      },
    });
    global.fetch = fetch as typeof global.fetch;
    await expect(applyOps(state())).rejects.toThrow(
      /could not drain session host avd-1 \(HTTP 403\): .*AuthorizationFailed/,
    );
  });

  it("never sends the token off the ARM endpoint, even where a next page's link points", async () => {
    const first = listSessionsCall(POOL, "avd-1").path;
    const { fetch, calls } = fakeFetch({
      [`GET https://management.azure.com${first}`]: {
        status: 200,
        body: { value: [], nextLink: "https://attacker.example/collect?x=1" },
      },
    });
    global.fetch = fetch as typeof global.fetch;
    const drainOnly = { drain: ["avd-1"], reopen: [], remove: [], assign: {} };
    await expect(applyOps(state({ ops: drainOnly, message: "Save your work." }))).rejects.toThrow(
      /refusing to list the user sessions of session host avd-1 at https:\/\/attacker\.example\/collect\?x=1: not on https:\/\/management\.azure\.com/,
    );
    expect(calls.some((c) => c.url.includes("attacker"))).toBe(false);
  });

  it("knows azure-native's environments and refuses one it does not", () => {
    expect(armEndpoint(undefined)).toBe("https://management.azure.com");
    expect(armEndpoint("USGovernment")).toBe("https://management.usgovcloudapi.net");
    expect(() => armEndpoint("usgov")).toThrow(
      /^"azure-native:environment" is "usgov": the session host control knows public, usgovernment, china\./,
    );
  });

  it("messages every user session of a draining host, across pages", async () => {
    const first = listSessionsCall(POOL, "avd-1").path;
    const next = `https://management.azure.com${first}&$skipToken=2`;
    const { fetch, calls } = fakeFetch({
      "$skipToken=2": { status: 200, body: { value: [{ name: "hp-prod/avd-1/7" }] } },
      [`GET https://management.azure.com${first}`]: {
        status: 200,
        body: { value: [{ name: "hp-prod/avd-1/3" }], nextLink: next },
      },
    });
    global.fetch = fetch as typeof global.fetch;
    await applyOps(
      state({
        ops: { drain: ["avd-1"], reopen: [], remove: [], assign: {} },
        message: "Save your work.",
      }),
    );
    const sent = calls.filter((c) => c.method === "POST");
    expect(sent.map((c) => c.url)).toEqual([
      `https://management.azure.com${sendMessageCall(POOL, "avd-1", "hp-prod/avd-1/3", "x").path}`,
      `https://management.azure.com${sendMessageCall(POOL, "avd-1", "hp-prod/avd-1/7", "x").path}`,
    ]);
    expect(sent[0].body).toEqual({
      messageTitle: "Azure Virtual Desktop maintenance",
      messageBody: "Save your work.",
    });
  });
});

describe("the dynamic provider", () => {
  it("an up with nothing to do changes nothing; work to do is an update; the token is never an output", async () => {
    const empty = { drain: [], reopen: [], remove: [], assign: {} };
    const diff = sessionHostControlProvider.diff!;
    expect(await diff("id", state(), state({ ops: empty }))).toMatchObject({ changes: false });
    expect(await diff("id", state({ ops: empty }), state())).toMatchObject({
      changes: true,
      replaces: [],
    });
    const { fetch } = fakeFetch();
    global.fetch = fetch as typeof global.fetch;
    const created = await sessionHostControlProvider.create!(state());
    expect(JSON.stringify(created)).not.toContain("arm-token");
  });

  it("serializes from the built package as Pulumi's dynamic provider host loads it, and runs", async () => {
    // The compiled module (what users run), serialized the way `pulumi up` does it.
    const built = path.join(REPO, "dist", "src", "consumers", "sessionHostControl.js");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { sessionHostControlProvider: provider } = require(built);
    const serialized = await pulumi.runtime.serializeFunction(() => provider, {
      allowSecrets: true,
    });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "control-")), "provider.js");
    fs.writeFileSync(file, serialized.text);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(file).handler();
    const { fetch, calls } = fakeFetch();
    global.fetch = fetch as typeof global.fetch;
    await loaded.update("id", state(), state());
    expect(calls.map((c) => c.method)).toEqual(["DELETE", "PATCH", "PATCH", "PATCH"]);
  });
});
