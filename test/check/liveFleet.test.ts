import { liveFleetFrom } from "../../src/check/liveFleet";
import type { RegisteredResource } from "../../src/check/policyRun";

const COMPONENT = "urn:pulumi:dev::p::global-image:index:ImageHostPool::hp";
const resource = (over: Partial<RegisteredResource>): RegisteredResource => ({
  type: "azure-native:compute:VirtualMachine",
  name: "x",
  urn: `urn:x:${over.name}`,
  inputs: {},
  ...over,
});

describe("liveFleetFrom", () => {
  const pool = resource({
    type: "azure-native:desktopvirtualization:HostPool",
    name: "hp-pool",
    parentUrn: COMPONENT,
    inputs: {
      hostPoolName: "hp",
      tags: { "global-image:host-slots": "2" },
      vmTemplate: JSON.stringify({ domain: "corp.contoso.com" }),
    },
  });
  const vm = (
    name: string,
    tags: Record<string, string> = {},
    parentUrn: string | undefined = COMPONENT,
  ) =>
    resource({
      name: `hp-vm-${name}`,
      parentUrn,
      inputs: { vmName: name, tags, storageProfile: { imageReference: { id: "/v/1.0.0" } } },
    });

  it("is what the base deployed: its VMs, its pools' tags, a registration per session host", () => {
    const live = liveFleetFrom([
      pool,
      vm("avd-0"),
      vm("avd-1", { "global-image:draining-since": "2026-12-01T08:00:00Z" }),
    ]);
    expect(live.hostPools.hp).toEqual({ name: "hp", tags: { "global-image:host-slots": "2" } });
    expect(live.vms["avd-0"].storageProfile).toEqual({ imageReference: { id: "/v/1.0.0" } });
    // Registrations carry the AD domain the pool's template names, and the drain the tags record.
    expect(live.sessionHosts).toEqual({
      "hp/avd-0.corp.contoso.com": {
        name: "avd-0.corp.contoso.com",
        status: "Available",
        sessions: 0,
        allowNewSession: true,
      },
      "hp/avd-1.corp.contoso.com": {
        name: "avd-1.corp.contoso.com",
        status: "Available",
        sessions: 0,
        allowNewSession: false,
      },
    });
  });

  it("a VM outside an ImageHostPool is a VM, not a session host", () => {
    const live = liveFleetFrom([
      pool,
      vm("app-0", {}, "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"),
    ]);
    expect(Object.keys(live.vms)).toEqual(["app-0"]);
    expect(live.sessionHosts).toEqual({});
  });
});
