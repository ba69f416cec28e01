/**
 * The bad-input catalogue: one table across component arguments, root-project config, CLI flags,
 * evidence files and JUnit files. Every case must fail with a message naming the field, flag or
 * file, register no resource, and write or change no file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { installMocks } from "../helpers/mocks";
import { runProgram, stackFileConfig } from "../helpers/program";
import { JUNIT, REPO, cli, rootProjectCopy, tempDir } from "../helpers/cli";
import { main } from "../../src/cli/main";
import { processIo } from "../../src/cli/io";
import { argsWith, validArgs } from "../fixtures/globalImage";
import { poolArgs } from "../fixtures/hostPool";
import { passingEvidence } from "../fixtures/evidence";
import { recipe as validRecipe } from "../fixtures/imageBuild";
import type { GlobalImageArgs } from "../../src/component/args";
import type { ImageHostPoolArgs } from "../../src/consumers/args";
import type { Mutable } from "../fixtures/globalImage";

const recorder = installMocks("global-image");
import { GlobalImage } from "../../src/component/globalImage";
import { ImageHostPool } from "../../src/consumers/imageHostPool";

/** What a failed attempt left: its message, the resources registered, the files written. */
interface Outcome {
  readonly message: string;
  readonly registered: number;
  readonly written: string[];
}

const project = rootProjectCopy();
// A last up's outputs whose rollout entry is damaged (`status --outputs` reads it).
fs.writeFileSync(
  path.join(project, "damaged-outputs.json"),
  JSON.stringify({
    hostPools: { "hp-prod-finance": { rollout: { target: "1.0.0", hosts: [null] } } },
  }),
);
const before = () => new Set(listFiles(project));
/** Every file under `dir` (not the linked node_modules) with its modification time. */
function listFiles(dir: string, prefix = ""): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    if (entry.name === "node_modules") return [];
    if (entry.isDirectory()) return listFiles(dir, relative);
    return [`${relative}:${fs.statSync(path.join(dir, relative)).mtimeMs}`];
  });
}

/** Runs `attempt`, which must throw; the outcome of what it left behind. */
async function failing(attempt: () => unknown): Promise<Outcome> {
  recorder.reset();
  const files = before();
  let message = "";
  try {
    await attempt();
  } catch (err) {
    message = (err as Error).message;
  }
  if (!message) throw new Error("the bad input was accepted");
  const written = listFiles(project).filter((f) => !files.has(f));
  return { message, registered: recorder.registrations.length, written };
}

/** A CLI run that must exit 2; its stderr is the message. */
const command = (...args: string[]) =>
  failing(async () => {
    const run = await cli(args, project);
    if (run.code !== 2) throw new Error(`exit ${run.code}, not 2: ${run.stdout}${run.stderr}`);
    throw new Error(run.stderr);
  });

const image = (change: (a: Mutable<GlobalImageArgs>) => void) => () =>
  failing(() => new GlobalImage("img", argsWith(change), recorder.opts));
const pool = (change: (a: Mutable<ImageHostPoolArgs>) => void) => () =>
  failing(() => new ImageHostPool("pool", poolArgs(imageHandle(), change), recorder.opts));
const imageHandle = () => ({
  imageName: "win11-avd",
  imageDefinitionId: "/subscriptions/x/images/win11-avd",
  activeVersion: "1.9.0",
  activeVersionId: "/subscriptions/x/images/win11-avd/versions/1.9.0",
});

/** A valid Image Builder recipe with `change` spread over it. */
const recipe = (change: Record<string, unknown> = {}) => ({ ...validRecipe(), ...change }) as any;

const PROGRAM = path.join(REPO, "src", "program", "index");
/** The root program with the demo stack's config, `key` changed. */
const withConfig = (key: string, value: (current: any) => string) => () => {
  const values = stackFileConfig(path.join(REPO, "Pulumi.dev.yaml"));
  const changed = { ...values, [key]: value(values[key]) };
  return failing(() => runProgram(recorder, PROGRAM, changed, project));
};
/** ... a structured value of it edited in place. */
const config = (key: string, edit: (value: any) => void) =>
  withConfig(key, (current) => {
    const value = JSON.parse(current);
    edit(value);
    return JSON.stringify(value);
  });

