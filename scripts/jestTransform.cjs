// Jest's transform for this repository's TypeScript: types stripped by esbuild, with the compiler
// options of tsconfig.json (class fields, target), as scripts/registerTypeScript.cjs does for the
// check workers. The compile in `npm run unit` (tsconfig.test.json) type-checks; ts-jest's
// per-file TypeScript emit was the slower path to the same JavaScript (isolatedModules).
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const tsconfigRaw = fs.readFileSync(path.join(__dirname, "..", "tsconfig.json"), "utf8");
const target = `node${process.versions.node.split(".")[0]}`;
const salt = `${esbuild.version}|${target}|${tsconfigRaw}|${fs.readFileSync(__filename, "utf8")}`;

module.exports = {
  process(source, filename) {
    const { code, map } = esbuild.transformSync(source, {
      loader: "ts",
      format: "cjs",
      target,
      sourcemap: "external",
      sourcefile: filename,
      tsconfigRaw,
      // import() as require(), as ts-jest emitted it: Jest runs CommonJS in its VM, where a native
      // dynamic import needs --experimental-vm-modules.
      supported: { "dynamic-import": false },
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return crypto.createHash("sha256").update(salt).update(filename).update(source).digest("hex");
  },
};
