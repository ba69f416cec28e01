// Runs npm scripts at the same time and fails when any fails: `npm test`'s type-check, linters and
// (build, then Jest) are independent, and each leaves a core idle part of the time. The script
// named with `--live=<name>` prints as it runs (Jest's progress); the others' output is printed
// whole, in the order given, once all have finished.
import { spawn } from "node:child_process";

const args = process.argv.slice(2);
const live = args.find((a) => a.startsWith("--live="))?.slice("--live=".length);
const scripts = args.filter((a) => !a.startsWith("--live="));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function run(script) {
  const streamed = script === live;
  return new Promise((resolve) => {
    const child = spawn(npm, ["run", "--silent", script], {
      stdio: ["ignore", streamed ? "inherit" : "pipe", streamed ? "inherit" : "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", (err) => resolve({ script, code: 1, output: `${output}${err.message}\n` }));
    child.on("close", (code) => resolve({ script, code: code ?? 1, output }));
  });
}

const results = await Promise.all(scripts.map(run));
for (const { script, code, output } of results) {
  process.stdout.write(`> ${script}: ${code === 0 ? "ok" : `failed (exit ${code})`}\n`);
  if (output.trim() !== "") process.stdout.write(output.endsWith("\n") ? output : `${output}\n`);
}
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
