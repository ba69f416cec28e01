/**
 * Text from outside (evidence files, JUnit reports, programs, stack files) made safe to print: no
 * raw control characters, no terminal escape sequences, no bidirectional overrides. Each such
 * character is shown as a visible `\u{..}` escape instead, so a hostile name can neither move the
 * cursor, recolour, retitle or hide text, nor disappear from the output.
 */

/** C0 and C1 controls (tab and newline included: names are one line), DEL, bidi controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unsafe character replaced by a visible escape (`\u{1b}`). */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Like {@link printable}, but keeps newlines (multi-line messages). */
export function printableLines(text: string): string {
  return text.split("\n").map(printable).join("\n");
}
