/**
 * TypeScript for the offline check, split in two so the check answers in seconds:
 * - running: a require hook that strips types with esbuild (milliseconds per file), the way a
 *   transpile-only ts-node would run the program;
 * - type-checking: the program's entry and everything it imports, with the project's compiler
 *   options, as `pulumi up` (ts-node) would check them, in its own process alongside the run, and
 *   remembered: a program whose files have not changed since it last type-checked clean is not
 *   checked again.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

type TS = typeof import("typescript");

/** Makes `require` of `.ts` files strip their types with esbuild; `tsconfig` (text) may be absent. */
export function registerTranspiler(tsconfig?: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only in the worker
  const esbuild = require("esbuild") as typeof import("esbuild");
  process.setSourceMapsEnabled(true);
  const compile = (module: NodeJS.Module, filename: string) => {
    const { code } = esbuild.transformSync(fs.readFileSync(filename, "utf8"), {
      loader: filename.endsWith(".tsx") ? "tsx" : "ts",
      format: "cjs",
      target: `node${process.versions.node.split(".")[0]}`,
      sourcemap: "inline",
      sourcefile: filename,
      tsconfigRaw: tsconfig ?? "{}",
    });
    (module as unknown as { _compile(code: string, file: string): void })._compile(code, filename);
  };
  for (const ext of [".ts", ".tsx", ".cts", ".mts"]) require.extensions[ext] = compile;
}

/** What a type-check found: TypeScript's own messages, `file(line,col): error TSnnnn: ...`. */
export interface TypeCheckResult {
  readonly errors: string[];
  /** True when a clean earlier check of the same files was reused. */
  readonly cached: boolean;
}

/**
 * Type-checks `entry` and what it imports with the options of `dir`'s tsconfig.json (or
 * ts-node's defaults without one), reusing a clean result recorded in `cacheDir` when no file of
 * the program has changed (size and modification time) since.
 */
export function typeCheckProgram(dir: string, entry: string, cacheDir: string): TypeCheckResult {
  if (!/\.[mc]?tsx?$/.test(entry)) return { errors: [], cached: false }; // JavaScript: nothing to check
  const ts = loadTypeScript(dir, entry);
  const options = compilerOptions(ts, dir);
  const key = createHash("sha256")
    .update(
      JSON.stringify([
        ts.version,
        cacheScope(dir, options),
        path.resolve(entry),
        // The tsconfig's own path and emit paths name the directory; they decide nothing here.
        JSON.stringify(options).split(path.resolve(dir)).join("<project>"),
      ]),
    )
    .digest("hex")
    .slice(0, 32);
  const record = path.join(cacheDir, `typecheck-${key}.json`);
  if (stillClean(record)) return { errors: [], cached: true };
  const program = ts.createProgram({ rootNames: [entry], options });
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => format(ts, d, dir));
  if (errors.length === 0)
    remember(
      record,
      program.getSourceFiles().map((f) => f.fileName),
    );
  return { errors, cached: false };
}

/** The project's own TypeScript, else this package's; a clear error when there is none. */
function loadTypeScript(dir: string, entry: string): TS {
  let resolved: string;
  try {
    resolved = require.resolve("typescript", { paths: [dir, __dirname] });
  } catch {
    throw new Error(
      `error: check type-checks ${path.relative(dir, entry)} as pulumi up does, and needs the typescript package: npm install --save-dev typescript`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved at run time
  return require(resolved) as TS;
}

function compilerOptions(ts: TS, dir: string): import("typescript").CompilerOptions {
  const file = path.join(dir, "tsconfig.json");
  const base = { noEmit: true, skipLibCheck: true };
  if (!fs.existsSync(file))
    return {
      ...base,
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      strict: false,
    };
  const parsed = ts.getParsedCommandLineOfConfigFile(
    file,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(format(ts, d, dir));
      },
    },
  );
  return {
    ...(parsed?.options ?? {}),
    ...base,
    incremental: false,
    composite: false,
    declaration: false,
    sourceMap: false,
  };
}

/** Options whose relative paths resolve against the project directory. */
const DIR_RELATIVE = ["baseUrl", "paths", "rootDirs", "typeRoots"] as const;

/**
 * What besides the options and the entry decides a type-check's result. Imports resolve from the
 * importing file, so two projects with the same entry, options and packages check the same: the
 * scope is the project's `node_modules` (its real path: where `@types` come from), and the
 * project directory itself only when an option resolves against it. Projects sharing their
 * packages then share a clean result (the check of a copied project is not repeated).
 */
function cacheScope(dir: string, options: import("typescript").CompilerOptions): string {
  const project = path.resolve(dir);
  if (DIR_RELATIVE.some((k) => options[k] !== undefined)) return project;
  const modules = path.join(project, "node_modules");
  try {
    return fs.realpathSync(modules);
  } catch {
    return project;
  }
}

/** True when `record` lists files that all still have the size and time they had. */
function stillClean(record: string): boolean {
  try {
    const files = JSON.parse(fs.readFileSync(record, "utf8")) as Array<[string, number, number]>;
    return files.every(([file, size, mtime]) => {
      const stat = fs.statSync(file);
      return stat.size === size && stat.mtimeMs === mtime;
    });
  } catch {
    return false;
  }
}

function remember(record: string, files: readonly string[]): void {
  try {
    fs.mkdirSync(path.dirname(record), { recursive: true });
    const stats = files.map((f) => {
      const stat = fs.statSync(f);
      return [f, stat.size, stat.mtimeMs];
    });
    const temp = `${record}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(stats));
    fs.renameSync(temp, record); // readers see the old record or the new one, never half
  } catch {
    // a cache that cannot be written only costs time
  }
}

function format(ts: TS, d: import("typescript").Diagnostic, dir: string): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  if (!d.file || d.start === undefined) return `error TS${d.code}: ${text}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${path.relative(dir, d.file.fileName)}(${line + 1},${character + 1}): error TS${d.code}: ${text}`;
}
