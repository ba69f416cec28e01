import * as fs from "node:fs";
import * as path from "node:path";
import { attestPassing, cli, rootProjectCopy } from "../helpers/cli";

const dir = rootProjectCopy();
const stackFile = path.join(dir, "Pulumi.dev.yaml");
const original = fs.readFileSync(stackFile, "utf8");

describe("global-image status", () => {
  it("lists versions with roles and evidence, and which pools use which version", async () => {
    const run = await cli(["status", "--json"], dir);
    expect(run.code).toBe(0);
    const [image] = JSON.parse(run.stdout).images;
    expect(image.versions.map((v: any) => [v.version, v.role, v.evidence])).toEqual([
      [
        "0.9.0",
        "backup",
        "there is no test evidence (looked for evidence/win11-24h2-avd/0.9.0.sigstore.json and evidence/win11-24h2-avd/0.9.0.json)",
      ],
      ["1.0.0", "active", "passed"],
      [
        "1.1.0",
        "staged",
        "there is no test evidence (looked for evidence/win11-24h2-avd/1.1.0.sigstore.json and evidence/win11-24h2-avd/1.1.0.json)",
      ],
    ]);
    expect(image.hostPools).toEqual([
      { name: "hp-prod-office", validation: false, version: "1.0.0" },
      { name: "hp-prod-finance", validation: false, version: "1.0.0" },
      { name: "hp-validation", validation: true, version: "1.1.0" },
    ]);
    expect((await cli(["status"], dir)).stdout).toMatch(
      /win11 \(win11-24h2-avd\): active 1\.0\.0, staged 1\.1\.0/,
    );
  });
});

describe("global-image status --outputs", () => {
  const rollout = {
    target: "1.0.0",
    done: false,
    halted:
      'Rollout to 1.0.0 halted: session host "avd-fin-0" did not become healthy on 1.0.0 (status NeedsAssistance); 1 failed, maxFailedHosts is 0.',
    summary: "halted: 1 failed host(s) on 1.0.0",
    hosts: [
      { name: "avd-fin-0", version: "1.0.0", allowNewSession: true, action: "keep" },
      { name: "avd-fin-1", version: "0.9.0", allowNewSession: false, action: "keep" },
    ],
    unmanaged: [{ name: "legacy-0", reason: "its VM is not one of this pool's hosts" }],
  };

  it("shows each pool's rollout from the last up's stack outputs: which host halted it and why", async () => {
    const outputs = { images: {}, hostPools: { "hp-prod-finance": { hostPoolId: "/x", rollout } } };
    fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify(outputs));
    const human = await cli(["status", "--outputs", "outputs.json"], dir);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(
      '  host pool hp-prod-finance → 1.0.0\n    rollout HALTED: Rollout to 1.0.0 halted: session host "avd-fin-0" did not become healthy',
    );
    expect(human.stdout).toMatch(/ {6}avd-fin-1 +0\.9\.0 +drained +keep\n/);
    expect(human.stdout).toContain(
      "      left alone: legacy-0: its VM is not one of this pool's hosts\n",
    );
    const machine = JSON.parse(
      (await cli(["status", "--outputs", "outputs.json", "--json"], dir)).stdout,
    );
    const finance = machine.images[0].hostPools.find((p: any) => p.name === "hp-prod-finance");
    expect(finance.rollout).toEqual(rollout);
  });

  it.each([
    [
      "a host that is null",
      (r: any) => (r.hosts = [null]),
      "hostPools.hp-prod-finance.rollout.hosts[0] must be an object",
    ],
    [
      "a numeric host name",
      (r: any) => (r.hosts[0].name = 7),
      "hostPools.hp-prod-finance.rollout.hosts[0].name must be a string",
    ],
    [
      "a halted reason that is not text",
      (r: any) => (r.halted = { why: "x" }),
      "hostPools.hp-prod-finance.rollout.halted must be a string",
    ],
    [
      "hosts that are not a list",
      (r: any) => (r.hosts = "avd-fin-0"),
      "hostPools.hp-prod-finance.rollout.hosts must be a list of hosts",
    ],
    [
      "an unmanaged host without its reason",
      (r: any) => (r.unmanaged = [{ name: "legacy-0" }]),
      "hostPools.hp-prod-finance.rollout.unmanaged[0].reason must be a string",
    ],
    [
      "no target version",
      (r: any) => (r.target = undefined),
      "hostPools.hp-prod-finance.rollout.target must be a string",
    ],
  ])(
    "refuses a rollout entry with %s, naming its path (never a stack trace, never dropped)",
    async (_case, damage, message) => {
      const broken = JSON.parse(JSON.stringify(rollout));
      damage(broken);
      const outputs = { hostPools: { "hp-prod-finance": { hostPoolId: "/x", rollout: broken } } };
      fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify(outputs));
      const run = await cli(["status", "--outputs", "outputs.json"], dir);
      expect([run.code, run.stderr]).toEqual([
        2,
        expect.stringContaining(`--outputs outputs.json: ${message}`),
      ]);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it("refuses an outputs file that is not `pulumi stack output --json`", async () => {
    fs.writeFileSync(path.join(dir, "outputs.json"), "[1, 2]");
    const run = await cli(["status", "--outputs", "outputs.json"], dir);
    expect([run.code, run.stderr]).toEqual([
      2,
      expect.stringContaining(
        "--outputs outputs.json: must be the JSON of `pulumi stack output --json`",
      ),
    ]);
  });
});

