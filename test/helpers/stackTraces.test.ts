/**
 * How the suites' errors record their stacks (stackTraceLimit.ts): a frame of this repository's
 * TypeScript mapped to its source line, a package's frame as V8 writes it, and the Pulumi SDK's
 * per-promise stack formatted when read.
 */
import * as fs from "node:fs";
import { Config } from "@pulumi/pulumi";
import * as semver from "semver";

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's internal module, as it loads */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise<T>(p: Promise<T>, ctx: string): Promise<T>;
  promiseDebugString(p: Promise<unknown>): string;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The line of this file that holds `marker` (its own text, not a stack, says where it is). */
const SOURCE = fs.readFileSync(__filename, "utf8").split("\n");
const lineOf = (marker: string) => SOURCE.findIndex((l) => l.includes(marker)) + 1;

function semverStack(limit: number): string {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  try {
    new semver.SemVer("x");
  } catch (e) {
    return (e as Error).stack!;
  } finally {
    Error.stackTraceLimit = saved;
  }
  throw new Error("semver accepted x");
}

describe("stack traces in the suites", () => {
  it("map a frame of this repository's TypeScript to its source line", () => {
    const stack = new Error("here").stack!;
    const line = lineOf('new Error("here")');
    expect(stack.split("\n")[1]).toMatch(new RegExp(`stackTraces\\.test\\.ts:${line}:19\\)$`));
  });

  it("format a stack of package frames only as V8 does, name and message first", () => {
    expect(semverStack(1)).toMatch(
      /^TypeError: Invalid Version: x\n {4}at new SemVer \(\/.*\/node_modules\/semver\/classes\/semver\.js:\d+:\d+\)$/,
    );
  });

  it("map this repository's frames in a stack that also has a package's, and only those", () => {
    let stack = "";
    try {
      new Config("probe").require("absent");
    } catch (e) {
      stack = (e as Error).stack!;
    }
    const frames = stack.split("\n").filter((l) => l.startsWith("    at "));
    // The SDK ships .js.map files pointing at .ts files it does not ship: its own .js lines stay.
    expect(frames[0]).toMatch(
      /at Config\.requireImpl \(\/.*\/@pulumi\/pulumi\/config\.js:\d+:\d+\)$/,
    );
    const line = lineOf('require("absent")');
    expect(frames[2]).toMatch(
      new RegExp(`at Object\\.<anonymous> \\(.*/stackTraces\\.test\\.ts:${line}:\\d+\\)$`),
    );
  });

  it("format the SDK's stack of a promise when its leak report reads it, mapped as any other", async () => {
    const p = Promise.resolve(1); // the SDK records its stack on the promise it is given
    await debuggable.debuggablePromise(p, "a test promise");
    const kept = (p as unknown as { _debugStackTrace: unknown })._debugStackTrace;
    expect(typeof kept).toBe("object"); // not formatted when the promise was made
    const report = debuggable.promiseDebugString(p);
    expect(report).toMatch(/^CONTEXT\(\d+\): a test promise\nSTACK_TRACE:\nError: \n/);
    expect(report).toMatch(
      /\n {4}at (Object\.)?debuggablePromise \(\/.*\/@pulumi\/pulumi\/runtime\/debuggable\.js:\d+:\d+\)\n/,
    );
    const line = lineOf('debuggablePromise(p, "a test promise")');
    expect(report).toMatch(
      new RegExp(`\\n {4}at Object\\.<anonymous> \\(.*/stackTraces\\.test\\.ts:${line}:\\d+\\)`),
    );
  });

  it("stay at ten frames", () => {
    const deep = (n: number): string => (n === 0 ? new Error("deep").stack! : deep(n - 1));
    expect(deep(30).split("\n")).toHaveLength(11);
  });
});
