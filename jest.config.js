/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // The Pulumi SDK keeps process-wide state that outlives a test file; Jest's soft global cleanup
  // only warns about it.
  testEnvironmentOptions: { globalsCleanup: "off" },
  // The ARM contract of every body the mock suites register, judged once per run (contractRun.ts),
  // and the preload of the processes the suites start (lazy/childPreload.cjs).
  globalSetup: "<rootDir>/test/helpers/globalSetup.ts",
  globalTeardown: "<rootDir>/test/helpers/contractTeardown.ts",
  setupFiles: ["<rootDir>/test/helpers/stackTraceLimit.ts"],
  // The AsyncLocalStorages Jest leaves behind each test file, disabled (see the file).
  setupFilesAfterEnv: ["<rootDir>/test/helpers/staleStorage.ts"],
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // esbuild strips types file by file (isolatedModules in tsconfig.json); the compile in
  // `npm run unit` (tsconfig.test.json) type-checks the whole project once.
  transform: { "^.+\\.ts$": "<rootDir>/scripts/jestTransform.cjs" },
  // Examples import the package by name; tests run them against the source.
  moduleNameMapper: {
    "^global-image$": "<rootDir>/src/index.ts",
    // Two of the Pulumi SDK's dependencies, loaded when first used instead of at import (half of
    // what importing the SDK costs each suite): see test/helpers/lazy/lazyModule.cjs.
    "(^|/)typescript-shim$": "<rootDir>/test/helpers/lazy/typescriptShim.cjs",
    "^@npmcli/arborist$": "<rootDir>/test/helpers/lazy/arborist.cjs",
  },
  testTimeout: 30000,
  // Every core (Jest's default leaves one idle: a single worker on CI's two). The suites that
  // spawn `check` workers wait on those processes more than they compute.
  maxWorkers: "100%",
  // The Pulumi SDK keeps process-wide state (the store, resource packages) that holds a finished
  // suite's modules; a worker past 1 GB is restarted between suites instead of garbage-collecting
  // ever longer. Measured on the full suite (one run each): 569 → 510 CPU-s, 295 → 266 s.
  workerIdleMemoryLimit: "1GB",
  // A worker told to end exits once its event loop drains, then V8 tears its heap down: 200-330 ms
  // from the end message to the exit in a full run here (150 ms for 0.9 GB of small objects in a
  // bare process), past Jest's 500 ms default now and then when both workers end together (seen:
  // both ran their exit handlers 1 ms after the message, and one was still "force exited"). A
  // worker that leaks a handle is still force-exited, with the same message.
  workerGracefulExitTimeout: 5000,
};
