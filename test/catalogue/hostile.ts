/**
 * Shared pieces of the hostile-input catalogue (hostileStack.test.ts, hostileEvidence.test.ts):
 * every row is an attack or a common mistake, grouped by the class of hole it would reopen, and
 * asserts the gate fails closed: a clear reason naming the input, and nothing damaged or written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CliRun, attestPassing, cli, rootProjectCopy } from "../helpers/cli";

/** One catalogue row: its class (a heading of the issue), what it tries, and the check. */
export type HostileRow = [cls: string, name: string, run: () => Promise<void>];

export const STACK = "Pulumi.dev.yaml";

/** Every file under `dir` (not node_modules) with its content. */
export function snapshot(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.name === "node_modules") continue;
    if (entry.isDirectory()) Object.assign(out, snapshot(dir, relative));
    else if (entry.isFile()) out[relative] = fs.readFileSync(path.join(dir, relative), "latin1");
  }
  return out;
}

/** A copy of the root project whose stack file is `edit`ed first. */
export function projectWith(edit: (stack: string) => string = (s) => s): string {
  const dir = rootProjectCopy();
  const file = path.join(dir, STACK);
  fs.writeFileSync(file, edit(fs.readFileSync(file, "utf8")));
  return dir;
}

export const stackText = (dir: string) => fs.readFileSync(path.join(dir, STACK), "utf8");

/** The root project with 1.1.0 attested, so `promote win11` is allowed. */
export async function attestedProject(edit?: (stack: string) => string): Promise<string> {
  const dir = projectWith(edit);
  const run = await attestPassing(dir, "win11-24h2-avd", "1.1.0", "--evidence-dir", "evidence");
  expect(run.code).toBe(0);
  return dir;
}

/** Runs the CLI in `dir`; it must exit `code` with `message` on stderr and change no file. */
export async function refused(
  dir: string,
  args: string[],
  message: RegExp,
  code = 2,
): Promise<CliRun> {
  const before = snapshot(dir);
  const run = await cli(args, dir);
  expect({ code: run.code, stderr: run.stderr }).toEqual({
    code,
    stderr: expect.stringMatching(message),
  });
  expect(run.stderr).not.toMatch(/\n\s+at /); // a reason, never a stack trace
  expect(snapshot(dir)).toEqual(before);
  return run;
}

/** Runs the CLI in `dir`; it must exit 0. */
export async function ok(dir: string, args: string[]): Promise<CliRun> {
  const run = await cli(args, dir);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.anything() });
  return run;
}

/** Writes `content` to `relative` under `dir`; returns `relative`. */
export function put(dir: string, relative: string, content: string | Buffer): string {
  fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
  fs.writeFileSync(path.join(dir, relative), content);
  return relative;
}

/** The classes of the fail-closed issue; each must have rows. */
export const CLASSES = {
  stackFile: "the stack file is precious",
  gate: "the PR gate judges what matters",
  evidence: "evidence is exact",
  smaller: "smaller things a new user hit",
} as const;
