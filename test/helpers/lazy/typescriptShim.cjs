// @pulumi/pulumi's typescript-shim (TypeScript, for its closure serializer), loaded on first use:
// see lazyModule.cjs.
"use strict";
const path = require("node:path");
const lazyModule = require("./lazyModule.cjs");

const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
module.exports = lazyModule(path.join(sdk, "typescript-shim.js"));
