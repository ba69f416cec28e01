/**
 * Reading ARM collections safely: one page of a list (`{ value: [...], nextLink }`) parsed or
 * refused, and when a failed read may be tried again and after how long. Pure: the caller sends
 * the requests, waits and reads the clock.
 *
 * ARM throttles reads with a token bucket per subscription, region and principal (250 reads,
 * refilled at 25 per second) and answers 429 with `Retry-After`; Compute's VM list is a "high
 * cost get" of its own (300 per minute per subscription and region). Sources:
 * https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling,
 * https://learn.microsoft.com/azure/virtual-machines/compute-throttling-limits.
 */

/** How often and how long a list read is retried before the read fails. */
export const ARM_RETRY = {
  /** Tries per request, the first included. */
  attempts: 5,
  /** The first wait without a `Retry-After`; doubled each time (1, 2, 4, 8 s). */
  baseMs: 1000,
  /** The longest wait honoured; a `Retry-After` beyond it fails the read instead. */
  maxWaitMs: 60_000,
} as const;

/** Statuses worth another try: throttled, or the service failed for a moment. */
const RETRYABLE: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** True for a status worth another try (or {@link NETWORK_FAILURE}). */
export function isRetryable(status: number): boolean {
  return status === NETWORK_FAILURE || RETRYABLE.has(status);
}

/** A response that never came (a connection reset, a DNS failure): retried like a 503. */
export const NETWORK_FAILURE = 0;

/**
 * How long to wait before try number `attempt + 1` (attempt 0 was the first), or undefined when
 * the read must fail now: a status not worth retrying, the tries used up, or a `Retry-After`
 * longer than {@link ARM_RETRY.maxWaitMs}. `retryAfter` is the header as sent (seconds, or an
 * HTTP date read against `now`, ms since the epoch). A `Retry-After` is never shortened.
 */
export function retryDelay(
  status: number,
  retryAfter: string | null | undefined,
  attempt: number,
  now: number,
): number | undefined {
  if (!isRetryable(status)) return undefined;
  if (attempt + 1 >= ARM_RETRY.attempts) return undefined;
  const asked = retryAfterMs(retryAfter, now);
  if (asked !== undefined) return asked <= ARM_RETRY.maxWaitMs ? asked : undefined;
  return ARM_RETRY.baseMs * 2 ** attempt;
}

/** A `Retry-After` header in ms from `now`: delta-seconds or an HTTP date; undefined if absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  // Only an IMF date (`Wed, 21 Oct 2026 07:28:00 GMT`): Date.parse reads far more than RFC 9110 allows.
  if (
    Number.isNaN(at) ||
    !/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)
  )
    return undefined;
  return Math.max(0, at - now);
}

/** One page of an ARM list. */
export interface ListPage {
  readonly value: readonly unknown[];
  /** The next page's absolute URL; absent on the last page. */
  readonly nextLink?: string;
}

/** A page that is not an ARM list page: the read fails (a partial list is never a fleet). */
export class ListPageError extends Error {}

/** Parses one page's body, or throws {@link ListPageError} saying what is wrong with it. */
export function parseListPage(body: string): ListPage {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new ListPageError(`the page is not JSON (${describeStart(body)})`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new ListPageError(`the page is not a JSON object (${describeStart(body)})`);
  const { value, nextLink } = doc as Record<string, unknown>;
  if (!Array.isArray(value)) throw new ListPageError(`the page has no "value" list`);
  if (
    nextLink !== undefined &&
    nextLink !== null &&
    (typeof nextLink !== "string" || nextLink === "")
  )
    throw new ListPageError(`the page's "nextLink" is not a URL: ${JSON.stringify(nextLink)}`);
  return nextLink ? { value, nextLink } : { value };
}

function describeStart(body: string): string {
  const start = body.slice(0, 60).replace(/\s+/g, " ");
  return body.length === 0 ? "an empty body" : `starts ${JSON.stringify(start)}`;
}

/**
 * True when a 404's body says the list's parent does not exist (ARM's `ResourceNotFound`,
 * `ResourceGroupNotFound`, `ParentResourceNotFound`, ...: a code ending in `NotFound`). Any other
 * 404 (an unknown resource type or API version, a body that is not ARM's error) is a failure: a
 * list read wrongly must never look empty.
 */
export function isMissingParent(body: string): boolean {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } })?.error?.code;
    return typeof code === "string" && /NotFound$/.test(code);
  } catch {
    return false;
  }
}

/** The most pages one list may have before the read is refused (a `nextLink` that loops). */
export const MAX_LIST_PAGES = 1000;
