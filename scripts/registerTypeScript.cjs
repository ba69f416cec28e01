// Lets this package's own tests run `check` workers from source: `.ts` files are stripped of their
// types with esbuild as they are required (what the worker does for the programs it runs; see
// src/check/typescript.ts), which starts faster than a transpile-only ts-node.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const esbuild = require("esbuild");

// This repository's compiler options (class fields, target), as `tsc` and ts-jest use them.
const tsconfigRaw = fs.readFileSync(path.join(__dirname, "..", "tsconfig.json"), "utf8");

process.setSourceMapsEnabled(true);
// The check worker sees it and leaves the hook in place (src/check/offlineRun.ts).
process[Symbol.for("global-image.registerTypeScript")] = true;
const target = `node${process.versions.node.split(".")[0]}`;
// Each check worker is a fresh process that strips the same files again: the output is kept in
// the temp dir, keyed by everything it depends on (esbuild, options, file name and source).
const cacheDir = path.join(os.tmpdir(), "global-image-ts-cache");
const salt = `${esbuild.version}|${target}|${tsconfigRaw}`;
function strip(filename) {
  const source = fs.readFileSync(filename, "utf8");
  const key = crypto
    .createHash("sha256")
    .update(salt)
    .update(filename)
    .update(source)
    .digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not stripped yet
  }
  const { code } = esbuild.transformSync(source, {
    loader: "ts",
    format: "cjs",
    target,
    sourcemap: "inline",
    sourcefile: filename,
    tsconfigRaw,
  });
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    // Written whole, then renamed: a concurrent worker never reads half a file.
    const temp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temp, code);
    fs.renameSync(temp, cached);
  } catch {
    // a cache that cannot be written only costs time
  }
  return code;
}
for (const ext of [".ts", ".cts", ".mts"]) {
  require.extensions[ext] = (module, filename) => module._compile(strip(filename), filename);
}
