/**
 * The check worker's serve mode: one process answers evaluation after evaluation (the parent
 * keeps it warm, so the Pulumi SDK and azure-native load once, not per evaluation). Each
 * evaluation gets what a fresh process would give it: the parent's environment and a working
 * directory of its own, a fresh Pulumi store (the SDK's `withLocalStorage`, as the Automation
 * API runs inline programs one after another), the program's modules and this package's loaded
 * afresh (only third-party packages stay loaded), and no process listener left behind. A program
 * that crashes the process ends its evaluation as a fresh worker's would: with its exit code; one
 * that fails, or leaves its outputs hanging, retires its worker (what it left in flight must not
 * reach the next). Not reset: properties a program sets on `globalThis` itself.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { OfflineRunRequest, programSdk, runOffline } from "./offlineRun";

/** One evaluation, sent over IPC. */
export interface ServeRequest {
  readonly id: number;
  /** The OfflineRunRequest's JSON file. */
  readonly file: string;
  readonly cwd: string;
  /** The parent's environment now (a fresh worker would inherit it). */
  readonly env: Record<string, string>;
}

/** The answer over IPC; stdout and stderr come through the pipes, each ending with the mark. */
export interface ServeReply {
  readonly id: number;
  readonly code: number;
  /** The worker ends after this answer: never send it another evaluation. */
  readonly retire?: boolean;
}

/** Written last to stdout and stderr for evaluation `id`: everything before it is that evaluation's. */
export function endMark(id: number): string {
  return `\n\u0000global-image-end-${id}\u0000\n`;
}

/**
 * How long an idle worker waits for its next evaluation before it ends (a `check --against`
 * sends its two at once; a test suite, one after another).
 * `GLOBAL_IMAGE_WORKER_IDLE_MS` changes it (the tests shorten it).
 */
export const IDLE_MS = 15_000;
/** The exit code of a worker that ended idle (an evaluation sent just then goes to another). */
export const IDLE_EXIT_CODE = 75;

/** Answers evaluations one at a time until the parent disconnects, or none comes for IDLE_MS. */
export function serve(): void {
  const idleMs = Number(process.env.GLOBAL_IMAGE_WORKER_IDLE_MS) || IDLE_MS;
  let queue = Promise.resolve();
  let waiting = 0;
  let idle = setTimeout(() => process.exit(IDLE_EXIT_CODE), idleMs);
  process.on("message", (message: ServeRequest) => {
    clearTimeout(idle);
    waiting++;
    queue = queue
      .then(() => answer(message))
      .then(() => {
        if (--waiting === 0) idle = setTimeout(() => process.exit(IDLE_EXIT_CODE), idleMs);
      });
  });
  // While a program runs, only its own work keeps this process going (the IPC channel does not):
  // when nothing is left, its outputs can never resolve. A fresh worker would exit with nothing
  // written; this one answers so, and ends (a program left hanging is not run after).
  process.on("beforeExit", () => {
    if (current === undefined) return;
    const id = current;
    current = undefined;
    void Promise.all([flush(process.stdout, id), flush(process.stderr, id)]).then(() =>
      process.send!({ id, code: 0, retire: true } satisfies ServeReply, () => process.exit(0)),
    );
  });
}

/** The evaluation running now. */
let current: number | undefined;

const WATCHED = ["exit", "beforeExit", "unhandledRejection", "uncaughtException", "warning"];

async function answer(message: ServeRequest): Promise<void> {
  const listeners = WATCHED.map((event) => [event, process.listeners(event as "exit")] as const);
  current = message.id;
  process.channel?.unref();
  setEnvironment(message.env);
  let code = 0;
  try {
    process.chdir(message.cwd);
    const request = JSON.parse(fs.readFileSync(message.file, "utf8")) as OfflineRunRequest;
    const result = await inFreshStore(request, () => runOffline(request));
    process.stdout.write(JSON.stringify(result));
  } catch (err) {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    code = 2;
  } finally {
    for (const [event, before] of listeners)
      for (const added of process.listeners(event as "exit").filter((l) => !before.includes(l)))
        process.removeListener(event, added);
    forgetModules();
  }
  if (current !== message.id) return; // answered as stuck
  current = undefined;
  process.channel?.ref(); // idle: wait for the next evaluation
  await Promise.all([flush(process.stdout, message.id), flush(process.stderr, message.id)]);
  // A program that failed may still have work in flight that fails later (a registration's
  // rejection): it would land in the next evaluation, so this worker serves no other.
  const retire = code !== 0;
  process.send!({ id: message.id, code, retire } satisfies ServeReply, () => {
    if (retire) process.exit(0);
  });
}

function flush(stream: NodeJS.WriteStream, id: number): Promise<void> {
  return new Promise((resolve) => stream.write(endMark(id), () => resolve()));
}

function setEnvironment(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
}

/** The SDK's store, as its runtime/state module keeps it (not part of its typed API). */
interface StateModule {
  getStore(): Record<string, unknown>;
  getGlobalStore(): Record<string, unknown>;
  /** Runs `run` with a new store of its own (pulumi/sdk/nodejs/runtime/state.ts). */
  withLocalStorage<T>(run: () => T): T;
}

/**
 * Runs `run` in a fresh store of the program's SDK. The tables packages fill as their modules
 * load (resource packages and modules) are the process's: a module loaded once stays registered.
 */
function inFreshStore<T>(request: OfflineRunRequest, run: () => Promise<T>): Promise<T> {
  const sdk = programSdk(request);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own SDK
  const state = require(path.join(path.dirname(sdk), "runtime", "state")) as StateModule;
  const shared = state.getGlobalStore();
  return state.withLocalStorage(() => {
    const store = state.getStore();
    for (const table of ["resourcePackages", "resourceModules", "packageRefs"])
      store[table] = shared[table];
    return run();
  });
}

/** Forgets every module but third-party packages: the next program loads its own afresh. */
function forgetModules(): void {
  const modules = `${path.sep}node_modules${path.sep}`;
  const ours = `${modules}global-image${path.sep}`;
  for (const file of Object.keys(require.cache))
    if (!file.includes(modules) || file.includes(ours)) delete require.cache[file];
}
