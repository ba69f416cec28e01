/**
 * The rollout part of `global-image status`: where each pool's session hosts stand, read from
 * the stack's outputs of the last `pulumi up` (`pulumi stack output --json > outputs.json`, the
 * root program exports each pool's `rollout`), since a rollout's state lives in Azure, not in
 * the stack config.
 */
import { printable } from "../domain/text";
import type { RolloutStatus } from "../consumers/rolloutDeclare";
import { readJson } from "./files";
import { CliError } from "./io";

/** Per host pool key, its rollout (pools without session hosts are left out). */
export type RolloutsByPool = Record<string, RolloutStatus>;

/** The rollouts in a `pulumi stack output --json` file (`hostPools.<key>.rollout`). */
export function readRollouts(cwd: string, file: string): RolloutsByPool {
  const outputs = readJson(cwd, file, "--outputs") as { hostPools?: unknown } | null;
  if (outputs === null || typeof outputs !== "object" || Array.isArray(outputs))
    throw new CliError(`--outputs ${file}: must be the JSON of \`pulumi stack output --json\``);
  const pools = (outputs.hostPools ?? {}) as Record<string, { rollout?: unknown }>;
  const found: RolloutsByPool = {};
  for (const [key, pool] of Object.entries(pools)) {
    const rollout = pool?.rollout as RolloutStatus | undefined;
    if (rollout && typeof rollout === "object" && Array.isArray(rollout.hosts))
      found[key] = rollout;
  }
  return found;
}

/** Lines describing one pool's rollout: its state, then each host not yet done. */
export function rolloutLines(rollout: RolloutStatus): string[] {
  const state = rollout.halted
    ? `HALTED: ${rollout.halted}`
    : rollout.done
      ? `done: every host runs ${rollout.target}`
      : `rolling to ${rollout.target}: ${rollout.summary}`;
  const lines = [`    rollout ${printable(state)}`];
  for (const h of rollout.hosts) {
    if (rollout.done) break;
    const open = h.allowNewSession ? "open" : "drained";
    lines.push(
      `      ${printable(h.name).padEnd(16)} ${printable(h.version).padEnd(12)} ${open.padEnd(8)} ${h.action}`,
    );
  }
  return lines;
}
