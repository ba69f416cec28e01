/**
 * Warm check workers (the worker's serve mode, serve.ts): an evaluation takes an idle worker or
 * starts one, and gives it back when done, so the SDK loads once per process, not once per
 * evaluation. A worker that times out, crashes or is killed is never reused. Idle workers hold
 * nothing open: they end when this process ends.
 */
import { ChildProcess, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { IDLE_EXIT_CODE, ServeReply, ServeRequest, endMark } from "./serve";

/** What an evaluation's worker ended with. */
export interface WorkerResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How a worker process is started: node's arguments before `--serve`. */
export type WorkerArgv = string[];

/** Idle workers kept for the next evaluation. */
const MAX_IDLE = 2;
const idle: ServeWorker[] = [];
let nextId = 0;

/**
 * Runs the evaluation in `requestFile` on a warm worker; `owned` lists its process while it runs
 * (the caller kills what it still owns when it stops early).
 */
export function runWarm(
  argv: WorkerArgv,
  requestFile: string,
  cwd: string,
  timeoutMs: number,
  owned: Set<ChildProcess>,
): Promise<WorkerResult> {
  let worker = idle.pop();
  while (worker && !worker.alive) worker = idle.pop();
  const w = worker ?? new ServeWorker(argv, cwd);
  owned.add(w.child);
  return w.run(requestFile, cwd, timeoutMs).then(
    (result) => {
      owned.delete(w.child);
      if (w.alive && idle.length < MAX_IDLE) {
        w.sleep();
        idle.push(w);
      } else w.child.kill("SIGKILL");
      return result;
    },
    (unsent: Error) => {
      // An idle worker that ended since (its channel closed, or it timed out idle as the
      // evaluation was sent): the evaluation goes to a new one.
      owned.delete(w.child);
      w.child.kill("SIGKILL");
      if (!worker) throw unsent;
      return runWarm(argv, requestFile, cwd, timeoutMs, owned);
    },
  );
}

class ServeWorker {
  readonly child: ChildProcess;
  private out = "";
  private err = "";
  private exited = false;
  private retired = false;
  private pending?: {
    id: number;
    code?: number;
    finish: (r: WorkerResult) => void;
    unsent: (err: Error) => void;
  };

  constructor(argv: WorkerArgv, cwd: string) {
    this.child = spawn(process.execPath, [...argv, "--serve"], {
      cwd,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    this.child.stdout!.on("data", (d: Buffer) => ((this.out += d.toString()), this.settle()));
    this.child.stderr!.on("data", (d: Buffer) => ((this.err += d.toString()), this.settle()));
    this.child.on("message", (reply: ServeReply) => {
      if (reply.retire) this.retired = true;
      if (this.pending?.id === reply.id) this.pending.code = reply.code;
      this.settle();
    });
    this.child.on("close", (code, signal) => {
      this.exited = true;
      // It ended idle as the evaluation was sent: the evaluation never started there.
      if (code === IDLE_EXIT_CODE) return this.pending?.unsent(new Error("the worker ended idle"));
      // A crash or a kill mid-evaluation ends it as a fresh worker's would: its code and output.
      this.pending?.finish({
        code: code ?? (signal ? null : 1),
        stdout: this.out,
        stderr: this.err,
      });
    });
  }

  get alive(): boolean {
    return (
      !this.exited &&
      !this.retired &&
      this.child.connected &&
      this.child.exitCode === null &&
      this.child.signalCode === null
    );
  }

  run(file: string, cwd: string, timeoutMs: number): Promise<WorkerResult> {
    this.wake();
    return new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => {
        this.err += `\nError: the program did not finish within ${Math.round(timeoutMs / 1000)} s (an output that never resolves?)\n`;
        this.child.kill("SIGKILL");
      }, timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        this.pending = undefined;
      };
      this.pending = {
        id,
        finish: (result) => (settle(), resolve(result)),
        unsent: (err) => (settle(), reject(err)),
      };
      const env = Object.fromEntries(
        Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
      );
      this.child.send({ id, file, cwd, env } satisfies ServeRequest, (err) => {
        if (err) this.pending?.unsent(err);
      });
    });
  }

  /** Done once the reply and both streams' end marks are in. */
  private settle(): void {
    const p = this.pending;
    if (!p || p.code === undefined) return;
    const mark = endMark(p.id);
    const o = this.out.indexOf(mark);
    const e = this.err.indexOf(mark);
    if (o < 0 || e < 0) return;
    const result = { code: p.code, stdout: this.out.slice(0, o), stderr: this.err.slice(0, e) };
    this.out = this.out.slice(o + mark.length);
    this.err = this.err.slice(e + mark.length);
    p.finish(result);
  }

  /** Idle: nothing of it keeps this process alive. */
  sleep(): void {
    this.child.unref();
    this.child.channel?.unref();
    for (const s of [this.child.stdout, this.child.stderr])
      (s as Readable & { unref?(): void }).unref?.();
  }

  private wake(): void {
    this.child.ref();
    this.child.channel?.ref();
    for (const s of [this.child.stdout, this.child.stderr])
      (s as Readable & { ref?(): void }).ref?.();
  }
}
