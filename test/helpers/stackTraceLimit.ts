// Jest's setupFiles: how the test files' errors record their stacks.
//
// Back to Node's own stack depth. Jest raises Error.stackTraceLimit to 100 in every test
// environment, and the Pulumi SDK records a stack trace for each resource and promise it makes: at
// 100 frames (each mapped through Jest's source maps) that was a third of a mock suite's CPU.
// Failures still show ten frames.
Error.stackTraceLimit = 10;

// Source maps where this repository's code is. Jest formats every stack through its source-map
// support, which copies each frame into a mapped one; the SDK's stacks (one per promise, read at
// once, printed only for a promise leak) are all frames of packages. A stack with a frame of this
// repository's TypeScript (a test, src/) still goes through Jest's formatter whole, so failures
// read as before; one with none is formatted as Jest formats a frame it cannot map: `Name:
// message` and V8's `at ...` lines, with the packages' generated positions (Jest would have
// followed the SDK's shipped .js.map files). Node asks the Error of the context that made the
// error (this test file's) before the main context's, where Jest installs its formatter.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the worker's own context
const mainContextError = require("node:vm").runInThisContext("Error") as ErrorConstructor;
const transformed = (frame: NodeJS.CallSite) => {
  const file = frame.getFileName() ?? frame.getScriptNameOrSourceURL() ?? "";
  return file !== "" && !file.includes("/node_modules/") && !file.startsWith("node:");
};
Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
  const jest = mainContextError.prepareStackTrace;
  if (jest && frames.some(transformed)) return jest(error, frames);
  const head = `${error.name ?? "Error"}: ${error.message ?? ""}`;
  return head + frames.map((frame) => `\n    at ${frame.toString()}`).join("");
};
