/**
 * Evidence requirements for `verify` and `promote`: from the policy pack's config file (the same
 * file as `pulumi preview --policy-pack-config`), overridden by flags.
 */
import { keyIdOf } from "../evidence/signature";
import { readFile, readJson } from "./files";
import { CliError } from "./io";

const POLICY = "image-activation-requires-passing-tests";

export interface RequirementFlags {
  readonly policyConfig?: string;
  readonly required?: string;
  readonly trustedKey?: string[];
  readonly maxAgeDays?: string;
}

export interface Requirements {
  readonly requiredTests: string[];
  readonly trustedKeys: Record<string, string>;
  readonly maxEvidenceAgeDays: number;
  readonly exemptVersions: Record<string, string[]>;
}

export function requirementsFrom(flags: RequirementFlags, cwd: string): Requirements {
  const fromConfig = flags.policyConfig ? policyKnobs(flags.policyConfig, cwd) : {};
  const requiredTests =
    flags.required !== undefined
      ? flags.required
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean)
      : stringList(fromConfig.requiredTests, "requiredTests", flags.policyConfig);
  const trustedKeys: Record<string, string> = {
    ...(fromConfig.trustedKeys as Record<string, string> | undefined),
  };
  for (const file of flags.trustedKey ?? []) {
    const pem = readFile(cwd, file, "--trusted-key").toString("utf8");
    try {
      trustedKeys[keyIdOf(pem)] = pem;
    } catch (err) {
      throw new CliError(`--trusted-key ${file}: not a PEM public key (${(err as Error).message})`);
    }
  }
  const maxEvidenceAgeDays =
    flags.maxAgeDays !== undefined
      ? days(flags.maxAgeDays)
      : Number(fromConfig.maxEvidenceAgeDays ?? 0);
  return {
    requiredTests,
    trustedKeys,
    maxEvidenceAgeDays,
    exemptVersions: (fromConfig.exemptVersions as Record<string, string[]>) ?? {},
  };
}

function policyKnobs(file: string, cwd: string): Record<string, unknown> {
  const config = readJson(cwd, file, "--policy-config");
  if (typeof config !== "object" || config === null)
    throw new CliError(`--policy-config ${file}: must be a JSON object of policy name to settings`);
  return ((config as Record<string, unknown>)[POLICY] ?? {}) as Record<string, unknown>;
}

function stringList(value: unknown, knob: string, file: string | undefined): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new CliError(`--policy-config ${file}: "${POLICY}.${knob}" must be a list of test names`);
  }
  return value as string[];
}

function days(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new CliError(`--max-age-days ${text}: must be a whole number of days (0 = any age)`);
  return n;
}
