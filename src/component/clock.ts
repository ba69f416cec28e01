/**
 * The clock the components read once per decision that depends on time (which version a ring may
 * run). `GLOBAL_IMAGE_NOW` (an RFC 3339 date-time) sets it: to preview where the rings will be at
 * a given time (`GLOBAL_IMAGE_NOW=2026-12-12T22:00:00+01:00 pulumi preview`), and in tests.
 */
import { GlobalImageError } from "../domain/errors";
import { isRfc3339 } from "../domain/time";

/** The environment variable that sets the clock. */
export const NOW_VARIABLE = "GLOBAL_IMAGE_NOW";

/** Now, as an RFC 3339 date-time. */
export function currentTime(): string {
  const set = process.env[NOW_VARIABLE];
  if (set === undefined || set === "") return new Date().toISOString();
  if (!isRfc3339(set))
    throw new GlobalImageError(
      NOW_VARIABLE,
      `${NOW_VARIABLE} is not an RFC 3339 date-time (received "${set}"). Set it like 2026-12-12T22:00:00Z, or unset it to use the clock.`,
    );
  return set;
}
