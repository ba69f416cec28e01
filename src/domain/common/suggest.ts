/** "Did you mean" suggestions for misspelled names (config keys, test names). */
import { distance } from "fastest-levenshtein";

/**
 * The candidates closest to `name` by edit distance (case-insensitive), best first, at most
 * `limit`, and only those close enough to be a plausible misspelling.
 */
export function closestNames(name: string, candidates: readonly string[], limit = 1): string[] {
  const lower = name.toLowerCase();
  const threshold = Math.max(2, Math.floor(name.length / 3));
  return candidates
    .map((c) => ({ c, d: distance(lower, c.toLowerCase()) }))
    .filter(
      ({ c, d }) =>
        d <= threshold || c.toLowerCase().includes(lower) || lower.includes(c.toLowerCase()),
    )
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, limit)
    .map(({ c }) => c);
}

/** ` Did you mean "x"?` or "" when nothing is close. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const [best] = closestNames(name, candidates);
  return best === undefined ? "" : ` Did you mean "${best}"?`;
}
