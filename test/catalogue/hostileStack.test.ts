/**
 * The hostile-input catalogue, part 1: the stack file, the PR gate and what a new user hit. Each
 * row is a hole that once failed open (or could); it must fail closed with a reason naming the
 * input and leave every file as it was. Evidence attacks are in hostileEvidence.test.ts.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO, cli, probeProject as probe } from "../helpers/cli";

const probeProject = (program: string) => probe(program, { tsconfig: "repo" });
import { loadProject } from "../../src/cli/project";
import { changeStackFile } from "../../src/cli/stackChange";
import { writeStackFile } from "../../src/cli/stackWrite";
import { parseProjectConfig, rawConfig } from "../../src/program/config";
import { readHandleField } from "../../src/consumers/imageHandle";
import {
  CLASSES,
  HostileRow,
  STACK,
  attestedProject,
  ok,
  projectWith,
  put,
  refused,
  snapshot,
  stackText,
} from "./hostile";

// Rows that run `check` compile and run a program in worker processes.
jest.setTimeout(180_000);

const io = (cwd: string) => ({
  stdout: () => undefined,
  stderr: () => undefined,
  color: false,
  cwd,
  now: () => new Date("2026-11-25T12:00:00Z"),
});
const fail = (code: string) => () => {
  throw Object.assign(new Error(code), { code });
};
const ACTIVE = /activeVersion: "1\.0\.0"/;
const withActive = (v: string) => (t: string) => t.replace(ACTIVE, `activeVersion: "${v}"`);
/** The demo stack without the staged version 1.1.0: the base of a normal staging change. */
const beforeStaging = (t: string) =>
  t.replace(/\n {8}"1\.1\.0":\n(?: {10}.*\n)+/, "\n").replace(/\n {6}stagedVersion: "1\.1\.0"/, "");
const CLI = path.join(REPO, "dist", "src", "cli", "index.js");

