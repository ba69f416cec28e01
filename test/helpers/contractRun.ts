/**
 * The ARM contract over every body the mock suites register, judged once for the whole Jest run:
 * each suite hands its bodies over in its afterAll (a file in the run's directory), and the global
 * teardown validates them with one oav validator per spec set (building one costs about a second;
 * per suite, that was most of a small suite's time) and each distinct body once. A violation
 * fails the run and names the suite. Without the run's directory (a suite loaded outside this
 * Jest config), a suite judges its own bodies.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ContractResource } from "../../src/contract/validate";

/** Where the suites of this run leave their bodies (set by the global setup). */
export const CONTRACT_DIR_VARIABLE = "GLOBAL_IMAGE_CONTRACT_RUN_DIR";

/** One suite's bodies. */
interface SuiteBodies {
  readonly suite: string;
  readonly resources: ContractResource[];
}

/** Jest's globalSetup: a fresh directory for this run. */
export function setup(): void {
  process.env[CONTRACT_DIR_VARIABLE] = fs.mkdtempSync(
    path.join(os.tmpdir(), "global-image-contract-run-"),
  );
}

/** Hands a suite's bodies to the run, or judges them now when there is no run. */
export async function submit(suite: string, resources: ContractResource[]): Promise<void> {
  const dir = process.env[CONTRACT_DIR_VARIABLE];
  if (dir && fs.existsSync(dir)) {
    const file = path.join(dir, `${crypto.randomUUID()}.json`);
    fs.writeFileSync(file, JSON.stringify({ suite, resources } satisfies SuiteBodies));
    return;
  }
  await judge([{ suite, resources }]);
}

/** Jest's globalTeardown: judges every suite's bodies, then removes the directory. */
export async function teardown(): Promise<void> {
  const dir = process.env[CONTRACT_DIR_VARIABLE];
  if (!dir || !fs.existsSync(dir)) return;
  try {
    const suites = fs
      .readdirSync(dir)
      .sort()
      .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as SuiteBodies);
    await judge(suites);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function judge(suites: readonly SuiteBodies[]): Promise<void> {
  // Loaded here: the validator is heavy, and only the teardown (or a lone suite) needs it.
  const { checkContract } = await import("../../src/contract/validate");
  const problems: string[] = [];
  for (const { suite, resources } of suites) {
    const report = await checkContract(resources);
    for (const v of report.violations)
      problems.push(`  ${suite}: ${v.type} "${v.resource}" ${v.path}: ${v.rule}: ${v.message}`);
  }
  if (problems.length > 0)
    throw new Error(`request bodies ARM would reject:\n${problems.join("\n")}`);
}
