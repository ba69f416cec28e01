import * as fs from "node:fs";
import * as path from "node:path";
import { REPO, attestPassing, cli, rootProjectCopy } from "../helpers/cli";
import { SharedPack, deploy, sharedPack } from "../engine/engine";
import { PACK, checkVerdict, engineVerdict, projectRun } from "../engine/verdict";
import { SUBNET } from "../fixtures/hostPool";

// Each check compiles and runs a program in a worker process, as the Pulumi CLI would.
jest.setTimeout(180_000);

describe("global-image check", () => {
  it("runs the demo stack offline: roles, consumers and the policy verdict (--json)", async () => {
    const run = await cli(["check", "--stack", "dev", "--json"], REPO);
    expect(run.stderr).toContain("offline under Pulumi's mock runtime");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.images).toEqual([
      {
        resource: "win11",
        image: "win11-24h2-avd",
        roles: [
          { version: "1.1.0", role: "staged" },
          { version: "1.0.0", role: "active" },
          { version: "0.9.0", role: "backup" },
        ],
      },
    ]);
    expect(report.consumers.map((c: any) => [c.consumer, c.version, c.role, c.validation])).toEqual(
      [
        ['Host pool "hp-prod-finance-pool"', "1.0.0", "active", false],
        ['Host pool "hp-prod-office-pool"', "1.0.0", "active", false],
        ['Host pool "hp-validation-pool"', "1.1.0", "staged", true],
      ],
    );
    expect(report.violations.filter((v: any) => v.enforcementLevel === "mandatory")).toEqual([]);
  });

  it("blocks an untested promotion (exit 1) and shows the promotion diff against the base config", async () => {
    const dir = rootProjectCopy();
    const base = path.join(dir, "base.yaml");
    fs.copyFileSync(path.join(dir, "Pulumi.dev.yaml"), base);
    expect((await cli(["promote", "win11", "--force"], dir)).code).toBe(0);
    const run = await cli(["check", "--against", "base.yaml", "--json"], dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(
      report.violations
        .filter((v: any) => v.enforcementLevel === "mandatory")
        .map((v: any) => v.message),
    ).toEqual([
      expect.stringMatching(/win11-24h2-avd 1\.1\.0 cannot be active: there is no test evidence/),
    ]);
    const changed = report.diff
      .map((c: any) => `${c.kind} ${c.urn.split("::").pop()}${c.component ? " (component)" : ""}`)
      .sort();
    expect(changed).toEqual([
      "update hp-prod-finance (component)",
      "update hp-prod-finance-pool",
      "update hp-prod-office (component)",
      "update hp-prod-office-pool",
      "update hp-validation (component)",
      "update win11 (component)",
      "update win11-0.9.0",
      "update win11-1.0.0",
      "update win11-1.1.0",
    ]);
    const human = await cli(["check", "--against", "base.yaml"], dir);
    expect(human.stdout).toContain(
      "✔ no existing image version, protected resource or production consumer is deleted or replaced",
    );
    expect(human.stdout).toMatch(
      /~ +update +global-image:index:GlobalImage\$azure-native:compute:GalleryImageVersion win11-1\.1\.0\n/,
    );
    expect(human.stdout).toContain(
      "Resources: 0 to create, 5 to update, 0 to replace, 0 to delete",
    );
    expect(human.stdout).toMatch(/vmTemplate\.customImageId: .*1\.0\.0" → .*1\.1\.0"/);
    expect(human.stdout).toMatch(
      /✖ mandatory image-activation-requires-passing-tests: GlobalImage "win11": win11-24h2-avd 1\.1\.0 cannot be active/,
    );

    // The walkthrough's next steps: attest the staged version's results, then the check passes.
    const attest = await attestPassing(
      dir,
      "win11-24h2-avd",
      "1.1.0",
      "--evidence-dir",
      "evidence",
    );
    expect(attest.code).toBe(0);
    const passing = await cli(["check"], dir);
    expect([passing.code, passing.stdout]).toEqual([
      0,
      expect.stringContaining("✔ no mandatory violations"),
    ]);
  });

  it("passes the promotion of a version built by Image Builder, once its tests passed", async () => {
    const dir = rootProjectCopy();
    const stack = path.join(dir, "Pulumi.dev.yaml");
    fs.writeFileSync(
      stack,
      fs
        .readFileSync(stack, "utf8")
        .replace(
          /( {10}source:\n) {12}virtualMachineId: [^\n]*win11-build-110\n/,
          "$1            imageBuilder:\n" +
            "              base: { publisher: MicrosoftWindowsDesktop, offer: office-365, sku: win11-24h2-avd-m365 }\n" +
            '              customize: [{ type: PowerShell, inline: ["Write-Host FSLogix"] }]\n',
        ),
    );
    const base = path.join(dir, "base.yaml");
    fs.copyFileSync(stack, base);
    expect(
      (await attestPassing(dir, "win11-24h2-avd", "1.1.0", "--evidence-dir", "evidence")).code,
    ).toBe(0);
    expect((await cli(["promote", "win11"], dir)).code).toBe(0);
    const run = await cli(["check", "--against", "base.yaml", "--json"], dir);
    expect([run.code, run.stderr.includes("error serializing")]).toEqual([0, false]);
    const report = JSON.parse(run.stdout);
    expect(report.images[0].roles).toContainEqual({ version: "1.1.0", role: "active" });
  });

  it("fails when the change deletes a version the base protects (a backup), saying what to do", async () => {
    const dir = rootProjectCopy();
    const file = path.join(dir, "Pulumi.dev.yaml");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(path.join(dir, "base.yaml"), original);
    const without = original.replace(/ {8}"0\.9\.0":\n(?: {10}.*\n)+/, "");
    expect(without).not.toContain('"0.9.0"');
    fs.writeFileSync(file, without);
    const run = await cli(["check", "--against", "base.yaml"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✔ no mandatory violations");
    expect(run.stdout).toContain(
      "✖ win11-0.9.0 is protected and would be deleted: pulumi up refuses. Let it retire first",
    );
  });

  it("passes a promotion of a pool with session hosts: no VM is replaced, the rollout moves them later", async () => {
    const dir = rootProjectCopy();
    const file = path.join(dir, "Pulumi.dev.yaml");
    const withHosts = fs
      .readFileSync(file, "utf8")
      .replace(
        /( {4}hp-prod-finance:\n(?: {6}.*\n)+?)( {6}vmTemplate:)/,
        `$1      registrationTokenExpiration: "2026-12-20T00:00:00Z"\n      sessionHosts:\n        count: 2\n        subnetId: ${SUBNET}\n        rollout:\n          batchSize: "50%"\n          message: Please save your work.\n$2`,
      );
    expect(withHosts).toContain("batchSize");
    fs.writeFileSync(file, withHosts);
    fs.writeFileSync(path.join(dir, "base.yaml"), withHosts);
    expect((await cli(["promote", "win11", "--force"], dir)).code).toBe(0);
    await attestPassing(dir, "win11-24h2-avd", "1.1.0", "--evidence-dir", "evidence");
    const run = await cli(["check", "--against", "base.yaml", "--json"], dir);
    const report = JSON.parse(run.stdout);
    expect([run.code, report.warnings]).toEqual([0, []]);
    const changed = report.diff.map((c: any) => `${c.kind} ${c.urn.split("::").pop()}`);
    // The hosts stay (tagged rolling); the first step drains the canary through the control.
    expect(changed.filter((c: string) => !c.startsWith("update"))).toEqual([]);
    expect(changed).toEqual(
      expect.arrayContaining([
        "update hp-prod-finance-vm-0",
        "update hp-prod-finance-vm-1",
        "update hp-prod-finance-session-control",
      ]),
    );
    expect(changed).toContain("update hp-prod-finance-pool");
    // How many hosts go at once, answered by the gate in hosts ("50%" of 2), and by status.
    const settings = {
      hosts: 2,
      batchHosts: 1,
      drainGraceMinutes: 60,
      surge: false,
      maxFailedHosts: 0,
    };
    expect(report.rollouts).toEqual([
      { pool: "hp-prod-finance", settings, summary: expect.stringMatching(/\w/) },
    ]);
    const described =
      "2 hosts: 1 canary, then 1 at a time; drain grace 60 min; surge off; halts at the first failed host";
    const human = await cli(["check", "--against", "base.yaml"], dir);
    expect(human.stdout).toContain(`Session host rollouts\n  hp-prod-finance: ${described}`);
    const status = await cli(["status"], dir);
    expect(status.stdout).toContain(`    rollout settings: ${described}`);
    const machine = JSON.parse((await cli(["status", "--json"], dir)).stdout);
    expect(
      machine.images[0].hostPools.find((p: any) => p.name === "hp-prod-finance").rolloutSettings,
    ).toEqual(settings);
  });

  // Every example is checked offline with no extra flags, so an example that rots fails CI.
  const examples = fs
    .readdirSync(path.join(REPO, "examples"))
    .filter((e) => fs.existsSync(path.join(REPO, "examples", e, "Pulumi.yaml")));
  const EXPECTED_CONSUMERS: Record<string, unknown[]> = {
    "customer-hostpools": [
      ['Host pool "fabrikam-prod-pool"', "1.1.0", "active"],
      ['Host pool "fabrikam-val-pool"', "1.2.0", "staged"],
      ['Scale set "render"', "1.1.0", undefined],
    ],
    "customer-replica": [
      ['Host pool "fabrikam-prod-pool"', "1.1.0", "active"],
      ['Host pool "tailspin-prod-pool"', "1.1.0", "active"],
      ['Host pool "tailspin-val-pool"', "1.2.0", "staged"],
    ],
    "image-build": [],
    "msp-images": [],
    "promotion-walkthrough": [
      ['Host pool "hp-prod-pool"', "1.0.0", "active"],
      ['Host pool "hp-validation-pool"', "1.1.0", "staged"],
    ],
    "yaml-consumer": [
      ['Host pool "production-pool"', "1.1.0", "active"],
      ['Host pool "validation-pool"', "1.2.0", "staged"],
    ],
  };

  let pack: SharedPack | undefined;
  afterAll(() => pack?.stop());

  it.each(examples)("checks examples/%s offline with no extra flags", async (example) => {
    const dir = path.join(REPO, "examples", example);
    // A TypeScript example also runs as `pulumi up` runs it, with the built pack: same verdict.
    const typescript = fs.existsSync(path.join(dir, "index.ts"));
    const [run, engine] = await Promise.all([
      cli(["check", "--dir", `examples/${example}`, "--json"], REPO),
      typescript
        ? (async () =>
            deploy(
              { ...projectRun(dir, "dev"), mode: "update" },
              (pack ??= await sharedPack(PACK)),
            ))()
        : undefined,
    ]);
    expect([run.code, run.stderr]).toEqual([0, expect.not.stringContaining("global-image:")]);
    const report = JSON.parse(run.stdout);
    if (engine) {
      expect(engineVerdict(engine)).toEqual(checkVerdict(report));
      expect(engine.resources.length).toBe(report.resources); // the same registrations
    }
    expect(report.warnings).toEqual([]);
    expect(report.consumers.map((c: any) => [c.consumer, c.version, c.role])).toEqual(
      EXPECTED_CONSUMERS[example],
    );
  });

  it("exits 2 with the program's reason when the stack config is broken", async () => {
    const dir = rootProjectCopy();
    const file = path.join(dir, "Pulumi.dev.yaml");
    fs.writeFileSync(
      file,
      fs.readFileSync(file, "utf8").replace('activeVersion: "1.0.0"', 'activeVersion: "7.0.0"'),
    );
    const run = await cli(["check"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /"global-image:images\.win11\.activeVersion" must name one of the declared versions/,
    );
  });
});
