// Jest's setupFiles: back to Node's own stack depth. Jest raises Error.stackTraceLimit to 100 in
// every test environment, and the Pulumi SDK records a stack trace for each resource and promise it
// makes: at 100 frames (each mapped through Jest's source maps) that was a third of a mock suite's
// CPU. Failures still show ten frames.
Error.stackTraceLimit = 10;
