// Fails when docs/reference is stale: regenerates the reference from the TSDoc (TypeDoc, with
// typedoc.json) into a temporary directory and compares it with the committed one, file by file.
// `npm run docs` regenerates it in place.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const committed = path.join(root, "docs", "reference");
const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "global-image-reference-"));

/** Relative path → content of every file under `dir`. */
function files(dir, prefix = "") {
  const found = new Map();
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) for (const [k, v] of files(dir, relative)) found.set(k, v);
    else found.set(relative, fs.readFileSync(path.join(dir, relative), "utf8"));
  }
  return found;
}

try {
  const typedoc = path.join(root, "node_modules", "typedoc", "bin", "typedoc");
  const run = spawnSync(process.execPath, [typedoc, "--out", fresh, "--logLevel", "Error"], {
    cwd: root,
    encoding: "utf8",
  });
  if (run.status !== 0) {
    process.stderr.write(`typedoc failed:\n${run.stdout}${run.stderr}`);
    process.exit(1);
  }
  const want = files(fresh);
  const have = files(committed);
  const stale = [
    ...[...want.keys()]
      .filter((f) => have.get(f) !== want.get(f))
      .map((f) => `changed or missing: ${f}`),
    ...[...have.keys()].filter((f) => !want.has(f)).map((f) => `no longer generated: ${f}`),
  ];
  if (stale.length > 0) {
    process.stderr.write(
      `docs/reference is stale (run \`npm run docs\` and commit it):\n  ${stale.slice(0, 20).join("\n  ")}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`docs/reference: ${want.size} pages, up to date with the TSDoc\n`);
} finally {
  fs.rmSync(fresh, { recursive: true, force: true });
}
