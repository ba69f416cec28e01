// Preloaded into every Node process the tests start (`--require` in NODE_OPTIONS, set by the Jest
// global setup, test/helpers/globalSetup.ts): check workers, the compiled CLI, the policy pack, the
// engine's programs and the component provider. In them, as in the suites (jest.config.js), the
// Pulumi SDK's typescript-shim and @npmcli/arborist load when first used instead of at import
// (lazyModule.cjs): about half a second of each process's start. Nothing else is changed: a process
// that serializes a function or type-checks still loads and uses the real modules.
"use strict";
const Module = require("node:module");
const lazyModule = require("./lazyModule.cjs");

const deferred = new Map();
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  if (
    (request === "@npmcli/arborist" || /(^|\/)typescript-shim$/.test(request)) &&
    /[\\/]@pulumi[\\/]pulumi[\\/]/.test(parent?.filename ?? "")
  ) {
    const file = Module._resolveFilename(request, parent);
    if (!deferred.has(file)) deferred.set(file, lazyModule(file));
    return deferred.get(file);
  }
  return load.call(this, request, parent, ...rest);
};
