import fc from "fast-check";
import {
  MAX_VERSION_PART,
  compareVersions,
  isAzureVersion,
  sortVersions,
  versionProblem,
} from "../../../src/domain/images/version";

describe("Azure gallery version names", () => {
  it.each(["0.0.0", "1.0.0", "1.10.0", "2024.11.25", `${MAX_VERSION_PART}.0.${MAX_VERSION_PART}`])(
    "accepts %s",
    (v) => {
      expect(versionProblem(v)).toBeUndefined();
      expect(isAzureVersion(v)).toBe(true);
    },
  );

  it.each([
    ["v1.0.0", /leading 'v'/],
    ["1.0", /MAJOR\.MINOR\.PATCH/],
    ["1.0.0.0", /MAJOR\.MINOR\.PATCH/],
    ["1.0.0-beta", /prerelease/],
    ["1.0.0+build", /build suffix/],
    ["01.0.0", /leading zeros/],
    ["1.00.0", /leading zeros/],
    [`${MAX_VERSION_PART + 1}.0.0`, /32-bit integer/],
    [" 1.0.0", /MAJOR\.MINOR\.PATCH/],
    ["latest", /MAJOR\.MINOR\.PATCH/],
    [1, /must be a string/],
  ])("rejects %p", (v, problem) => {
    expect(versionProblem(v)).toMatch(problem);
    expect(isAzureVersion(v)).toBe(false);
  });
});

/** [lower, higher] pairs, each asserted in both directions (node-semver style). */
const ORDERED_PAIRS: Array<[string, string]> = [
  ["1.9.0", "1.10.0"],
  ["1.0.9", "1.0.10"],
  ["9.9.9", "10.0.0"],
  ["0.0.1", "0.1.0"],
  ["0.1.0", "1.0.0"],
  ["1.2.3", "1.2.4"],
  ["2.0.0", "2.0.1"],
  ["2147483646.0.0", "2147483647.0.0"],
];

describe("compareVersions", () => {
  it.each(ORDERED_PAIRS)("%s < %s", (lower, higher) => {
    expect(compareVersions(lower, higher)).toBeLessThan(0);
    expect(compareVersions(higher, lower)).toBeGreaterThan(0);
  });

  it.each(ORDERED_PAIRS.flat())("%s equals itself", (v) => {
    expect(compareVersions(v, v)).toBe(0);
  });

  it("refuses names that are not versions instead of sorting them as strings", () => {
    expect(() => compareVersions("1.0.0", "latest")).toThrow(
      /"latest" is not an Azure gallery version name/,
    );
  });

  it("sorts numerically, not as strings", () => {
    expect(sortVersions(["1.10.0", "1.9.0", "1.2.0", "10.0.0"])).toEqual([
      "1.2.0",
      "1.9.0",
      "1.10.0",
      "10.0.0",
    ]);
  });

  it("still orders and refuses correctly after more names than its parse cache holds", () => {
    const names = Array.from({ length: 5000 }, (_, i) => `${i % 7}.${i}.${4999 - i}`);
    const sorted = sortVersions([...names].reverse());
    expect(sorted.slice(0, 3)).toEqual(["0.0.4999", "0.7.4992", "0.14.4985"]);
    expect(sorted.at(-1)).toBe("6.4997.2");
    expect(() => compareVersions(names[0], "01.0.0")).toThrow(/"01\.0\.0" is not/);
  });
});

const part = fc.integer({ min: 0, max: MAX_VERSION_PART });
export const versionArb = fc.tuple(part, part, part).map(([a, b, c]) => `${a}.${b}.${c}`);

describe("version ordering properties", () => {
  it("generated names are valid", () => {
    fc.assert(fc.property(versionArb, (v) => isAzureVersion(v)));
  });

  it("orders like the numeric (major, minor, patch) tuple", () => {
    fc.assert(
      fc.property(versionArb, versionArb, (a, b) => {
        const [x, y] = [a, b].map((v) => v.split(".").map(Number));
        const expected = x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
        return Math.sign(compareVersions(a, b)) === Math.sign(expected);
      }),
    );
  });

  it("sorting is idempotent, ascending and a permutation of its input", () => {
    fc.assert(
      fc.property(fc.array(versionArb, { maxLength: 30 }), (versions) => {
        const sorted = sortVersions(versions);
        expect(sortVersions(sorted)).toEqual(sorted);
        expect([...sorted].sort()).toEqual([...versions].sort());
        sorted
          .slice(1)
          .forEach((v, i) => expect(compareVersions(sorted[i], v)).toBeLessThanOrEqual(0));
      }),
    );
  });
});
