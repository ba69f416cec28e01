/**
 * Runs one offline evaluation in worker processes: the program under the mocks (on a warm worker,
 * isolated as a fresh process would be: workerPool.ts, serve.ts) and, for a TypeScript program,
 * its type-check alongside (cached while its files do not change). Returns what the program
 * recorded. Interrupted (Ctrl-C, SIGTERM), it stops its workers and removes its
 * temporary files before the process ends.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OfflineRunRequest, OfflineRunResult } from "./offlineRun";
import type { TypeCheckResult } from "./typescript";
import { WorkerResult, runWarm } from "./workerPool";

/** How long a program may run offline before the check gives up on it. */
export const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;

/** Progress callbacks: what the check is doing now. */
export type Progress = (text: string) => void;

export async function evaluateOffline(
  request: OfflineRunRequest,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  progress: Progress = () => undefined,
): Promise<OfflineRunResult> {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "global-image-check-"));
  const requestFile = path.join(temp, "request.json");
  const mine = new Set<ChildProcess>();
  const cleanup = interruptible(temp, mine);
  try {
    fs.writeFileSync(requestFile, JSON.stringify(request));
    const run = runWarm(workerArgv([]), requestFile, request.dir, timeoutMs, mine);
    run.catch(() => undefined); // awaited below, unless the type-check fails first
    // From source (this package's own unit tests) programs run transpile-only, unchecked.
    if (request.runtime === "nodejs" && COMPILED) {
      const checked = await typeCheck(request, requestFile, timeoutMs, progress, mine);
      if (checked.errors.length > 0)
        throw new ProgramError(checked.errors[0], checked.errors.join("\n"));
    }
    return parseRun(await run);
  } finally {
    // A failed type-check does not wait for the program: its worker stops with the evaluation.
    for (const child of mine) child.kill("SIGKILL");
    cleanup();
  }
}

/** The type-check worker's verdict; a worker that fails is a ProgramError. */
async function typeCheck(
  request: OfflineRunRequest,
  requestFile: string,
  timeoutMs: number,
  progress: Progress,
  owned: Set<ChildProcess>,
): Promise<TypeCheckResult> {
  const result = await worker(
    ["--typecheck", requestFile, cacheDir(request.dir)],
    request.dir,
    timeoutMs,
    owned,
  );
  if (result.code !== 0 || result.stdout.trim() === "")
    throw new ProgramError(
      firstMeaningfulLine(result.stderr) ?? "the type-check failed",
      result.stderr,
    );
  const checked = JSON.parse(result.stdout) as TypeCheckResult;
  progress(checked.cached ? "type-check: unchanged since it last passed" : "type-check: done");
  return checked;
}

function parseRun({ code, stdout, stderr }: WorkerResult): OfflineRunResult {
  if (code !== 0)
    throw new ProgramError(
      firstMeaningfulLine(stderr) ?? `the program exited with ${code}`,
      stderr,
    );
  if (stdout.trim() === "") {
    // Node exits when nothing is left to wait for, even if a program's output never resolved.
    throw new ProgramError(
      "the program ended before its outputs resolved (an output that never resolves?)",
      stderr,
    );
  }
  return JSON.parse(stdout) as OfflineRunResult;
}

/** Where checks remember what passed: the project's node_modules/.cache, else the temp dir. */
export function cacheDir(dir: string): string {
  const modules = path.join(dir, "node_modules");
  return fs.existsSync(modules)
    ? path.join(modules, ".cache", "global-image")
    : path.join(os.tmpdir(), "global-image-cache");
}

const running = new Set<ChildProcess>();
/** Running as the compiled bin (users, CI), not from source (this package's unit tests). */
const COMPILED = __filename.endsWith(".js");

/**
 * Node's arguments for a worker. Compiled (the bin), the worker is worker.js. From source (the
 * tests), worker.ts runs with scripts/registerTypeScript.cjs stripping types (esbuild), which
 * then compiles the program too.
 */
function workerArgv(args: string[]): string[] {
  const file = path.join(__dirname, COMPILED ? "worker.js" : "worker.ts");
  return COMPILED
    ? [file, ...args]
    : ["-r", path.join(__dirname, "..", "..", "scripts", "registerTypeScript.cjs"), file, ...args];
}

/** One worker process, listed in `owned` while it runs; killed after `timeoutMs`. */
function worker(
  args: string[],
  cwd: string,
  timeoutMs: number,
  owned: Set<ChildProcess>,
): Promise<WorkerResult> {
  const argv = workerArgv(args);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, {
      cwd,
      env: process.env,
      // The IPC channel tells the worker when this process is gone, however it ended.
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    running.add(child);
    owned.add(child);
    let out = "";
    let err = "";
    // An Output that never resolves would keep the program, and the check, waiting forever.
    const timer = setTimeout(() => {
      err += `\nError: the program did not finish within ${Math.round(timeoutMs / 1000)} s (an output that never resolves?)\n`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => {
      clearTimeout(timer);
      running.delete(child);
      owned.delete(child);
      resolve({ code, stdout: out, stderr: err });
    });
  });
}

/**
 * While an evaluation runs, SIGINT and SIGTERM stop its workers (those of every evaluation, and
 * `owned`) and remove `temp` before the
 * process ends with the signal's exit code. Returns the cleanup to run when it is done.
 */
function interruptible(temp: string, owned: Set<ChildProcess>): () => void {
  const remove = () => fs.rmSync(temp, { recursive: true, force: true });
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = () => {
      for (const child of [...running, ...owned]) child.kill("SIGKILL");
      remove();
      process.exit(signal === "SIGINT" ? 130 : 143);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    remove();
  };
}

/** The program failed to run (a compile error, a config error, a throw). */
export class ProgramError extends Error {
  constructor(
    message: string,
    readonly details: string,
  ) {
    super(message);
  }
}

/** The reason: a TypeScript diagnostic, a config error, the time limit, or the first error line. */
function firstMeaningfulLine(stderr: string): string | undefined {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.find((l) => /error TS\d+/.test(l)) ??
    lines.find((l) => /"global-image:|did not finish within/.test(l)) ??
    lines.find((l) => /error|Error/.test(l) && !l.startsWith("at ")) ??
    lines[0]
  );
}
