/** `global-image check` runs the ARM contract check over the user's program. */
import { cli, probeProject as project } from "../helpers/cli";

jest.setTimeout(120_000);

describe("check and the ARM contract", () => {
  it("fails a body Azure would reject (exit 1), naming the resource, the path and the rule; lists what it cannot check", async () => {
    const dir = project(
      [
        `import * as avd from "@pulumi/azure-native/desktopvirtualization";`,
        `import * as network from "@pulumi/azure-native/network";`,
        `new avd.HostPool("hp", { resourceGroupName: "rg", hostPoolType: "Pooled", loadBalancerType: "BreadthFirst", preferredAppGroupType: "RemoteApp" as avd.PreferredAppGroupType });`,
        `new network.VirtualNetwork("vnet", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });`,
      ].join("\n"),
    );
    const run = await cli(["check"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("1 request bodies checked (HostPool)");
    expect(run.stdout).toContain(
      "not checked (no vendored spec): azure-native:network:VirtualNetwork",
    );
    expect(run.stdout).toMatch(
      /✖ HostPool "hp" \$\.properties\.preferredAppGroupType: ENUM_NOT_LISTED: "RemoteApp" is not one of the values this API version lists \(None, Desktop, RailApplications\)/,
    );
    const json = JSON.parse((await cli(["check", "--json"], dir)).stdout);
    expect(json.contract.violations).toEqual([
      expect.objectContaining({
        resource: "hp",
        path: "$.properties.preferredAppGroupType",
        rule: "ENUM_NOT_LISTED",
      }),
    ]);
  });
});
