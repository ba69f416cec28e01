/** Runs one offline evaluation in a fresh worker process and returns what it recorded. */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OfflineRunRequest, OfflineRunResult } from "./offlineRun";

export async function evaluateOffline(request: OfflineRunRequest): Promise<OfflineRunResult> {
  const requestFile = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), "global-image-check-")),
    "request.json",
  );
  fs.writeFileSync(requestFile, JSON.stringify(request));
  // Compiled, the worker is worker.js; from source (tests), worker.ts through ts-node.
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
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
  fs.rmSync(path.dirname(requestFile), { recursive: true, force: true });
  if (code !== 0)
    throw new ProgramError(
      firstMeaningfulLine(stderr) ?? `the program exited with ${code}`,
      stderr,
    );
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

function firstMeaningfulLine(stderr: string): string | undefined {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.find((l) => /error|Error|"global-image:/.test(l) && !l.startsWith("at ")) ?? lines[0]
  );
}
