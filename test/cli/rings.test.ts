/**
 * `global-image rings` and the ring column of `status`: the demo stack with three rings, 1.0.0
 * activated on Tuesday 1 December, the finance pool in "broad" (7 days, weekend window).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { attestPassing, cli, rootProjectCopy } from "../helpers/cli";
import { writeRingStack } from "../fixtures/ringStack";

const dir = rootProjectCopy();
const stackFile = path.join(dir, "Pulumi.dev.yaml");
writeRingStack(stackFile);

describe("global-image rings", () => {
  it("prints each ring's version, why, and when it changes, with its consumers", async () => {
    const run = await cli(["rings", "--json"], dir, new Date("2026-12-04T12:00:00Z"));
    expect(run.code).toBe(0);
    const [image] = JSON.parse(run.stdout).images;
    expect(
      image.rings.map((r: any) => [
        r.ring,
        r.version,
        r.nextChangeAt ?? null,
        r.hostPools,
        r.replicas,
      ]),
    ).toEqual([
      ["pilot", "1.0.0", null, [], []],
      ["early", "1.0.0", null, [], ["fabrikam"]],
      ["broad", "0.9.0", "2026-12-12T21:00Z", ["hp-prod-finance"], []],
    ]);
    const human = await cli(["rings"], dir, new Date("2026-12-04T12:00:00Z"));
    expect(human.stdout).toContain("broad  0.9.0     2026-12-12T21:00Z  pool hp-prod-finance");
    expect(human.stdout).toContain("1.0.0 soaks in early until 2026-12-10T10:00Z.");
  });

  it("status shows the ring of each pool and the version it runs now", async () => {
    const before = JSON.parse(
      (await cli(["status", "--json"], dir, new Date("2026-12-04T12:00:00Z"))).stdout,
    );
    expect(before.images[0].hostPools.find((p: any) => p.name === "hp-prod-finance")).toMatchObject(
      { ring: "broad", version: "0.9.0" },
    );
    const after = await cli(["status"], dir, new Date("2026-12-12T21:30:00Z"));
    expect(after.stdout).toContain("host pool hp-prod-finance (ring broad) → 1.0.0");
    expect(after.stdout).toContain("replica fabrikam (ring early) → 1.0.0");
    const day1 = JSON.parse(
      (await cli(["status", "--json"], dir, new Date("2026-12-02T12:00:00Z"))).stdout,
    );
    expect(day1.images[0].replicas).toEqual([
      { name: "fabrikam", ring: "early", pinned: false, version: "0.9.0" },
    ]);
  });

  it("check runs the program at the same clock: each pool on the version rings says", async () => {
    for (const at of ["2026-12-04T12:00:00Z", "2026-12-12T21:30:00Z"]) {
      const now = new Date(at);
      const rings = JSON.parse((await cli(["rings", "--json"], dir, now)).stdout);
      const broad = rings.images[0].rings.find((r: any) => r.ring === "broad").version;
      const run = await cli(["check", "--json"], dir, now);
      expect(run.code).toBe(0);
      const finance = JSON.parse(run.stdout).consumers.find((c: any) =>
        c.consumer.includes("hp-prod-finance"),
      );
      expect([at, finance.version]).toEqual([at, broad]);
    }
  });

  it("refuses an activation time ahead of the clock, naming its config path", async () => {
    const run = await cli(["rings"], dir, new Date("2026-11-30T12:00:00Z"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /"global-image:images\.win11\.versions\["1\.0\.0"\]\.activatedAt" is in the future \(the clock reads 2026-11-30T12:00:00.000Z\)/,
    );
  });

  it("a rollback to a backup that predates rings needs no timestamp, and every ring runs it at once", async () => {
    const text = fs.readFileSync(stackFile, "utf8");
    const now = new Date("2026-12-04T12:00:00Z");
    try {
      const attested = await attestPassing(
        dir,
        "win11-24h2-avd",
        "0.9.0",
        "--evidence-dir",
        "evidence",
      );
      expect(attested.code).toBe(0);
      const rollback = await cli(["rollback", "win11"], dir, now);
      expect([rollback.code, rollback.stderr]).toEqual([0, ""]);
      expect(fs.readFileSync(stackFile, "utf8")).not.toMatch(
        /"0\.9\.0":\n(?:.*\n){0,4} +activatedAt/,
      );
      const rings = JSON.parse((await cli(["rings", "--json"], dir, now)).stdout);
      expect(rings.images[0].rings.map((r: any) => [r.ring, r.version])).toEqual([
        ["pilot", "0.9.0"],
        ["early", "0.9.0"],
        ["broad", "0.9.0"],
      ]);
      const check = await cli(["check", "--json"], dir, now);
      expect(check.code).toBe(0);
    } finally {
      fs.writeFileSync(stackFile, text);
      fs.rmSync(path.join(dir, "evidence", "win11-24h2-avd", "0.9.0.json"), { force: true });
    }
  });

  it("refuses a pool in a ring the image does not declare, naming the config path", async () => {
    const text = fs.readFileSync(stackFile, "utf8");
    fs.writeFileSync(stackFile, text.replace("ring: broad", "ring: everyone"));
    try {
      const run = await cli(["rings"], dir, new Date("2026-12-04T12:00:00Z"));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /"global-image:hostPools.hp-prod-finance.ring" is not a ring of global-image:images.win11 .*Use one of "pilot", "early", "broad"/,
      );
    } finally {
      fs.writeFileSync(stackFile, text);
    }
  });
});
