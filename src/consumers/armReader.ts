/**
 * Lists ARM collections for a rollout step: every page followed, each request retried a bounded
 * number of times on throttling (429, honouring `Retry-After`) and transient failures (5xx), with
 * the token azure-native itself uses. A list that cannot be read whole fails the step, naming the
 * call: a partial list is never taken for a fleet (hosts missing from it would look gone).
 */
import {
  ARM_RETRY,
  ListPageError,
  MAX_LIST_PAGES,
  NETWORK_FAILURE,
  isMissingParent,
  isRetryable,
  parseListPage,
  retryAfterMs,
  retryDelay,
} from "../domain/common/armList";

/** The subset of `fetch`'s response a read needs. */
export interface ArmResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/**
 * How requests are sent: `fetch` and a timer. The offline check and the tests install their own
 * on `globalThis[Symbol.for("global-image.armTransport")]` (a simulated Azure answering from the
 * live fleet they model); unset, it is Node's `fetch` to the real ARM endpoint.
 */
export interface ArmTransport {
  fetch(
    url: string,
    init: { method: "GET"; headers: Record<string, string> },
  ): Promise<ArmResponse>;
  sleep?(ms: number): Promise<void>;
  now?(): number;
}

/** Where a simulated Azure is installed (see {@link ArmTransport}). */
export const ARM_TRANSPORT = Symbol.for("global-image.armTransport");

/** The installed transport, else Node's `fetch`. */
export function armTransport(): ArmTransport {
  const installed = (globalThis as Record<symbol, ArmTransport | undefined>)[ARM_TRANSPORT];
  return installed ?? { fetch: (url, init) => fetch(url, init) };
}

/** The endpoint and bearer token of the calls. */
export interface ArmAccess {
  /** The ARM endpoint, e.g. `https://management.azure.com`; a `nextLink` elsewhere is refused. */
  readonly endpoint: string;
  readonly token: string;
}

/** One list: what it is (for errors) and its first page's path and query. */
export interface ListCall {
  /** In words, e.g. `list the session hosts of host pool "pool1"`. */
  readonly purpose: string;
  /** Path and query, starting with `/subscriptions/`. */
  readonly path: string;
}

/** A list that could not be read whole: the step stops, naming the call and why. */
export class ArmReadError extends Error {}

/**
 * Every item of the list, or undefined when its parent does not exist (a 404 on the first page
 * whose error code says so: a pool or resource group not created yet).
 */
export async function listAll(
  call: ListCall,
  access: ArmAccess,
  transport: ArmTransport = armTransport(),
): Promise<unknown[] | undefined> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  let url: string | undefined = `${access.endpoint}${call.path}`;
  for (let page = 1; url; page++) {
    if (page > MAX_LIST_PAGES || seen.has(url))
      throw fail(
        call,
        `page ${page}: the list does not end (a nextLink repeats or exceeds ${MAX_LIST_PAGES} pages)`,
      );
    seen.add(url);
    if (!onEndpoint(url, access.endpoint))
      throw fail(
        call,
        `page ${page}: its nextLink ${url} is not on ${access.endpoint}; the token goes nowhere else`,
      );
    const response = await getWithRetries(url, call, access, transport, page);
    const body = await response.text();
    if (response.status === 404 && page === 1 && isMissingParent(body)) return undefined;
    if (!response.ok) throw fail(call, `page ${page}: HTTP ${response.status}: ${excerpt(body)}`);
    try {
      const parsed = parseListPage(body);
      items.push(...parsed.value);
      url = parsed.nextLink;
    } catch (err) {
      if (err instanceof ListPageError) throw fail(call, `page ${page}: ${err.message}`);
      throw err;
    }
  }
  return items;
}

async function getWithRetries(
  url: string,
  call: ListCall,
  access: ArmAccess,
  transport: ArmTransport,
  page: number,
): Promise<ArmResponse> {
  const sleep = (ms: number) =>
    transport.sleep ? transport.sleep(ms) : new Promise<void>((r) => setTimeout(r, ms));
  const now = () => (transport.now ? transport.now() : Date.now());
  for (let attempt = 0; ; attempt++) {
    let response: ArmResponse | undefined;
    let failure = "";
    try {
      response = await transport.fetch(url, {
        method: "GET",
        headers: { authorization: `Bearer ${access.token}`, accept: "application/json" },
      });
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    if (response && (response.ok || response.status === 404)) return response;
    const status = response?.status ?? NETWORK_FAILURE;
    const retryAfter = response?.headers.get("retry-after");
    const wait = retryDelay(status, retryAfter, attempt, now());
    if (wait === undefined) {
      if (response && !isRetryable(status)) return response; // the caller says why
      const why = response ? `HTTP ${status}: ${await detail(response)}` : failure;
      const asked = retryAfterMs(retryAfter, now());
      const tooLong =
        asked !== undefined && asked > ARM_RETRY.maxWaitMs
          ? `; Azure asked to retry after ${Math.round(asked / 1000)} s, longer than the ${ARM_RETRY.maxWaitMs / 1000} s one step waits`
          : "";
      throw fail(call, `page ${page}: ${why} (after ${attempt + 1} tries${tooLong})`);
    }
    await sleep(wait);
  }
}

/** True when `url` is on the ARM endpoint (same origin: `:443` or not), under `/subscriptions/`. */
export function onEndpoint(url: string, endpoint: string): boolean {
  try {
    const at = new URL(url);
    return at.origin === new URL(endpoint).origin && at.pathname.startsWith("/subscriptions/");
  } catch {
    return false;
  }
}

async function detail(response: ArmResponse): Promise<string> {
  return excerpt(await response.text());
}

function excerpt(body: string): string {
  return body.slice(0, 400) || "(no body)";
}

function fail(call: ListCall, why: string): ArmReadError {
  return new ArmReadError(
    `global-image: could not ${call.purpose} (GET ${call.path.split("?")[0]}), so the rollout step stops: ${why}. ` +
      `A fleet that cannot be read whole is never taken as hosts gone; nothing was changed. ` +
      `Check the deploying identity's read access (Reader on the resource group) and run the up again.`,
  );
}