/** A file in the project copy (evidence and JUnit cases). */
function file(relative: string, content: string): string {
  const full = path.join(project, relative);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  return relative;
}
const evidenceDirWith = (version: string, content: string) => () => {
  const dir = tempDir("global-image-evidence-");
  fs.mkdirSync(path.join(dir, "win11-avd"));
  fs.writeFileSync(path.join(dir, "win11-avd", `${version}.json`), content);
  return failing(
    () =>
      new GlobalImage(
        "img",
        argsWith((a) => (a.evidenceDir = dir)),
        recorder.opts,
      ),
  );
};
const attest =
  (junitFile: string, ...flags: string[]) =>
  () =>
    command("attest", "--junit", junitFile, "--image", "win11", "--version", "1.1.0", ...flags);

type Row = [area: string, name: string, attempt: () => Promise<Outcome>, message: RegExp];

const CATALOGUE: Row[] = [
  // GlobalImage and ImageHostPool arguments
  [
    "component",
    "an undeclared activeVersion",
    image((a) => (a.activeVersion = "2.0.0")),
    /"activeVersion" must name one of the declared versions \("1\.0\.0", "1\.1\.0", "1\.9\.0", "1\.10\.0"\)/,
  ],
  [
    "component",
    "a version named v2.0.0",
    image((a) => (a.versions["v2.0.0"] = a.versions["1.0.0"])),
    /"versions\["v2\.0\.0"\]" is not an Azure gallery version name/,
  ],
  [
    "component",
    "a gallery name with hyphens",
    image((a) => (a.galleryName = "msp-gallery")),
    /"galleryName".*hyphens/,
  ],
  [
    "component",
    "a version with two sources",
    image((a) => (a.versions["1.0.0"].source = { virtualMachineId: "/x", managedImageId: "/y" })),
    /"versions\["1\.0\.0"\]\.source" names 2 sources/,
  ],
  [
    "component",
    "a negative retainBackups",
    image((a) => (a.retainBackups = -1)),
    /"retainBackups"/,
  ],
  [
    "component",
    "evidence for an undeclared version",
    image((a) => (a.evidence = { "3.0.0": passingEvidence("win11-avd", "3.0.0") })),
    /"evidence\["3\.0\.0"\]" is not a declared version/,
  ],
  [
    "component",
    "a version above the active one left unmarked",
    image((a) => (a.stagedVersion = a.activeVersion)),
    /"versions\["1\.10\.0"\]" is above the active version 1\.9\.0/,
  ],
  [
    "component",
    "an Image Builder step of an unknown type",
    image(
      (a) =>
        (a.versions["1.10.0"].source = {
          imageBuilder: recipe({ customize: [{ type: "Shell" }] }),
        }),
    ),
    /"versions\["1\.10\.0"\]\.source\.imageBuilder\.customize\[0\]\.type" is not an Image Builder customizer.*PowerShell, WindowsUpdate, WindowsRestart, File/,
  ],
  [
    "component",
    "an Image Builder timeout above 960 minutes",
    image(
      (a) =>
        (a.versions["1.10.0"].source = { imageBuilder: recipe({ buildTimeoutInMinutes: 1440 }) }),
    ),
    /"versions\["1\.10\.0"\]\.source\.imageBuilder\.buildTimeoutInMinutes" must be a whole number of minutes from 6 to 960/,
  ],
  [
    "component",
    "an Image Builder base with both forms",
    image(
      (a) =>
        (a.versions["1.10.0"].source = {
          imageBuilder: recipe({ base: { ...recipe().base, galleryImageVersionId: "/v/1.9.0" } }),
        }),
    ),
    /"versions\["1\.10\.0"\]\.source\.imageBuilder\.base" names both a Marketplace image and a gallery version/,
  ],
  [
    "component",
    "a built version without a location",
    image((a) => {
      a.versions["1.10.0"].source = { imageBuilder: recipe() };
      delete a.location;
    }),
    /"location" is required when a version is built by Image Builder/,
  ],
  [
    "component",
    "a pool type spelled in lower case",
    pool((a) => (a.hostPoolType = "pooled" as any)),
    /"hostPoolType".*"Pooled", "Personal"/,
  ],
  [
    "component",
    "a session host name prefix too long",
    pool((a) => (a.vmTemplate = { namePrefix: "finance-department" })),
    /"vmTemplate\.namePrefix"/,
  ],
  [
    "component",
    "session hosts without a subnet",
    pool((a) => (a.sessionHosts = { count: 2 } as any)),
    /"sessionHosts\.subnetId"/,
  ],
  // Root-project config (Pulumi.<stack>.yaml)
  [
    "config",
    "an undeclared activeVersion",
    config("global-image:images", (i) => (i.win11.activeVersion = "2.0.0")),
    /"global-image:images\.win11\.activeVersion" must name one of the declared versions/,
  ],
  [
    "config",
    "a misspelled pool setting",
    config("global-image:hostPools", (p) => (p["hp-prod-office"].maxSessions = 4)),
    /"global-image:hostPools\.hp-prod-office\.maxSessions" is not a known setting here/,
  ],
  [
    "config",
    "a pool bound to an unknown image",
    config("global-image:hostPools", (p) => (p["hp-validation"].image = "win10")),
    /"global-image:hostPools\.hp-validation\.image" must name an image of global-image:images/,
  ],
  [
    "config",
    "a gallery name with hyphens",
    withConfig("global-image:galleryName", () => "msp-images"),
    /"global-image:galleryName".*hyphens/,
  ],
  [
    "config",
    "an Image Builder step of an unknown type",
    config("global-image:images", (i) => {
      i.win11.versions["1.1.0"].source = {
        imageBuilder: recipe({ customize: [{ type: "Chocolatey" }] }),
      };
    }),
    /"global-image:images\.win11\.versions\["1\.1\.0"\]\.source\.imageBuilder\.customize\[0\]\.type" is not an Image Builder customizer/,
  ],
  [
    "config",
    "a built version in a stack without global-image:location",
    () => {
      const { "global-image:location": _gone, ...values } = stackFileConfig(
        path.join(REPO, "Pulumi.dev.yaml"),
      );
      const images = JSON.parse(values["global-image:images"]);
      images.win11.versions["1.1.0"].source = { imageBuilder: recipe() };
      const changed = { ...values, "global-image:images": JSON.stringify(images) };
      return failing(() => runProgram(recorder, PROGRAM, changed, project));
    },
    /^"global-image:location" is required when a version is built by Image Builder/,
  ],
  [
    "config",
    "staging a version marked withdrawn",
    config("global-image:images", (i) => (i.win11.versions["1.1.0"].withdrawn = true)),
    /"global-image:images\.win11\.stagedVersion" names a version marked withdrawn/,
  ],
  [
    "config",
    "an evidenceDir that does not exist",
    withConfig("global-image:evidenceDir", () => "no-such-dir"),
    /"global-image:evidenceDir" must be an existing directory/,
  ],
  [
    "config",
    "host pools as a list",
    withConfig("global-image:hostPools", () => "[]"),
    /"global-image:hostPools" must be an object/,
  ],
  // CLI flags
  [
    "cli",
    "rings with GLOBAL_IMAGE_NOW=tomorrow (the clock every command reads)",
    () =>
      failing(async () => {
        process.env.GLOBAL_IMAGE_NOW = "tomorrow";
        let err = "";
        try {
          const io = { ...processIo(), cwd: project, stdout: () => undefined };
          const code = await main(["rings"], { ...io, stderr: (t: string) => (err += t) });
          if (code !== 2) throw new Error(`exit ${code}, not 2`);
        } finally {
          delete process.env.GLOBAL_IMAGE_NOW;
        }
        throw new Error(err);
      }),
    /GLOBAL_IMAGE_NOW is not an RFC 3339 date-time \(received "tomorrow"\)/,
  ],
  [
    "cli",
    "status --outputs with a damaged rollout entry (hosts: [null])",
    () => command("status", "--outputs", "damaged-outputs.json"),
    /--outputs damaged-outputs\.json: hostPools\.hp-prod-finance\.rollout\.hosts\[0\] must be an object/,
  ],
  [
    "cli",
    "stage the active version",
    () => command("stage", "win11", "1.0.0"),
    /win11 1\.0\.0: is the active version \(production boots it\); stage a new version number/,
  ],
  [
    "cli",
    "stage the only backup",
    () => command("stage", "win11", "0.9.0"),
    /win11 0\.9\.0: is a backup, kept protected for a rollback; .*global-image rollback win11/,
  ],
  [
    "cli",
    "stage --source virtualMachineId=foo",
    () => command("stage", "win11", "1.2.0", "--source", "virtualMachineId=foo"),
    /"--source virtualMachineId" is not an Azure resource id of a Microsoft\.Compute\/virtualMachines/,
  ],
  [
    "cli",
    "attest --version v1.1.0",
    attest(path.join(JUNIT, "passing.xml"), "--version", "v1.1.0"),
    /--version v1\.1\.0: must be MAJOR\.MINOR\.PATCH/,
  ],
  [
    "cli",
    "attest with --out and --evidence-dir",
    attest(path.join(JUNIT, "passing.xml"), "--out", "a.json", "--evidence-dir", "ev"),
    /--out and --evidence-dir: give one of them/,
  ],
  [
    "cli",
    "verify --max-age-days -1",
    () => command("verify", "evidence/win11-24h2-avd/1.0.0.json", "--max-age-days", "-1"),
    /--max-age-days -1: must be a whole number of days/,
  ],
  [
    "cli",
    "verify --trusted-key that is not a key",
    () =>
      command(
        "verify",
        "evidence/win11-24h2-avd/1.0.0.json",
        "--trusted-key",
        file("not-a-key.pem", "hello"),
      ),
    /--trusted-key not-a-key\.pem: not a single PEM block/,
  ],
  [
    "cli",
    "promote --to an undeclared version",
    () => command("promote", "win11", "--to", "2.0.0"),
    /--to 2\.0\.0: not a declared version of win11/,
  ],
  [
    "cli",
    "promote an image the stack lacks",
    () => command("promote", "win10"),
    /image win10: not in global-image:images of Pulumi\.dev\.yaml/,
  ],
  [
    "cli",
    "check --stack of a missing stack file",
    () => command("check", "--stack", "prod"),
    /--stack prod: no .*Pulumi\.prod\.yaml/,
  ],
  [
    "cli",
    "check --dir without a project",
    () => command("check", "--dir", "evidence"),
    /--dir evidence: no Pulumi\.yaml/,
  ],
  [
    "cli",
    "check --policy-config that is missing",
    () => command("check", "--policy-config", "nope.json"),
    /--policy-config nope\.json: cannot be read/,
  ],
  [
    "cli",
    "keygen over an existing key",
    () => (file("keys/ci.key", "secret"), command("keygen", "--out", "keys/ci")),
    /--out keys\/ci: keys\/ci\.key exists/,
  ],
  // Evidence files
  [
    "evidence",
    "an evidence file that is not JSON",
    evidenceDirWith("1.9.0", "{ not json"),
    /win11-avd[/\\]1\.9\.0\.json: is not valid JSON/,
  ],
  [
    "evidence",
    "an evidence file of another schema",
    evidenceDirWith("1.9.0", JSON.stringify({ schema: "x" })),
    /1\.9\.0\.json.*"schema" must be "global-image\.dev\/evidence\/v1"/,
  ],
  [
    "evidence",
    "a test status that is not one",
    evidenceDirWith(
      "1.9.0",
      JSON.stringify({
        ...passingEvidence("win11-avd", "1.9.0"),
        tests: [{ name: "a", status: "ok" }],
      }),
    ),
    /1\.9\.0\.json.*tests\[0\]\.status/,
  ],
  [
    "evidence",
    "inline evidence without tests",
    image(
      (a) =>
        (a.evidence = {
          "1.9.0": { ...passingEvidence("win11-avd", "1.9.0"), tests: undefined as any },
        }),
    ),
    /evidence\["1\.9\.0"\]: "tests" must be a list/,
  ],
  [
    "evidence",
    "verify of a file that is not JSON",
    () => command("verify", file("broken.json", "{")),
    /evidence broken\.json: not valid JSON/,
  ],
  [
    "evidence",
    "verify of a file that does not exist",
    () => command("verify", "missing.json"),
    /evidence missing\.json: cannot be read \(ENOENT\)/,
  ],
  // JUnit files
  [
    "junit",
    "a report with no test case",
    attest(path.join(JUNIT, "empty.xml")),
    /empty\.xml: the report has no <testcase>/,
  ],
  [
    "junit",
    "malformed XML",
    attest(path.join(JUNIT, "malformed.xml")),
    /malformed\.xml: not well-formed XML/,
  ],
  [
    "junit",
    "an XML file that is not JUnit",
    attest(file("page.xml", "<html><body/></html>")),
    /page\.xml: not a JUnit report/,
  ],
  [
    "junit",
    "a results file that does not exist",
    attest("results/none.xml"),
    /--junit results[/\\]none\.xml: cannot be read/,
  ],
];

describe("the bad-input catalogue", () => {
  it("has at least 30 cases, in every area", () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CATALOGUE.map(([area]) => area))).toEqual(
      new Set(["component", "config", "cli", "evidence", "junit"]),
    );
  });

  it.each(CATALOGUE)("%s: %s", async (_area, _name, attempt, message) => {
    const outcome = await attempt();
    expect(outcome).toEqual({
      message: expect.stringMatching(message),
      registered: 0,
      written: [],
    });
  });
});

// Keep the fixture honest: the valid arguments are accepted.
it("accepts the valid fixture the component cases start from", () => {
  expect(() => new GlobalImage("valid", validArgs(), recorder.opts)).not.toThrow();
});
