/**
 * The one way a command changes a stack file (`promote`, `rollback`, `stage`): edit the text in
 * place, check that the new config is still valid, write it atomically under a lock, and show a
 * unified diff of exactly what changed.
 */
import * as path from "node:path";
import { structuredPatch } from "diff";
import { StackEdit, StackEditError, editStack } from "../program/stackEdit";
import { readStackConfig } from "../program/stackFile";
import { CliError, Io, styles } from "./io";
import { Project, rootConfig } from "./project";
import { WriteOps, writeStackFile } from "./stackWrite";

/** Applies `edits` to the project's stack file; returns the printable unified diff. */
export function changeStackFile(
  project: Project,
  edits: readonly StackEdit[],
  io: Io,
  ops?: WriteOps,
): string[] {
  const name = path.basename(project.stackFile);
  let text: string;
  try {
    text = editStack(project.stackText, edits, name);
  } catch (err) {
    if (err instanceof StackEditError) throw new CliError(err.message);
    throw err;
  }
  // The edited file must still be a valid config: nothing invalid is ever written.
  try {
    rootConfig({ ...project, stackText: text, config: readStackConfig(text, name).values });
  } catch (err) {
    throw new CliError(
      `the change would leave ${name} invalid, so nothing was written: ${(err as Error).message}`,
    );
  }
  writeStackFile(project.stackFile, project.stackText, text, ops);
  return unifiedDiff(
    io,
    path.relative(io.cwd, project.stackFile) || project.stackFile,
    project.stackText,
    text,
  );
}

/** A unified diff (3 lines of context) of `before` → `after`, coloured when colour is on. */
export function unifiedDiff(io: Io, file: string, before: string, after: string): string[] {
  const s = styles(io);
  const plain = (t: string) => t.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  const patch = structuredPatch(file, file, plain(before), plain(after), "", "", { context: 3 });
  const lines = [s.bold(`--- ${file}`), s.bold(`+++ ${file}`)];
  for (const hunk of patch.hunks) {
    lines.push(
      s.dim(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`),
    );
    for (const l of hunk.lines) {
      if (l.startsWith("\\")) continue; // "\ No newline at end of file"
      lines.push(l.startsWith("+") ? s.green(l) : l.startsWith("-") ? s.red(l) : l);
    }
  }
  return lines;
}
