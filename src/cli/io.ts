/** What every command shares: where output goes, colours, exit codes and errors. */
import { printable } from "../domain/common/text";
import { NOW_VARIABLE, readClock } from "../domain/common/time";

/** Exit codes: 0 ok; 1 a check found a mandatory violation or a verification failed; 2 bad usage or a broken file/program. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The process around a command, injectable for tests. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Colour only on a terminal, and never with NO_COLOR set. */
  readonly color: boolean;
  readonly cwd: string;
  readonly now: () => Date;
}

/** The real process. */
export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined,
    cwd: process.cwd(),
    // GLOBAL_IMAGE_NOW, as the components read it: `rings`, `status` and `check` agree.
    now: () => readClock(process.env[NOW_VARIABLE], () => new Date()),
  };
}

/** A failure with its exit code and a one-line reason naming the file or flag. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Usage,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** ANSI styling that disappears without colour. */
export function styles(io: Io) {
  const wrap = (open: number, close: number) => (text: string) =>
    io.color ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
  };
}

/** The escape sequences `styles` writes; nothing else reaches the terminal raw. */
// eslint-disable-next-line no-control-regex -- matching our own escape sequences is the point
const OWN_STYLE = /^\u001b\[(?:1|2|22|31|32|33|39)m/;

/**
 * `text` safe for a terminal: every control character but the newline, and every escape sequence
 * but this tool's own colours (only when colour is on), shown as a visible `\u{..}` escape. Text
 * from evidence, JUnit files, stack files and programs passes through here.
 */
export function safeText(io: Io, text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const own = io.color && c === "\u001b" ? OWN_STYLE.exec(text.slice(i)) : null;
    if (own) {
      out += own[0];
      i += own[0].length - 1;
    } else out += c === "\n" ? c : printable(c);
  }
  return out;
}

/** Prints a line. */
export function line(io: Io, text = ""): void {
  io.stdout(`${safeText(io, text)}\n`);
}

/** Prints a value as JSON (the `--json` output); C1 controls escaped too. */
export function json(io: Io, value: unknown): void {
  const text = JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  io.stdout(`${text}\n`);
}

/** Progress on something slow, on stderr so `--json` output stays clean. */
export function progress(io: Io, text: string): void {
  io.stderr(`${safeText(io, styles(io).dim(text))}\n`);
}
