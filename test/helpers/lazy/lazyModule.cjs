// A module that is loaded when first used, not when required: Jest's moduleNameMapper points two of
// the Pulumi SDK's heavy dependencies here (jest.config.js), and so does the preload of the
// processes the suites start (childPreload.cjs). The SDK requires them at import, for its closure
// serializer (TypeScript's parser, ~270 ms) and code-path walker (@npmcli/arborist, with pacote and
// @sigstore, ~220 ms); a suite that never serializes a function never needs them, and every suite
// that imports the SDK paid both. Used, the module behaves as the real one
// (lazyModule.test.ts; test/consumers/sessionHostControl.test.ts serializes a dynamic provider).
"use strict";

/** A stand-in for the module at `file` (an absolute path), which loads it on first use. */
module.exports = function lazyModule(file) {
  const target = {};
  const handler = {};
  const load = () => {
    Object.defineProperties(target, Object.getOwnPropertyDescriptors(require(file)));
    // From now on the stand-in holds the real module's properties and no trap runs: the schema
    // analyzer reads TypeScript's exports millions of times.
    for (const trap of Object.keys(handler)) delete handler[trap];
    return target;
  };
  // `__esModule` answered without loading: TypeScript's `__importStar` then returns this proxy
  // itself instead of listing (and so loading) every export at import.
  handler.get = (_, key) => (key === "__esModule" ? true : load()[key]);
  handler.has = (_, key) => key in load();
  handler.ownKeys = () => Reflect.ownKeys(load());
  handler.getOwnPropertyDescriptor = (_, key) => Reflect.getOwnPropertyDescriptor(load(), key);
  return new Proxy(target, handler);
};
