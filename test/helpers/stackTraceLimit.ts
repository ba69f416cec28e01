// Jest's setupFiles: how the test files' errors record their stacks.
//
// Back to Node's own stack depth. Jest raises Error.stackTraceLimit to 100 in every test
// environment, and the Pulumi SDK records a stack trace for each resource and promise it makes: at
// 100 frames (each mapped through Jest's source maps) that was a third of a mock suite's CPU.
// Failures still show ten frames.
Error.stackTraceLimit = 10;

// Source maps where this repository's code is. Jest formats every stack through its source-map
// support, which copies each frame into a mapped one, and the Pulumi SDK formats a stack for every
// resource (its source position) and every promise (kept for a leak report, printed only then).
// Here a frame of this repository's TypeScript (a test, src/) is mapped by Jest's formatter, so
// failures point at the TypeScript line as before; a frame of a package is V8's own `at ...` line
// with the package's real position (Jest would have followed the SDK's shipped .js.map files to
// .ts files the SDK does not ship). The stack of an SDK promise is formatted when it is read (the
// leak report), not when the promise is made. Node asks the Error of the context that made the
// error (this test file's) before the main context's, where Jest installs its formatter.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the worker's own context
const mainContextError = require("node:vm").runInThisContext("Error") as ErrorConstructor;
const transformed = (frame: NodeJS.CallSite) => {
  const file = frame.getFileName() ?? frame.getScriptNameOrSourceURL() ?? "";
  return file !== "" && !file.includes("/node_modules/") && !file.startsWith("node:");
};
const PROMISE_STACK = /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/;

function format(error: Error, frames: NodeJS.CallSite[]): string {
  // Unset until Jest installs it (and never in a context without Jest).
  const jest = mainContextError.prepareStackTrace as
    ((error: Error, frames: NodeJS.CallSite[]) => string) | undefined;
  const head = `${error.name ?? "Error"}: ${error.message ?? ""}`;
  let stack = head;
  for (const frame of frames)
    stack +=
      jest && transformed(frame)
        ? jest(error, [frame]).slice(head.length)
        : `\n    at ${frame.toString()}`;
  return stack;
}

Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
  const top = frames[0];
  if (top?.getFunctionName() === "debuggablePromise" && PROMISE_STACK.test(top.getFileName() ?? ""))
    return { toString: () => format(error, frames) }; // read only as `${p._debugStackTrace}`
  return format(error, frames);
};
