// A module that is loaded when first used, not when required: Jest's moduleNameMapper points two of
// the Pulumi SDK's heavy dependencies here (jest.config.js). The SDK requires them at import, for
// its closure serializer (TypeScript's parser, ~270 ms) and code-path walker (@npmcli/arborist,
// with pacote and @sigstore, ~220 ms); a suite that never serializes a function never needs them,
// and every suite that imports the SDK paid both. Used, the module behaves as the real one: every
// property read, `in` test and key listing goes to it (test/consumers/sessionHostControl.test.ts
// serializes a dynamic provider through both).
"use strict";

/** A stand-in for the module at `file` (an absolute path), which loads it on first use. */
module.exports = function lazyModule(file) {
  let real;
  const load = () => (real ??= require(file));
  return new Proxy(
    {},
    {
      // `__esModule` answered without loading: TypeScript's `__importStar` then returns this proxy
      // itself instead of listing (and so loading) every export at import.
      get: (_, key) => (key === "__esModule" ? true : load()[key]),
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        // A proxy may not report a property non-configurable that its target does not have.
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
};
