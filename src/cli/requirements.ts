/**
 * Evidence requirements for `verify`, `status` and `promote`: from the same policy config file
 * `check` and the pack use (found by `findPolicyConfig`), validated the same way, overridden by
 * flags.
 */
import { policies } from "../../policies/policies";
import {
  ACTIVATION_DEFAULTS,
  ActivationConfig,
} from "../../policies/imageActivationRequiresPassingTests";
import {
  PolicyConfig,
  PolicyConfigError,
  findPolicyConfig,
  readPolicyConfig,
} from "../check/policyConfig";
import { KeyError, trustedKeyPem } from "../evidence/keys";
import { EvidenceTrust, TrustedIdentity, loadTrust } from "../evidence/trust";
import { keyIdOf } from "../evidence/signature";
import { CONFIG_NAMESPACE } from "../program/configFields";
import { CliError } from "./io";
import type { Project } from "./project";

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
  readonly trustedIdentities: TrustedIdentity[];
  readonly trustedRoot?: object;
  readonly maxEvidenceAgeDays: number;
  readonly exemptVersions: Record<string, string[]>;
}

/** The validated policy config a command uses, and the file it came from (if any). */
export interface PolicySettings {
  readonly config: PolicyConfig;
  /** How the file is named to the user; undefined when none was found (every default). */
  readonly file?: string;
}

/** Finds and validates the policy config (see `findPolicyConfig`); errors exit 2. */
export function policySettings(
  cwd: string,
  flag: string | undefined,
  project?: Project,
): PolicySettings {
  const setting = project?.config[`${CONFIG_NAMESPACE}:policyConfig`];
  const found = findPolicyConfig(cwd, flag, project?.dir, setting);
  if (!found) return { config: {} };
  try {
    return { config: readPolicyConfig(found.file, found.shown, policies), file: found.shown };
  } catch (err) {
    if (err instanceof PolicyConfigError) throw new CliError(`--policy-config ${err.message}`);
    throw err;
  }
}

/** The activation policy's requirements from `settings`, flags winning. */
export function requirementsFrom(
  settings: PolicySettings,
  flags: RequirementFlags,
  cwd: string,
): Requirements {
  const knobs = {
    ...ACTIVATION_DEFAULTS,
    ...(settings.config[POLICY] as Partial<ActivationConfig> | undefined),
  };
  const requiredTests =
    flags.required !== undefined
      ? flags.required
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean)
      : knobs.requiredTests;
  let trust: EvidenceTrust;
  try {
    trust = loadTrust(knobs, cwd, `${settings.file ?? "policy config"}: ${POLICY}.`);
    for (const value of flags.trustedKey ?? []) {
      const pem = trustedKeyPem(value, cwd, "--trusted-key");
      trust.trustedKeys[keyIdOf(pem)] = pem;
    }
  } catch (err) {
    if (err instanceof KeyError) throw new CliError(err.message);
    throw err;
  }
  return {
    requiredTests,
    ...trust,
    maxEvidenceAgeDays:
      flags.maxAgeDays !== undefined ? days(flags.maxAgeDays) : knobs.maxEvidenceAgeDays,
    exemptVersions: knobs.exemptVersions,
  };
}

function days(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n < 0)
    throw new CliError(`--max-age-days ${text}: must be a whole number of days (0 = any age)`);
  return n;
}
