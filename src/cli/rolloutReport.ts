/**
 * The rollout part of `global-image status`: where each pool's session hosts stand, read from
 * the stack's outputs of the last `pulumi up` (`pulumi stack output --json > outputs.json`, the
 * root program exports each pool's `rollout`), since a rollout's state lives in Azure, not in
 * the stack config. The file is read strictly: an entry that is not a rollout is an error naming
 * its path, never a crash and never silently left out (a `halted` reason included).
 */
import { printable } from "../domain/common/text";
import type { RolloutHostStatus, RolloutStatus } from "../consumers/rolloutDeclare";
import { RolloutSettingsSummary } from "../domain/hostPools/rolloutSettings";
import { readJson } from "./files";
import { CliError } from "./io";

/** Per host pool key, its rollout (pools without session hosts are left out). */
export type RolloutsByPool = Record<string, RolloutStatus>;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The rollouts in a `pulumi stack output --json` file (`hostPools.<key>.rollout`). */
export function readRollouts(cwd: string, file: string): RolloutsByPool {
  const outputs = readJson(cwd, file, "--outputs");
  if (!isObject(outputs))
    throw new CliError(`--outputs ${file}: must be the JSON of \`pulumi stack output --json\``);
  const bad = (at: string, problem: string) =>
    new CliError(
      `--outputs ${file}: ${at} ${problem}; write the file with \`pulumi stack output --json\` after the last up`,
    );
  const pools = outputs.hostPools ?? {};
  if (!isObject(pools)) throw bad("hostPools", "must be an object (pool key → its outputs)");
  const found: RolloutsByPool = {};
  for (const [key, pool] of Object.entries(pools)) {
    const at = `hostPools.${printable(key)}`;
    if (!isObject(pool)) throw bad(at, "must be an object");
    // A pool without session hosts exports no rollout.
    if (pool.rollout === undefined || pool.rollout === null) continue;
    found[key] = readRollout(pool.rollout, `${at}.rollout`, bad);
  }
  return found;
}

function readRollout(
  raw: unknown,
  at: string,
  bad: (at: string, problem: string) => CliError,
): RolloutStatus {
  if (!isObject(raw)) throw bad(at, "must be an object");
  const text = (obj: Json, key: string, path: string): string => {
    if (typeof obj[key] !== "string") throw bad(`${path}.${key}`, "must be a string");
    return obj[key] as string;
  };
  const flag = (obj: Json, key: string, path: string): boolean => {
    if (typeof obj[key] !== "boolean") throw bad(`${path}.${key}`, "must be true or false");
    return obj[key] as boolean;
  };
  if (!Array.isArray(raw.hosts)) throw bad(`${at}.hosts`, "must be a list of hosts");
  const hosts: RolloutHostStatus[] = raw.hosts.map((h: unknown, i: number) => {
    const path = `${at}.hosts[${i}]`;
    if (!isObject(h)) throw bad(path, "must be an object");
    return {
      name: text(h, "name", path),
      version: text(h, "version", path),
      allowNewSession: flag(h, "allowNewSession", path),
      action: text(h, "action", path),
    };
  });
  const halted = raw.halted;
  if (halted !== undefined && halted !== null && typeof halted !== "string")
    throw bad(`${at}.halted`, "must be a string");
  const unmanaged = raw.unmanaged ?? [];
  if (!Array.isArray(unmanaged)) throw bad(`${at}.unmanaged`, "must be a list");
  const others = unmanaged.map((u: unknown, i: number) => {
    const path = `${at}.unmanaged[${i}]`;
    if (!isObject(u)) throw bad(path, "must be an object");
    return { name: text(u, "name", path), reason: text(u, "reason", path) };
  });
  return {
    target: text(raw, "target", at),
    done: flag(raw, "done", at),
    ...(typeof halted === "string" ? { halted } : {}),
    summary: text(raw, "summary", at),
    hosts,
    ...(others.length > 0 ? { unmanaged: others } : {}),
    ...(raw.settings === undefined || raw.settings === null
      ? {}
      : { settings: readSettings(raw.settings, `${at}.settings`, bad) }),
  };
}

/** A rollout's resolved settings (outputs of an older version of the package have none). */
function readSettings(
  raw: unknown,
  at: string,
  bad: (at: string, problem: string) => CliError,
): RolloutSettingsSummary {
  if (!isObject(raw)) throw bad(at, "must be an object");
  const count = (key: string): number => {
    const value = raw[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
      throw bad(`${at}.${key}`, "must be a whole number");
    return value;
  };
  if (typeof raw.surge !== "boolean") throw bad(`${at}.surge`, "must be true or false");
  return {
    hosts: count("hosts"),
    batchHosts: count("batchHosts"),
    drainGraceMinutes: count("drainGraceMinutes"),
    surge: raw.surge,
    maxFailedHosts: count("maxFailedHosts"),
  };
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
  // Azure shows them in the pool, the program does not manage them: said every time, never acted on.
  for (const u of rollout.unmanaged ?? [])
    lines.push(`      left alone: ${printable(u.name)}: ${printable(u.reason)}`);
  return lines;
}
