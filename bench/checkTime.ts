/**
 * `global-image check` on the demo stack, as a user runs it (the compiled bin, a fresh process
 * each time): the first run, which type-checks the program, and later runs, which find it
 * unchanged. Baseline in the same run: the type-check alone with nothing cached, which a check
 * without the cache would repeat every time.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { median } from "./coldStart";

const REPO = path.join(__dirname, "..", "..");
const BIN = path.join(REPO, "dist", "src", "cli", "index.js");

export interface CheckTimes {
  readonly coldMs: number;
  readonly warmMs: number;
  readonly typeCheckMs: number;
  readonly runs: number;
}

/** One cold check, then `repeat` warm checks (median), and `tsc --noEmit` of the program. */
export function checkTimes(repeat: number): CheckTimes {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "global-image-bench-check-"));
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: global-image\nruntime: nodejs\nmain: ${path.join(REPO, "src", "program", "index.ts")}\n`,
  );
  for (const file of ["Pulumi.dev.yaml", "tsconfig.json"])
    fs.copyFileSync(path.join(REPO, file), path.join(dir, file));
  fs.cpSync(path.join(REPO, "evidence"), path.join(dir, "evidence"), { recursive: true });
  // A node_modules of its own, so the type-check cache starts empty.
  fs.mkdirSync(path.join(dir, "node_modules"));
  for (const entry of fs.readdirSync(path.join(REPO, "node_modules")).filter((e) => e !== ".cache"))
    fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(dir, "node_modules", entry));
  const coldMs = timed(process.execPath, [BIN, "check", "--stack", "dev"], dir);
  const warm = Array.from({ length: repeat }, () =>
    timed(process.execPath, [BIN, "check", "--stack", "dev"], dir),
  );
  // The type-check alone, with nothing cached: what every check paid before the cache.
  const typescript = path.join(REPO, "dist", "src", "check", "typescript.js");
  const entry = path.join(REPO, "src", "program", "index.ts");
  const typeCheckMs = timed(
    process.execPath,
    [
      "-e",
      `require(${JSON.stringify(typescript)}).typeCheckProgram(${JSON.stringify(dir)}, ${JSON.stringify(entry)}, ${JSON.stringify(path.join(dir, "no-cache"))})`,
    ],
    dir,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  return { coldMs, warmMs: median(warm, (ms) => ms), typeCheckMs, runs: repeat };
}

function timed(command: string, args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(" ")} failed:\n${run.stderr}`);
  return ms;
}