const { stackFile, gate, smaller } = CLASSES;
const ROWS: HostileRow[] = [
  [
    stackFile,
    "a failed write (a full disk) leaves the stack file whole",
    async () => {
      const dir = await attestedProject();
      const before = snapshot(dir);
      const project = loadProject(dir, undefined, "dev");
      const edits = [{ path: ["global-image:images", "win11", "activeVersion"], value: "1.1.0" }];
      expect(() =>
        changeStackFile(project, edits, io(dir), { ...fs, writeSync: fail("ENOSPC") }),
      ).toThrow(
        /Pulumi\.dev\.yaml: cannot be written \(ENOSPC: no space left on the device\); nothing was changed/,
      );
      expect(snapshot(dir)).toEqual(before); // no truncation, no temporary file, no lock left
    },
  ],
  [
    stackFile,
    "a read-only stack file is refused",
    async () => {
      const dir = await attestedProject();
      fs.chmodSync(path.join(dir, STACK), 0o444);
      await refused(dir, ["promote", "win11"], /Pulumi\.dev\.yaml: the file is read-only/);
    },
  ],
  [
    stackFile,
    "the file keeps its mode",
    async () => {
      const dir = await attestedProject();
      fs.chmodSync(path.join(dir, STACK), 0o640);
      await ok(dir, ["promote", "win11"]);
      expect(fs.statSync(path.join(dir, STACK)).mode & 0o777).toBe(0o640);
    },
  ],
  [
    stackFile,
    "another command holds the lock",
    async () => {
      const dir = await attestedProject();
      put(dir, `${STACK}.lock`, `pid ${process.pid} promote win11\n`);
      await refused(
        dir,
        ["promote", "win11"],
        /another global-image command is editing Pulumi\.dev\.yaml .*wait for it/,
      );
    },
  ],
  [
    stackFile,
    "a lock left by a process that is gone says so",
    async () => {
      const dir = await attestedProject();
      put(dir, `${STACK}.lock`, `pid 999999999 stage win11\n`);
      await refused(
        dir,
        ["promote", "win11"],
        /process 999999999 is not running: remove Pulumi\.dev\.yaml\.lock/,
      );
    },
  ],
  [
    stackFile,
    "an edit made since the command read the file is never overwritten",
    async () => {
      const dir = projectWith();
      const file = path.join(dir, STACK);
      const now = stackText(dir);
      expect(() => writeStackFile(file, `${now}# what the command read\n`, "new")).toThrow(
        /changed while global-image was working on it .*nothing was written/,
      );
      expect(stackText(dir)).toBe(now);
    },
  ],
  [
    stackFile,
    "two commands at once never lose an update",
    async () => {
      const dir = await attestedProject();
      const run = (args: string[]) =>
        new Promise<{ code: number | null; err: string }>((resolve) => {
          const child = spawn(process.execPath, [CLI, ...args], { cwd: dir });
          let err = "";
          child.stdout.on("data", (d: Buffer) => (err += d.toString()));
          child.stderr.on("data", (d: Buffer) => (err += d.toString()));
          child.on("close", (code) => resolve({ code, err }));
        });
      const [staged, retained] = await Promise.all([
        run([
          "stage",
          "win11",
          "1.2.0",
          "--source",
          "virtualMachineId=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-avd-build/providers/Microsoft.Compute/virtualMachines/vm",
        ]),
        run(["promote", "win11", "--to", "1.1.0"]),
      ]);
      const config = parse(stackText(dir)).config["global-image:images"].win11;
      // Each command either landed its change, or said why it did not.
      if (staged.code === 0) expect(config.versions["1.2.0"]).toBeDefined();
      else expect(staged.err).toMatch(/another global-image command|changed while/);
      if (retained.code === 0) expect(config.activeVersion).toBe("1.1.0");
      else
        expect(retained.err).toMatch(/another global-image command|changed while|marked withdrawn/);
      expect([staged.code, retained.code]).toContain(0);
      expect(fs.existsSync(path.join(dir, `${STACK}.lock`))).toBe(false);
    },
  ],
  [
    stackFile,
    "an edit never changes another value through a shared anchor",
    async () => {
      const dir = await attestedProject((t) =>
        t
          .replace(ACTIVE, 'activeVersion: &current "1.0.0"')
          .replace("friendlyName: Office desktops", "friendlyName: *current"),
      );
      await refused(
        dir,
        ["promote", "win11"],
        /global-image:images\.win11\.activeVersion is anchor &current, which is used elsewhere/,
      );
    },
  ],
  [
    stackFile,
    "merge keys (<<) are read as Pulumi reads them",
    async () => {
      const dir = projectWith((t) =>
        t
          .replace("    hp-prod-office:\n", "    hp-prod-office: &office\n")
          .replace(
            / {4}hp-prod-finance:\n(?: {6}.*\n)+/,
            "    hp-prod-finance:\n      <<: *office\n      friendlyName: Finance desktops\n",
          ),
      );
      const run = await ok(dir, ["status", "--json"]);
      const pools = JSON.parse(run.stdout).images[0].hostPools;
      expect(pools.map((p: { name: string }) => p.name)).toEqual([
        "hp-prod-office",
        "hp-prod-finance",
        "hp-validation",
      ]);
    },
  ],
  [
    stackFile,
    "CRLF line endings and a byte-order mark are kept; only the edited line changes (and the activation time is added, with CRLF)",
    async () => {
      const dir = await attestedProject((t) => `\uFEFF${t.replace(/\n/g, "\r\n")}`);
      const before = stackText(dir);
      await ok(dir, ["promote", "win11"]);
      const after = stackText(dir);
      expect(after.startsWith("\uFEFF")).toBe(true);
      expect(after.split("\r\n")).toHaveLength(before.split("\r\n").length + 1);
      expect(after.replace(/\r\n/g, "")).not.toContain("\n");
      expect(after.replace(/ {10}activatedAt: "\d{4}-[^"]+Z"\r\n/, "")).toBe(
        withActive("1.1.0")(before),
      );
    },
  ],
  [
    stackFile,
    "a config given as a JSON string is read; editing inside it is refused clearly",
    async () => {
      const dir = projectWith((t) => {
        const doc = parse(t);
        const images = JSON.stringify(doc.config["global-image:images"]);
        return t.replace(
          / {2}global-image:images:\n(?: {4}.*\n)+/,
          `  global-image:images: '${images}'\n`,
        );
      });
      expect((await ok(dir, ["status", "--json"])).stdout).toContain('"activeVersion": "1.0.0"');
      await refused(
        dir,
        ["promote", "win11", "--force"],
        /config global-image:images is not a YAML mapping \(a JSON string\?\)/,
      );
    },
  ],
  [
    stackFile,
    "secure: values of other namespaces do not block; in global-image:* they are refused",
    async () => {
      const secret = "  azure-native:clientSecret:\n    secure: AAABAHq2hfK8dkdl\n";
      await ok(
        projectWith((t) => t.replace("config:\n", `config:\n${secret}`)),
        ["status"],
      );
      const dir = projectWith((t) =>
        t.replace(
          "  global-image:location: westeurope\n",
          "  global-image:location:\n    secure: AAABAHq2\n",
        ),
      );
      await refused(dir, ["status"], /"global-image:location" holds a secret \(secure:\)/);
    },
  ],
  [
    stackFile,
    'config strings stay strings ("2024" is a resource group name)',
    async () => {
      const dir = projectWith((t) => t.replace("rg-avd-images", '"2024"'));
      expect((await ok(dir, ["status"])).code).toBe(0);
      expect(rawConfig({ "global-image:resourceGroupName": "2024" })).toEqual({
        resourceGroupName: "2024",
      });
    },
  ],
  [
    stackFile,
    "a misspelled top-level key is refused, naming the closest",
    async () => {
      const dir = projectWith((t) =>
        t.replace("global-image:hostPools:", "global-image:hostPool:"),
      );
      await refused(
        dir,
        ["status"],
        /"global-image:hostPool" is not a known setting here .*Did you mean "hostPools"\?/,
      );
      await refused(dir, ["check"], /"global-image:hostPool" is not a known setting here/);
    },
  ],
  [
    stackFile,
    "a misspelled key at any depth is refused, naming the closest",
    async () => {
      const config = (t: string) => rawConfig(parse(t).config ? flat(t) : {});
      const cases: Array<[from: string, to: string, message: RegExp]> = [
        [
          'endOfLifeDate: "2027-03-31"',
          'endOfLife: "2027-03-31"',
          /versions\["0\.9\.0"\]\.endOfLife" .*Did you mean "endOfLifeDate"/,
        ],
        ["replicas: 2", "replica: 2", /regions\[0\]\.replica" .*Did you mean "replicas"/],
        [
          "vmSize: Standard_D4s_v5",
          "vmsize: Standard_D4s_v5",
          /vmTemplate\.vmsize" .*Did you mean "vmSize"/,
        ],
        [
          "        osType: Windows",
          "        osTyp: Windows",
          /image\.osTyp" .*Did you mean "osType"/,
        ],
      ];
      const demo = fs.readFileSync(path.join(REPO, STACK), "utf8");
      for (const [from, to, message] of cases)
        expect(() => parseProjectConfig(config(demo.replace(from, to)))).toThrow(message);
    },
  ],
  [
    stackFile,
    "--stack takes a stack name, never a path",
    async () => {
      const dir = projectWith();
      for (const stack of ["../dev", "/etc/passwd", "dev/../../x", ".."])
        await refused(
          dir,
          ["status", "--stack", stack],
          /--stack .* takes a stack name .*not a path/,
        );
    },
  ],
  [
    stackFile,
    "promote and rollback print a real unified diff",
    async () => {
      const dir = await attestedProject();
      const promoted = await ok(dir, ["promote", "win11"]);
      expect(promoted.stdout).toMatch(
        /^--- Pulumi\.dev\.yaml\n\+\+\+ Pulumi\.dev\.yaml\n@@ -\d+,7 \+\d+,8 @@\n(?: .*\n){3}- {6}activeVersion: "1\.0\.0"\n\+ {10}activatedAt: "\d{4}-[^"]+Z"\n\+ {6}activeVersion: "1\.1\.0"\n(?: .*\n){3}✔ Promoted/,
      );
      const rolled = await ok(dir, ["rollback", "win11"]);
      expect(rolled.stdout.match(/^[+-] .*$/gm)!.sort()).toEqual([
        "+          withdrawn: true",
        '+      activeVersion: "1.0.0"',
        '+      stagedVersion: "1.0.0"',
        '-      activeVersion: "1.1.0"',
        '-      stagedVersion: "1.1.0"',
      ]);
    },
  ],
  [
    gate,
    "check --against fails deleting a production host pool, passes deleting a validation pool",
    async () => {
      const dir = projectWith();
      put(dir, "base.yaml", stackText(dir));
      const text = stackText(dir);
      fs.writeFileSync(
        path.join(dir, STACK),
        text.replace(/ {4}hp-prod-finance:\n(?: {6}.*\n)+/, ""),
      );
      const run = await cli(["check", "--against", "base.yaml"], dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /- +delete +\S+desktopvirtualization:HostPool hp-prod-finance-pool\n/,
      );
      expect(run.stdout).toMatch(
        /✖ hp-prod-finance-pool is a production consumer and would be deleted/,
      );
      fs.writeFileSync(
        path.join(dir, STACK),
        text.replace(/ {4}hp-validation:\n(?: {6}.*\n)+/, ""),
      );
      expect((await cli(["check", "--against", "base.yaml"], dir)).code).toBe(0);
    },
  ],
  [
    gate,
    "check --against fails replacing a production pool or an existing version",
    async () => {
      const dir = projectWith();
      put(dir, "base.yaml", stackText(dir));
      fs.writeFileSync(
        path.join(dir, STACK),
        stackText(dir)
          .replace(
            "friendlyName: Finance desktops",
            "friendlyName: Finance desktops\n      hostPoolName: hp-finance-2",
          )
          .replace("win11-build-100", "win11-build-100b"),
      );
      const run = await cli(["check", "--against", "base.yaml", "--json"], dir);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).blocking).toEqual([
        expect.objectContaining({
          kind: "replace",
          reason: expect.stringMatching(/^is protected and would be replaced/),
        }),
        expect.objectContaining({
          kind: "replace",
          reason: expect.stringMatching(/^is a production consumer and would be replaced/),
        }),
      ]);
    },
  ],
  [
    gate,
    "check --against passes the normal staging change (a new version created and staged)",
    async () => {
      const dir = projectWith();
      put(dir, "base.yaml", beforeStaging(stackText(dir)));
      const run = await cli(["check", "--against", "base.yaml"], dir);
      expect(run.stdout).toMatch(
        /\+ +create +global-image:index:GlobalImage\$azure-native:compute:GalleryImageVersion win11-1\.1\.0/,
      );
      expect(run.stdout).toContain(
        "Resources: 1 to create, 1 to update, 0 to replace, 0 to delete",
      );
      expect(run.stdout).toMatch(/vmTemplate\.customImageId: .*1\.0\.0" → .*1\.1\.0"/);
      expect(run.code).toBe(0);
    },
  ],
  [
    gate,
    "the policy config is validated against each policy's configSchema",
    async () => {
      const dir = projectWith();
      const cases: Array<[config: object, message: RegExp]> = [
        [
          { "consumers-use-active-versions": {} },
          /"consumers-use-active-versions" is not a policy of this pack\. Did you mean "consumers-use-active-version"\?/,
        ],
        [
          { "image-activation-requires-passing-tests": { requiredTest: [] } },
          /"image-activation-requires-passing-tests\.requiredTest" is not a setting .*Did you mean "requiredTests"\?/,
        ],
        [
          { "image-activation-requires-passing-tests": { maxEvidenceAgeDays: "30" } },
          /"image-activation-requires-passing-tests\.maxEvidenceAgeDays" must be integer/,
        ],
        [
          { "image-activation-requires-passing-tests": { maxEvidenceAgeDays: -1 } },
          /"image-activation-requires-passing-tests\.maxEvidenceAgeDays" must be >= 0 \(received -1\)/,
        ],
        [
          { "backups-protected": { enforcementLevel: "mandatroy" } },
          /"backups-protected\.enforcementLevel" must be one of advisory, mandatory, remediate, disabled\. Did you mean "mandatory"\?/,
        ],
        [{ "backups-protected": "strict" }, /"backups-protected\.enforcementLevel" must be one of/],
      ];
      for (const [config, message] of cases) {
        put(dir, "policy-config.json", JSON.stringify(config));
        for (const command of [
          "status",
          "verify evidence/win11-24h2-avd/1.0.0.json",
          "promote win11",
        ])
          await refused(
            dir,
            command.split(" "),
            new RegExp(`policy-config\\.json: ${message.source}`),
          );
      }
      await refused(
        dir,
        ["check"],
        /--policy-config policy-config\.json: "backups-protected\.enforcementLevel"/,
      );
    },
  ],
  [
    gate,
    "status, promote and verify read the same policy config as check (found, or named in the stack)",
    async () => {
      const dir = projectWith((t) =>
        t.replace("config:\n", "config:\n  global-image:policyConfig: policies/prod.json\n"),
      );
      put(dir, "policies/prod.json", activation({ requiredTests: ["boot.signin"] }));
      const status = JSON.parse((await ok(dir, ["status", "--json"])).stdout);
      expect(status.policyConfig).toBe("policies/prod.json (global-image:policyConfig)");
      expect(status.images[0].versions[1]).toEqual({
        version: "1.0.0",
        role: "active",
        evidence: "passed",
      });
      const strict = projectWith();
      put(strict, "policy-config.json", activation({ requiredTests: ["boot.login"] }));
      const found = JSON.parse((await ok(strict, ["status", "--json"])).stdout);
      expect(found.images[0].versions[1].evidence).toMatch(
        /required tests missing: boot\.login \(the name differs\? closest found: boot\.signin/,
      );
      const verify = await cli(["verify", "evidence/win11-24h2-avd/1.0.0.json"], strict);
      expect([verify.code, verify.stdout]).toEqual([
        1,
        expect.stringContaining("required tests missing: boot.login"),
      ]);
      const check = await cli(["check", "--json"], strict);
      expect(JSON.parse(check.stdout).violations[0].message).toMatch(
        /required tests missing: boot\.login/,
      );
    },
  ],
  [
    gate,
    "two resources with the same type and name are an error, as in the engine",
    async () => {
      const dir = probeProject(
        `import * as resources from "@pulumi/azure-native/resources";\nnew resources.ResourceGroup("rg", {});\nnew resources.ResourceGroup("rg", {});\n`,
      );
      await refused(
        dir,
        ["check"],
        /the program failed: .*Duplicate resource URN .*ResourceGroup.* named "rg"/,
      );
    },
  ],
  [
    gate,
    "a consumer whose image cannot be resolved is a mandatory violation, not a pass",
    async () => {
      const dir = probeProject(
        [
          `import * as pulumi from "@pulumi/pulumi";`,
          `import * as compute from "@pulumi/azure-native/compute";`,
          `const images = new pulumi.StackReference("org/msp/prod");`,
          `new compute.VirtualMachineScaleSet("hosts", { resourceGroupName: "rg", virtualMachineProfile: { storageProfile: { imageReference: { id: images.getOutput("missing") as pulumi.Output<string> } } } });`,
          `new compute.VirtualMachine("vm", { resourceGroupName: "rg", storageProfile: { imageReference: { id: "" } } });`,
        ].join("\n"),
      );
      const run = await cli(["check", "--json"], dir);
      expect(run.code).toBe(1);
      const violations = JSON.parse(run.stdout).violations;
      expect(violations).toHaveLength(2);
      expect(violations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            enforcementLevel: "mandatory",
            message: expect.stringMatching(/^Scale set "hosts": its image cannot be resolved/),
          }),
          expect.objectContaining({
            enforcementLevel: "mandatory",
            message: expect.stringMatching(
              /^VM "vm": its image cannot be resolved \(imageReference\.id is empty\)/,
            ),
          }),
        ]),
      );
    },
  ],
  [
    gate,
    "check prints no empty headings",
    async () => {
      const dir = probeProject(
        `import * as resources from "@pulumi/azure-native/resources";\nnew resources.ResourceGroup("rg", {});\n`,
      );
      const run = await ok(dir, ["check"]);
      expect(run.stdout).not.toMatch(/Images|Consumers/);
      expect(run.stdout).toContain("✔ no mandatory violations");
    },
  ],
  [
    smaller,
    "a rollback refused by a tightened policy names the break-glass; exempting it makes status and check agree",
    async () => {
      const dir = projectWith();
      put(dir, "policy-config.json", activation({ requiredTests: ["boot.signin"] }));
      const refusedRun = await cli(["rollback", "win11"], dir);
      expect(refusedRun.code).toBe(1);
      expect(refusedRun.stdout).toMatch(
        /Break-glass: add "0\.9\.0" to exemptVersions\["win11-24h2-avd"\] of image-activation-requires-passing-tests in policy-config\.json/,
      );
      put(
        dir,
        "policy-config.json",
        activation({
          requiredTests: ["boot.signin"],
          exemptVersions: { "win11-24h2-avd": ["0.9.0"] },
        }),
      );
      expect(
        JSON.parse((await ok(dir, ["status", "--json"])).stdout).images[0].versions[0].evidence,
      ).toBe("exempt (exemptVersions)");
      await ok(dir, ["rollback", "win11"]);
      const check = await cli(["check", "--json"], dir);
      expect(
        JSON.parse(check.stdout).violations.filter(
          (v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory",
        ),
      ).toEqual([]);
    },
  ],
  [
    smaller,
    "evidence not found names the file looked for, and one under the config key",
    async () => {
      const dir = projectWith();
      fs.mkdirSync(path.join(dir, "evidence", "win11"));
      fs.renameSync(
        path.join(dir, "evidence/win11-24h2-avd/1.0.0.json"),
        path.join(dir, "evidence/win11/1.0.0.json"),
      );
      const status = JSON.parse((await ok(dir, ["status", "--json"])).stdout);
      expect(status.images[0].versions[1].evidence).toBe(
        'there is no test evidence (looked for evidence/win11-24h2-avd/1.0.0.sigstore.json and evidence/win11-24h2-avd/1.0.0.json; evidence/win11/1.0.0.json exists, under the config key "win11" instead of the image name "win11-24h2-avd": move it to evidence/win11-24h2-avd/1.0.0.json)',
      );
    },
  ],
  [
    smaller,
    "a missing stack output's hint is valid TypeScript, and check names --stack-outputs",
    async () => {
      expect(() =>
        readHandleField(undefined, "activeVersion", "org/msp/prod", "images.win11"),
      ).toThrow("export const images = { win11: image.handle() };");
      const dir = probeProject(
        `import * as pulumi from "@pulumi/pulumi";\nimport { ImageHandle } from "${path.join(REPO, "src")}";\nexport const v = ImageHandle.fromStack(new pulumi.StackReference("org/msp/prod"), "images.win11").activeVersion;\n`,
      );
      await refused(
        dir,
        ["check"],
        /Stack output "images\.win11" of "org\/msp\/prod" .*stack outputs come from stack-outputs\.json \(none found\).*--stack-outputs/,
      );
    },
  ],
  [
    smaller,
    "stage declares, stages and withdraws the previously staged version, editing only those lines",
    async () => {
      const dir = projectWith();
      const run = await ok(dir, [
        "stage",
        "win11",
        "1.2.0",
        "--source",
        "virtualMachineId=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-avd-build/providers/Microsoft.Compute/virtualMachines/vm-120",
      ]);
      expect(run.stdout.match(/^\+ .*$/gm)).toEqual([
        "+          withdrawn: true",
        '+        "1.2.0":',
        "+          source:",
        "+            virtualMachineId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-avd-build/providers/Microsoft.Compute/virtualMachines/vm-120",
        '+      stagedVersion: "1.2.0"',
      ]);
      expect(run.stdout.match(/^- .*$/gm)).toEqual(['-      stagedVersion: "1.1.0"']);
      const win11 = parse(stackText(dir)).config["global-image:images"].win11;
      expect([win11.stagedVersion, win11.versions["1.1.0"].withdrawn]).toEqual(["1.2.0", true]);
      await refused(
        dir,
        ["stage", "win11", "1.3.0", "--source", "vmId=/x"],
        /--source vmId=\/x: "vmId" is not a source kind/,
      );
      await refused(dir, ["stage", "win11", "1.3"], /<version> 1\.3: /);
    },
  ],
  [
    smaller,
    "global-image --version prints the package version",
    async () => {
      const run = await cli(["--version"], REPO);
      expect(run.stdout.trim()).toBe(
        JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version,
      );
    },
  ],
];

/** A policy config of the activation policy with `knobs`, as JSON text. */
function activation(knobs: Record<string, unknown>): string {
  return JSON.stringify({ "image-activation-requires-passing-tests": knobs });
}

/** The engine's flat config map of a stack file's text. */
function flat(text: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(parse(text).config as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === "string" ? v : JSON.stringify(v),
    ]),
  );
}

describe("the hostile-input catalogue: stack file, PR gate, new users", () => {
  it("covers every class", () => {
    expect(new Set(ROWS.map(([cls]) => cls))).toEqual(new Set([stackFile, gate, smaller]));
  });

  it.each(ROWS)("%s: %s", async (_cls, _name, run) => {
    await run();
  });
});
