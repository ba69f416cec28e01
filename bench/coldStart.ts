/**
 * Cold start: requiring the package vs requiring only the SDK modules it uses, each in a fresh
 * process, timed inside the process (node's own start-up excluded).
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

/** The modules the package imports (src/): @pulumi/pulumi, random and azure-native subpaths. */
export const SDK_MODULES = [
  "@pulumi/pulumi",
  "@pulumi/random",
  "@pulumi/azure-native/authorization",
  "@pulumi/azure-native/compute",
  "@pulumi/azure-native/desktopvirtualization",
  "@pulumi/azure-native/network",
  "@pulumi/azure-native/resources",
];
const PACKAGE = path.join(__dirname, "..", "src", "index.js");

export interface ColdStart {
  readonly ms: number;
  readonly rssMB: number;
}

/** The package's and the SDK modules' cold starts, and the median ratio within each pair. */
export interface ColdStarts {
  readonly pkg: ColdStart;
  readonly sdk: ColdStart;
  readonly paired: number;
}

/**
 * One untimed start of each (the first reads the files from disk), then `repeat` pairs of fresh
 * processes, the package then the SDK modules alone, so drift on the machine hits both alike.
 */
export function coldStarts(repeat: number): ColdStarts {
  requireIn([PACKAGE]);
  requireIn(SDK_MODULES);
  const pkg: ColdStart[] = [];
  const sdk: ColdStart[] = [];
  const pairs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    pkg.push(requireIn([PACKAGE]));
    sdk.push(requireIn(SDK_MODULES));
    pairs.push(pkg[i].ms / sdk[i].ms);
  }
  const time = (r: ColdStart) => r.ms;
  return { pkg: median(pkg, time), sdk: median(sdk, time), paired: median(pairs, (r) => r) };
}

/** A fresh process requiring `modules`, timed inside it (node's own start-up excluded). */
function requireIn(modules: readonly string[]): ColdStart {
  const script = `const { performance } = require("node:perf_hooks");
const t = performance.now();
for (const m of ${JSON.stringify(modules)}) require(m);
const ms = performance.now() - t;
console.log(JSON.stringify({ ms, rssMB: process.memoryUsage().rss / 1048576 }));`;
  const child = spawnSync(process.execPath, ["-e", script], {
    cwd: path.join(__dirname, "..", ".."),
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(`cold start of ${modules.join(", ")}: ${child.stderr}`);
  return JSON.parse(child.stdout) as ColdStart;
}

export function median<T>(items: T[], key: (item: T) => number): T {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];
}
