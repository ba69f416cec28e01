/**
 * How `check` runs a program: type-checked as `pulumi up` would (cached while the files do not
 * change), run with types stripped, and stopped cleanly when the check is interrupted.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO, probeProject } from "../helpers/cli";

/** Its own tsconfig and node_modules, so the type-check cache is the project's. */
const project = (program: string) =>
  probeProject(program, {
    tsconfig: {
      compilerOptions: { strict: true, target: "ES2022", module: "commonjs", types: ["node"] },
    },
    modules: ["@pulumi", "@types", "typescript", "esbuild", "@esbuild"],
  });

const BIN = path.join(REPO, "dist", "src", "cli", "index.js");
/** The compiled bin, as users run it: it type-checks programs (run from source, check does not). */
function bin(args: string[], cwd: string) {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

jest.setTimeout(120_000);

// A resource group declared by its type token (on the first line, so the programs below keep their
// line numbers): the program type-checks against the SDK alone. A program importing azure-native's
// modules (16 MB of declarations, ~5 s a cold check) is type-checked by the same bin in
// test/examples/promotion-walkthrough.test.ts.
const RG = `import * as pulumi from "@pulumi/pulumi"; const resources = { ResourceGroup: class extends pulumi.CustomResource { constructor(name: string, args: { location?: string }) { super("azure-native:resources:ResourceGroup", name, args); } } };\n`;

describe("check runs TypeScript programs", () => {
  it("fails a type error as pulumi up would (without waiting for the run), naming the file and line; once clean, does not check again", async () => {
    const dir = project(
      `${RG}const n: number = "one";\nnew resources.ResourceGroup("rg", { location: String(n) });\nsetInterval(() => undefined, 1000); // the run never ends: the type error must not wait for it\n`,
    );
    const broken = bin(["check"], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(
      /the program failed: index\.ts\(2,7\): error TS2322: Type 'string' is not assignable to type 'number'/,
    );
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      `${RG}const n: number = 1;\nnew resources.ResourceGroup("rg", { location: String(n) });\n`,
    );
    const fixed = bin(["check"], dir);
    expect([fixed.code, fixed.stderr]).toEqual([0, expect.stringContaining("type-check: done")]);
    const again = bin(["check"], dir);
    expect(again.stderr).toContain("type-check: unchanged since it last passed");
    const cached = fs.readdirSync(path.join(dir, "node_modules", ".cache", "global-image"));
    expect(cached.filter((f) => f.startsWith("typecheck-"))).toHaveLength(1);
    // The contract check remembers the request bodies that passed, too.
    expect(cached).toContain("contract-passed.json");
  });

  it("stops its workers and removes its temporary files when interrupted", async () => {
    const dir = project(
      `${RG}new resources.ResourceGroup("rg", {});\nsetInterval(() => undefined, 1000);\nexport const never = new Promise(() => undefined);\n`,
    );
    const child = spawn(
      process.execPath,
      [path.join(REPO, "dist", "src", "cli", "index.js"), "check"],
      { cwd: dir },
    );
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    // Interrupt once its workers run. Other suites run checks at the same time: this check's
    // workers are the child processes of this check, and its temporary directory is theirs.
    const childrenOf = (parent: number) =>
      processes().filter((p) => p.ppid === parent && p.cmdline.includes("global-image-check-"));
    await waitFor(() => childrenOf(child.pid!).length > 0);
    const mine = [
      ...new Set(
        childrenOf(child.pid!).map((p) => /global-image-check-[A-Za-z0-9]+/.exec(p.cmdline)![0]),
      ),
    ];
    const workers = () => processes().filter((p) => mine.some((t) => p.cmdline.includes(t)));
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(143);
    await waitFor(() => workers().length === 0);
    expect(fs.readdirSync(os.tmpdir()).filter((t) => mine.includes(t))).toEqual([]);
    expect(err).toContain("offline under Pulumi's mock runtime");
  });
});

/** The running processes: pid, parent pid and command line. */
function processes(): Array<{ pid: number; ppid: number; cmdline: string }> {
  return fs.readdirSync("/proc").flatMap((pid) => {
    if (!/^\d+$/.test(pid)) return [];
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      return [{ pid: Number(pid), ppid, cmdline: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8") }];
    } catch {
      return [];
    }
  });
}

async function waitFor(condition: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}
