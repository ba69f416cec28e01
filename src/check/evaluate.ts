/** Runs one offline evaluation in a fresh worker process and returns what it recorded. */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OfflineRunRequest, OfflineRunResult } from "./offlineRun";

/** How long a program may run offline before the check gives up on it. */
export const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;

export async function evaluateOffline(
  request: OfflineRunRequest,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<OfflineRunResult> {
  const requestFile = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), "global-image-check-")),
    "request.json",
  );
  fs.writeFileSync(requestFile, JSON.stringify(request));
  // Compiled (the bin), the worker is worker.js and type-checks the program as the Pulumi CLI does.
  // From source (the tests), worker.ts runs under a transpile-only ts-node, which then compiles
  // the program too, without type-checking it.
  const compiled = __filename.endsWith(".js");
  const worker = path.join(__dirname, compiled ? "worker.js" : "worker.ts");
  const args = compiled
    ? [worker, requestFile]
    : ["-r", "ts-node/register/transpile-only", worker, requestFile];
  const { code, stdout, stderr } = await new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: request.dir,
      // From source, compile with this package's tsconfig whatever the project has.
      env: compiled
        ? process.env
        : { ...process.env, TS_NODE_PROJECT: path.join(__dirname, "..", "..", "tsconfig.json") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    // An Output that never resolves would keep the program, and the check, waiting forever.
    const timer = setTimeout(() => {
      err += `\nError: the program did not finish within ${Math.round(timeoutMs / 1000)} s (an output that never resolves?)\n`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (c) => {
      clearTimeout(timer);
      resolve({ code: c, stdout: out, stderr: err });
    });
  });
  fs.rmSync(path.dirname(requestFile), { recursive: true, force: true });
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
