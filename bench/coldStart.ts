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

/** The median of `repeat` fresh processes requiring `modules`. */
export function coldStart(modules: readonly string[], repeat: number): ColdStart {
  const script = `const { performance } = require("node:perf_hooks");
const t = performance.now();
for (const m of ${JSON.stringify(modules)}) require(m);
const ms = performance.now() - t;
console.log(JSON.stringify({ ms, rssMB: process.memoryUsage().rss / 1048576 }));`;
  const runs = Array.from({ length: repeat }, () => {
    const child = spawnSync(process.execPath, ["-e", script], {
      cwd: path.join(__dirname, "..", ".."),
      encoding: "utf8",
    });
    if (child.status !== 0) throw new Error(`cold start of ${modules.join(", ")}: ${child.stderr}`);
    return JSON.parse(child.stdout) as ColdStart;
  });
  return median(runs, (r) => r.ms);
}

export const packageModules = () => [PACKAGE];

export function median<T>(items: T[], key: (item: T) => number): T {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];
}
