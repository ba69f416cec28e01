// Jest's setupFilesAfterEnv: the AsyncLocalStorages of the test files a worker ran before this one
// are disabled before this one runs.
//
// Jest's test runner (jest-circus) makes a new AsyncLocalStorage for every test file and never
// disables it. Node keeps every AsyncLocalStorage that ever held a store in one process-wide list
// until it is disabled, and for every promise made in the process copies the current store of
// each one in the list: a worker's 40th test file made each of its promises copy 40 stores, and
// the Pulumi SDK makes several promises per resource (measured in plain Node 20: 300,000 awaited
// promises take 0.13 s with one storage, 0.8 s with 10, 4.7 s with 60; in Jest, the rollout
// suite after twelve other test files in one worker: 18.8 s, 14.4 s with this). A storage is
// disabled only once its file is done; one used again (Jest's worker-wide ones) is re-enabled by
// its next `run`, as Node does for any storage.
import type { AsyncLocalStorage } from "node:async_hooks";

type Hooks = typeof import("node:async_hooks") & { [STARTED]?: Set<AsyncLocalStorage<unknown>> };
const STARTED = Symbol.for("global-image.startedAsyncLocalStorages");
// The worker's own module (a core module is the same object in every test file).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hooks = require("node:async_hooks") as Hooks;

let started = hooks[STARTED];
if (started === undefined) {
  const seen = new Set<AsyncLocalStorage<unknown>>();
  started = hooks[STARTED] = seen;
  const prototype = hooks.AsyncLocalStorage.prototype as unknown as Record<
    "run" | "enterWith",
    (this: AsyncLocalStorage<unknown>, ...args: unknown[]) => unknown
  >;
  for (const method of ["run", "enterWith"] as const) {
    const original = prototype[method];
    prototype[method] = function (this: AsyncLocalStorage<unknown>, ...args: unknown[]) {
      seen.add(this);
      return original.apply(this, args);
    };
  }
}
for (const storage of started) storage.disable();
started.clear();
