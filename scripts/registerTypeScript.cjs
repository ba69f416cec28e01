// Lets this package's own tests run `check` workers from source: `.ts` files are stripped of their
// types with esbuild as they are required (what the worker does for the programs it runs; see
// src/check/typescript.ts), which starts faster than a transpile-only ts-node.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

// This repository's compiler options (class fields, target), as `tsc` and ts-jest use them.
const tsconfigRaw = fs.readFileSync(path.join(__dirname, "..", "tsconfig.json"), "utf8");

process.setSourceMapsEnabled(true);
// The check worker sees it and leaves the hook in place (src/check/offlineRun.ts).
process[Symbol.for("global-image.registerTypeScript")] = true;
const target = `node${process.versions.node.split(".")[0]}`;
for (const ext of [".ts", ".cts", ".mts"]) {
  require.extensions[ext] = (module, filename) => {
    const { code } = esbuild.transformSync(fs.readFileSync(filename, "utf8"), {
      loader: "ts",
      format: "cjs",
      target,
      sourcemap: "inline",
      sourcefile: filename,
      tsconfigRaw,
    });
    module._compile(code, filename);
  };
}
