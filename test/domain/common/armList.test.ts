import fc from "fast-check";
import {
  ARM_RETRY,
  isMissingParent,
  ListPageError,
  NETWORK_FAILURE,
  parseListPage,
  retryAfterMs,
  retryDelay,
} from "../../../src/domain/common/armList";

const NOW = Date.parse("2026-12-07T12:00:00Z");

describe("retryDelay: which failed reads are tried again, and when", () => {
  it.each([
    [429, "7", 0, 7000], // throttled: exactly as long as ARM asks
    [429, null, 0, 1000], // no Retry-After: 1 s, then doubling
    [429, null, 3, 8000],
    [503, "Wed, 07 Dec 2026 12:00:30 GMT", 1, 30_000], // an HTTP date, against the clock
    [500, undefined, 0, 1000],
    [NETWORK_FAILURE, null, 2, 4000],
    [429, "0", 0, 0],
  ])("status %i, Retry-After %p, attempt %i: wait %i ms", (status, header, attempt, ms) => {
    expect(retryDelay(status, header, attempt, NOW)).toBe(ms);
  });

  it.each([
    [403, null, 0, "not worth a retry"],
    [401, null, 0, "not worth a retry"],
    [400, "1", 0, "not worth a retry, whatever Retry-After says"],
    [404, null, 0, "not worth a retry"],
    [429, null, ARM_RETRY.attempts - 1, "the tries are used up"],
    [429, "61", 0, "ARM asks for longer than a step waits"],
  ])("status %i, Retry-After %p, attempt %i: fails now (%s)", (status, header, attempt, _why) => {
    expect(retryDelay(status, header, attempt, NOW)).toBeUndefined();
  });

  it("never waits less than ARM asks, never longer than the limit, never forever (any status, header, attempt)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(NETWORK_FAILURE, 200, 400, 403, 404, 408, 409, 429, 500, 502, 503, 504),
        fc.option(fc.integer({ min: 0, max: 600 }).map(String), { nil: null }),
        fc.integer({ min: 0, max: 20 }),
        (status, header, attempt) => {
          const wait = retryDelay(status, header, attempt, NOW);
          if (wait === undefined) return;
          expect(attempt + 1).toBeLessThan(ARM_RETRY.attempts);
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThanOrEqual(ARM_RETRY.maxWaitMs);
          if (header !== null) expect(wait).toBe(Number(header) * 1000);
        },
      ),
    );
  });

  it("reads Retry-After as seconds or an IMF date, nothing else", () => {
    expect(retryAfterMs("12", NOW)).toBe(12_000);
    expect(retryAfterMs(" 3 ", NOW)).toBe(3000);
    expect(retryAfterMs("Wed, 07 Dec 2026 11:59:00 GMT", NOW)).toBe(0); // in the past
    expect(retryAfterMs("2026-12-07T12:00:10Z", NOW)).toBeUndefined();
    expect(retryAfterMs("-5", NOW)).toBeUndefined();
    expect(retryAfterMs("soon", NOW)).toBeUndefined();
    expect(retryAfterMs("", NOW)).toBeUndefined();
  });
});

describe("parseListPage: a page is an ARM list page or the read fails", () => {
  it("reads the items and the next page", () => {
    expect(parseListPage('{"value":[{"name":"a"}],"nextLink":"https://x/2"}')).toEqual({
      value: [{ name: "a" }],
      nextLink: "https://x/2",
    });
    expect(parseListPage('{"value":[],"nextLink":null}')).toEqual({ value: [] });
  });

  it.each([
    ["", /not JSON \(an empty body\)/],
    ["<html>Service Unavailable</html>", /not JSON \(starts "<html>/],
    ["[]", /not a JSON object/],
    ['{"values":[]}', /no "value" list/],
    ['{"value":{}}', /no "value" list/],
    ['{"value":[],"nextLink":42}', /"nextLink" is not a URL: 42/],
    ['{"value":[],"nextLink":""}', /"nextLink" is not a URL/],
  ])("refuses %p", (body, reason) => {
    expect(() => parseListPage(body)).toThrow(ListPageError);
    expect(() => parseListPage(body)).toThrow(reason);
  });
});

describe("isMissingParent: which 404 means the list's parent does not exist yet", () => {
  it.each([
    ['{"error":{"code":"ResourceNotFound","message":"x"}}', true],
    ['{"error":{"code":"ResourceGroupNotFound"}}', true],
    ['{"error":{"code":"ParentResourceNotFound"}}', true],
    ['{"error":{"code":"InvalidResourceType"}}', false],
    ['{"error":{"code":"NoRegisteredProviderFound"}}', false],
    ['{"error":{}}', false],
    ["Not Found", false],
    ["", false],
  ])("%s: %s", (body, missing) => {
    expect(isMissingParent(body)).toBe(missing);
  });
});
