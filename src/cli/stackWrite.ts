/**
 * Writes a stack file safely: under a lock (`<file>.lock`, so two global-image commands never edit
 * it at once), only if it still holds what the command read (compare-and-swap: an edit made by
 * anyone in between is never overwritten), and atomically (a temporary file in the same directory,
 * flushed to disk, renamed over the original, with the original's mode). On any failure the file
 * is left exactly as it was and the reason names it.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { CliError } from "./io";

/** The file operations a write uses; tests inject failures (a full disk) here. */
export type WriteOps = Pick<
  typeof fs,
  "openSync" | "writeSync" | "fsyncSync" | "closeSync" | "renameSync" | "fchmodSync"
>;

/**
 * Replaces `file`'s content with `text` if it still reads as `expected`. Throws a CliError (exit 2)
 * naming the file and the reason, with the file unchanged.
 */
export function writeStackFile(
  file: string,
  expected: string,
  text: string,
  ops: WriteOps = fs,
): void {
  const target = fs.realpathSync(file); // a symlinked stack file: replace the file it points to
  const name = path.basename(file);
  const release = lock(target, name);
  try {
    const stat = fs.statSync(target);
    if ((stat.mode & 0o222) === 0)
      throw new CliError(
        `${name}: the file is read-only; make it writable (chmod u+w ${name}) and run the command again. Nothing was changed`,
      );
    const dir = path.dirname(target);
    if ((fs.statSync(dir).mode & 0o222) === 0)
      throw new CliError(`${name}: its directory ${dir} is read-only; nothing was changed`);
    if (fs.readFileSync(target, "utf8") !== expected)
      throw new CliError(
        `${name}: the file changed while global-image was working on it (another command or an editor); nothing was written. Run the command again`,
      );
    replaceAtomically(target, text, stat.mode & 0o7777, ops);
  } finally {
    release();
  }
}

function lock(target: string, name: string): () => void {
  const lockFile = `${target}.lock`;
  let fd: number;
  try {
    fd = fs.openSync(lockFile, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST")
      throw new CliError(
        `${name}: cannot create the lock file ${path.basename(lockFile)} (${reason(err)}); nothing was changed`,
      );
    const holder = fs.readFileSync(lockFile, "utf8").trim();
    const pid = Number(/^pid (\d+)/.exec(holder)?.[1]);
    const stale = Number.isInteger(pid) && !isRunning(pid);
    throw new CliError(
      `another global-image command is editing ${name} (${path.basename(lockFile)}: ${holder || "no holder recorded"}); ` +
        (stale
          ? `process ${pid} is not running: remove ${path.basename(lockFile)} and run the command again`
          : "wait for it to finish and run the command again"),
    );
  }
  fs.writeSync(fd, `pid ${process.pid} ${process.argv.slice(2, 4).join(" ")}\n`);
  fs.closeSync(fd);
  return () => fs.rmSync(lockFile, { force: true });
}

function replaceAtomically(target: string, text: string, mode: number, ops: WriteOps): void {
  const suffix = `${process.pid}.${randomBytes(4).toString("hex")}`;
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${suffix}.tmp`);
  let fd: number | undefined;
  try {
    fd = ops.openSync(temp, "wx", mode);
    ops.fchmodSync(fd, mode); // the umask must not change the file's mode
    const bytes = Buffer.from(text, "utf8");
    let written = 0;
    while (written < bytes.length)
      written += ops.writeSync(fd, bytes, written, bytes.length - written);
    ops.fsyncSync(fd);
    ops.closeSync(fd);
    fd = undefined;
    ops.renameSync(temp, target);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw new CliError(
      `${path.basename(target)}: cannot be written (${reason(err)}); nothing was changed`,
    );
  }
  syncDirectory(path.dirname(target));
}

/** Makes the rename durable; not every platform can open a directory, which is then fine. */
function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // best effort
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOSPC: "no space left on the device",
    EROFS: "the file system is read-only",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EDQUOT: "disk quota exceeded",
  };
  return e.code ? `${e.code}: ${known[e.code] ?? e.message}` : String(e.message ?? err);
}