describe("global-image promote and rollback", () => {
  it("refuses to promote the staged version without evidence (exit 1) and leaves the file alone", async () => {
    const run = await cli(["promote", "win11"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "✖ win11 1.1.0 may not be activated:\n  - there is no test evidence",
    );
    expect(fs.readFileSync(stackFile, "utf8")).toBe(original);
  });

  it("promotes once the version is attested: activeVersion changes and the activation time is recorded, comments kept", async () => {
    const attest = await attestPassing(
      dir,
      "win11-24h2-avd",
      "1.1.0",
      "--evidence-dir",
      "evidence",
    );
    expect(attest.code).toBe(0);
    const run = await cli(["promote", "win11"], dir);
    expect(run.code).toBe(0);
    const after = fs.readFileSync(stackFile, "utf8");
    expect(after).toBe(
      original
        .replace(/(win11-build-110\n)/, '$1          activatedAt: "2026-11-25T12:00:00Z"\n')
        .replace('activeVersion: "1.0.0"', 'activeVersion: "1.1.0"'),
    );
    expect(after).toContain(
      "# Test evidence of each version: evidence/<image name>/<version>.json",
    );
    expect(run.stdout).toMatch(
      /@@ -\d+,7 \+\d+,8 @@\n(?: .*\n){3}- {6}activeVersion: "1\.0\.0"\n\+ {10}activatedAt: "2026-11-25T12:00:00Z"\n\+ {6}activeVersion: "1\.1\.0"\n(?: .*\n){3}✔/,
    );
    expect(run.stdout).toContain("Promoted win11: 1.0.0 → 1.1.0");
    expect(run.stdout).toContain("Next: pulumi preview --stack dev --policy-pack policies");
  });

  it("rolls back to the newest backup and marks the version it leaves withdrawn", async () => {
    const run = await cli(["rollback", "win11"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Rolled back win11: 1.1.0 → 1.0.0");
    const after = fs.readFileSync(stackFile, "utf8");
    // Was active and staged 1.1.0: now 1.0.0 is active, nothing is staged, 1.1.0 withdrawn.
    expect(after).toBe(
      original
        // The activation time the promotion recorded stays: the history of the version.
        .replace(
          /(win11-build-110\n)/,
          '$1          activatedAt: "2026-11-25T12:00:00Z"\n          withdrawn: true\n',
        )
        .replace('stagedVersion: "1.1.0"', 'stagedVersion: "1.0.0"'),
    );
    const status = JSON.parse((await cli(["status", "--json"], dir)).stdout);
    expect(status.images[0].versions.map((v: any) => [v.version, v.role])).toEqual([
      ["0.9.0", "backup"],
      ["1.0.0", "active"],
      ["1.1.0", "withdrawn"],
    ]);
  });

  it("refuses to activate a withdrawn version, naming the line to remove", async () => {
    const run = await cli(["promote", "win11", "--to", "1.1.0"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--to 1\.1\.0: marked withdrawn \(win11\.versions\["1\.1\.0"\]\.withdrawn: true\); remove that line from Pulumi\.dev\.yaml/,
    );
    fs.writeFileSync(stackFile, original);
  });

  it.each([
    [
      ["promote", "win10"],
      /image win10: not in global-image:images of Pulumi\.dev\.yaml \(win11\)/,
    ],
    [["promote", "win11", "--to", "2.0.0"], /--to 2\.0\.0: not a declared version of win11/],
    [["promote", "win11", "--stack", "prod"], /--stack prod: no .*Pulumi\.prod\.yaml/],
  ])("refuses %p with exit 2", async (args, message) => {
    const run = await cli(args, dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("writes the change with --force, saying what it overrides", async () => {
    const run = await cli(["promote", "win11", "--to", "0.9.0", "--force"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("! --force: activating 0.9.0 despite: there is no test evidence");
    // Going below 1.0.0 leaves it above the active version: it is marked withdrawn.
    expect(fs.readFileSync(stackFile, "utf8")).toBe(
      original
        .replace('activeVersion: "1.0.0"', 'activeVersion: "0.9.0"')
        .replace(
          'endOfLifeDate: "2027-09-30"\n',
          'endOfLifeDate: "2027-09-30"\n          withdrawn: true\n',
        ),
    );
    expect(run.stdout).toContain(
      '1.0.0 is marked withdrawn: never a backup; remove its "withdrawn: true"',
    );
    fs.writeFileSync(stackFile, original);
  });

  it("reports in JSON with --json", async () => {
    const refused = await cli(["promote", "win11", "--to", "0.9.0", "--json"], dir);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      image: "win11",
      from: "1.0.0",
      to: "0.9.0",
      changed: false,
      refused: [
        "there is no test evidence (looked for evidence/win11-24h2-avd/0.9.0.sigstore.json and evidence/win11-24h2-avd/0.9.0.json)",
      ],
    });
    const forced = await cli(["promote", "win11", "--to", "0.9.0", "--force", "--json"], dir);
    expect(JSON.parse(forced.stdout)).toMatchObject({
      changed: true,
      to: "0.9.0",
      forced: [
        "there is no test evidence (looked for evidence/win11-24h2-avd/0.9.0.sigstore.json and evidence/win11-24h2-avd/0.9.0.json)",
      ],
      withdrawn: ["1.0.0"],
      next: "pulumi preview --stack dev --policy-pack policies",
    });
    fs.writeFileSync(stackFile, original);
  });
});
