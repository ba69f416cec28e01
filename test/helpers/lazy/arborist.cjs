// @npmcli/arborist (the Pulumi SDK's code-path walker for serialized functions), loaded on first
// use: see lazyModule.cjs.
"use strict";
const path = require("node:path");
const lazyModule = require("./lazyModule.cjs");

const manifest = require.resolve("@npmcli/arborist/package.json");
module.exports = lazyModule(path.join(path.dirname(manifest), require(manifest).main));
