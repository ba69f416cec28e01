/** Helpers of the bench runner: a measurement in a fresh process, and RESULTS.md sections. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export function child<T>(...args: string[]): T {
  const run = spawnSync(
    process.execPath,
    ["--max-old-space-size=20000", "--expose-gc", path.join(__dirname, "child.js"), ...args],
    { encoding: "utf8", maxBuffer: 1 << 26 },
  );
  if (run.status !== 0) throw new Error(`bench ${args.join(" ")} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/**
 * Replaces the section under `heading` in bench/RESULTS.md with `lines` (a `BENCH_ONLY` run), or
 * adds it before the notes when the last full run had none; other sections stay as they were.
 */
export function replaceSection(heading: string, lines: readonly string[]): void {
  const file = path.join(__dirname, "..", "..", "bench", "RESULTS.md");
  const text = fs.readFileSync(file, "utf8");
  const notesAt = text.indexOf("## Reading these numbers");
  const start = text.indexOf(heading);
  const from = start >= 0 ? start : notesAt;
  const next = start >= 0 ? text.indexOf("\n## ", start + heading.length) + 1 : notesAt;
  const to = next > 0 ? next : text.length;
  const body = lines.join("\n").trimEnd();
  const note = `_This section was refreshed alone (\`BENCH_ONLY\`), ${new Date().toISOString()}; the others are from the run named at the top._`;
  fs.writeFileSync(file, `${text.slice(0, from)}${body}\n\n${note}\n\n${text.slice(to)}`);
}
