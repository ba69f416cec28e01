/** Reading and writing the files commands take, with errors that name the file (exit 2). */
import * as fs from "node:fs";
import * as path from "node:path";
import { CliError } from "./io";

/** The contents of `file` (resolved against `cwd`), or a CliError naming it. */
export function readFile(cwd: string, file: string, flag: string): Buffer {
  const full = path.resolve(cwd, file);
  try {
    return fs.readFileSync(full);
  } catch (err) {
    throw new CliError(
      `${flag} ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

/** `file` parsed as JSON, or a CliError naming it. */
export function readJson(cwd: string, file: string, flag: string): unknown {
  const text = readFile(cwd, file, flag).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${flag} ${file}: not valid JSON (${(err as Error).message})`);
  }
}

/** Writes `content` to `file`, creating its directory; `mode` for secrets. */
export function writeFile(cwd: string, file: string, content: string, mode?: number): string {
  const full = path.resolve(cwd, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content, mode === undefined ? undefined : { mode });
  return full;
}
