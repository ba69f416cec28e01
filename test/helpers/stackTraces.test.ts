/**
 * How the suites' errors record their stacks (stackTraceLimit.ts): mapped to the TypeScript where
 * a frame is this repository's, V8's own lines where every frame is a package's.
 */
import * as semver from "semver";

describe("stack traces in the suites", () => {
  it("map a frame of this repository's TypeScript to its source line", () => {
    const stack = new Error("here").stack!;
    expect(stack.split("\n")[1]).toMatch(/stackTraces\.test\.ts:9:19\)$/);
  });

  it("format a stack of package frames only as V8 does, name and message first", () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 1;
    let stack = "";
    try {
      new semver.SemVer("x");
    } catch (e) {
      stack = (e as Error).stack!;
    } finally {
      Error.stackTraceLimit = limit;
    }
    expect(stack).toMatch(
      /^TypeError: Invalid Version: x\n {4}at new SemVer \(\/.*\/node_modules\/semver\/classes\/semver\.js:\d+:\d+\)$/,
    );
  });

  it("stay at ten frames", () => {
    const deep = (n: number): string => (n === 0 ? new Error("deep").stack! : deep(n - 1));
    expect(deep(30).split("\n")).toHaveLength(11);
  });
});
