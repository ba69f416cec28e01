/**
 * The clock the components read once per decision that depends on time (which version a ring may
 * run). `GLOBAL_IMAGE_NOW` (an RFC 3339 date-time) sets it: to preview where the rings will be at
 * a given time (`GLOBAL_IMAGE_NOW=2026-12-12T22:00:00+01:00 pulumi preview`), and in tests. The CLI
 * reads the same variable (src/cli/io.ts), and `check` hands its clock to the program it runs.
 */
import { NOW_VARIABLE, readClock } from "../domain/common/time";

export { NOW_VARIABLE };

/** Now, as an RFC 3339 date-time (as set, offset included, when GLOBAL_IMAGE_NOW sets it). */
export function currentTime(): string {
  const set = process.env[NOW_VARIABLE];
  const now = readClock(set, () => new Date(Date.now()));
  return set === undefined || set === "" ? now.toISOString() : set;
}
