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

/**
 * Writes `content` to `file`, creating its directory; `mode` for secrets. With `exclusive`, the
 * file must not exist yet, and a symlink in its place is refused rather than followed.
 */
export function writeFile(
  cwd: string,
  file: string,
  content: string,
  mode?: number,
  exclusive = false,
): string {
  const full = path.resolve(cwd, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  if (!exclusive) {
    fs.writeFileSync(full, content, mode === undefined ? undefined : { mode });
    return full;
  }
  let fd: number;
  try {
    // O_EXCL fails on any existing name, a symlink (even a dangling one) included.
    fd = fs.openSync(
      full,
      fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW,
      mode ?? 0o644,
    );
  } catch (err) {
    throw new CliError(
      `${file}: cannot be created (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); nothing is written through links or over existing files`,
    );
  }
  try {
    fs.writeSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
  return full;
}

/** `file` (under `dir`), refused when it resolves outside `dir`: nothing is written elsewhere. */
export function insideDirectory(cwd: string, dir: string, file: string, flag: string): string {
  const root = path.resolve(cwd, dir);
  const full = path.resolve(cwd, file);
  const relative = path.relative(root, full);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative))
    throw new CliError(`${flag} ${dir}: ${file} would be written outside it; nothing was written`);
  return file;
}
