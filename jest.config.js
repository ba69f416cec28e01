/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // ts-jest transpiles each file alone (isolatedModules in tsconfig.json); `tsc --noEmit` in
  // `npm test` type-checks the whole project once.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Examples import the package by name; tests run them against the source.
  moduleNameMapper: { "^global-image$": "<rootDir>/src/index.ts" },
  testTimeout: 30000,
};
