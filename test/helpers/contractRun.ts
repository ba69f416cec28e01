/**
 * The ARM contract over every body the mock suites register, judged once for the whole Jest run:
 * each suite hands its bodies over in its afterAll (a file in the run's directory), and the Jest
 * parent process judges them while the other suites run (it is idle otherwise), with one oav
 * validator per spec set (building one costs about a second; per suite, that was most of a small
 * suite's time) and each distinct body once. A violation fails the run in the global teardown,
 * naming the suite. Without the run's directory (a suite loaded outside this Jest config), a
 * suite judges its own bodies.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ContractResource, checkContract } from "../../src/contract/validate";

/** Where the suites of this run leave their bodies (set by the global setup). */
export const CONTRACT_DIR_VARIABLE = "GLOBAL_IMAGE_CONTRACT_RUN_DIR";

/** One suite's bodies. */
interface SuiteBodies {
  readonly suite: string;
  readonly resources: ContractResource[];
}

/** The judging in the Jest parent process, kept on its global (setup and teardown share it). */
interface Judging {
  readonly dir: string;
  readonly done: Set<string>;
  readonly problems: string[];
  /** Loaded in the setup, while Jest's transform still compiles TypeScript for it. */
  readonly check: typeof checkContract;
  timer?: NodeJS.Timeout;
  running: Promise<void>;
}
const KEY = Symbol.for("global-image.contractRun");
const judging = () => (globalThis as Record<symbol, Judging | undefined>)[KEY];

/** Jest's globalSetup: a fresh directory for this run, judged as suites fill it. */
export function setup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "global-image-contract-run-"));
  process.env[CONTRACT_DIR_VARIABLE] = dir;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see Judging.check
  const { checkContract: check } = require("../../src/contract/validate") as {
    checkContract: typeof checkContract;
  };
  const state: Judging = {
    dir,
    done: new Set(),
    problems: [],
    check,
    running: Promise.resolve(),
  };
  (globalThis as Record<symbol, Judging>)[KEY] = state;
  state.timer = setInterval(() => {
    state.running = state.running.then(() => judgeNew(state));
  }, 2000);
  state.timer.unref();
}

/** Hands a suite's bodies to the run, or judges them now when there is no run. */
export async function submit(suite: string, resources: ContractResource[]): Promise<void> {
  const dir = process.env[CONTRACT_DIR_VARIABLE];
  if (dir && fs.existsSync(dir)) {
    const name = `${crypto.randomUUID()}.json`;
    const body = JSON.stringify({ suite, resources } satisfies SuiteBodies);
    // Written whole, then renamed: the judge never reads half a file.
    fs.writeFileSync(path.join(dir, `${name}.tmp`), body);
    fs.renameSync(path.join(dir, `${name}.tmp`), path.join(dir, name));
    return;
  }
  const { checkContract: check } = await import("../../src/contract/validate");
  const problems = await judge([{ suite, resources }], check);
  if (problems.length > 0)
    throw new Error(`request bodies ARM would reject:\n${problems.join("\n")}`);
}

/** Jest's globalTeardown: judges what is left, then fails the run on any violation. */
export async function teardown(): Promise<void> {
  const state = judging();
  if (!state) return;
  clearInterval(state.timer);
  try {
    await state.running;
    await judgeNew(state);
  } finally {
    fs.rmSync(state.dir, { recursive: true, force: true });
  }
  if (state.problems.length > 0)
    throw new Error(`request bodies ARM would reject:\n${state.problems.join("\n")}`);
}

/** Judges the suites that arrived since the last look. */
async function judgeNew(state: Judging): Promise<void> {
  if (!fs.existsSync(state.dir)) return;
  const fresh = fs
    .readdirSync(state.dir)
    .filter((f) => f.endsWith(".json") && !state.done.has(f))
    .sort();
  for (const f of fresh) state.done.add(f);
  const suites = fresh.map(
    (f) => JSON.parse(fs.readFileSync(path.join(state.dir, f), "utf8")) as SuiteBodies,
  );
  state.problems.push(...(await judge(suites, state.check)));
}

async function judge(
  suites: readonly SuiteBodies[],
  check: typeof checkContract,
): Promise<string[]> {
  const problems: string[] = [];
  for (const { suite, resources } of suites) {
    const report = await check(resources);
    for (const v of report.violations)
      problems.push(`  ${suite}: ${v.type} "${v.resource}" ${v.path}: ${v.rule}: ${v.message}`);
  }
  return problems;
}
