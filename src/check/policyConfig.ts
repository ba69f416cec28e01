/**
 * The policy pack's config file (`--policy-pack-config`), validated as the Pulumi CLI validates it
 * against each policy's `configSchema` (with its defaults applied), and stricter where a silent
 * default would fail open: unknown policy names and unknown keys are errors. Found the same way by
 * every command, so `status`, `promote`, `verify` and `check` give one verdict.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { Policies } from "@pulumi/policy";
import { didYouMean } from "../domain/common/suggest";

/** Policy name → `{ enforcementLevel?, ...knobs }`, defaults applied. */
export type PolicyConfig = Record<string, Record<string, unknown>>;

/** The enforcement levels the Pulumi CLI accepts. */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;

/** The file name the README's deploy commands use, looked for in the project directory. */
export const DEFAULT_POLICY_CONFIG = "policy-config.json";

/** A config error: exit 2, naming the file and the key. */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

/**
 * Validates `raw` (the parsed file) for `policies`; `file` names it in errors. Accepts the CLI's
 * forms: `"name": "<level>"`, `"name": { "enforcementLevel"?, ...knobs }` and `"all"`.
 */
export function validatePolicyConfig(raw: unknown, policies: Policies, file: string): PolicyConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new PolicyConfigError(`${file}: must be a JSON object of policy name to settings`);
  const names = policies.map((p) => p.name);
  const entries = Object.entries(raw as Record<string, unknown>);
  const all = (raw as Record<string, unknown>).all;
  const allLevel =
    all === undefined
      ? undefined
      : level(file, "all", typeof all === "string" ? all : onlyLevel(file, all));
  const result: PolicyConfig = {};
  for (const [name] of entries) {
    if (name === "all") continue;
    if (!names.includes(name))
      throw new PolicyConfigError(
        `${file}: "${name}" is not a policy of this pack.${didYouMean(name, names)} Policies: ${names.join(", ")}`,
      );
  }
  for (const policy of policies) {
    const given = (raw as Record<string, unknown>)[policy.name];
    const settings: Record<string, unknown> =
      typeof given === "string"
        ? { enforcementLevel: given }
        : given === undefined
          ? {}
          : structuredCopy(given, file, policy.name);
    const validate = validatorOf(policy);
    if (!validate(settings))
      throw new PolicyConfigError(
        describe(
          file,
          policy.name,
          validate.errors?.[0],
          Object.keys(policy.configSchema?.properties ?? {}),
        ),
      );
    if (settings.enforcementLevel === undefined && allLevel !== undefined)
      settings.enforcementLevel = allLevel;
    result[policy.name] = settings;
  }
  return result;
}

const ajv = new Ajv({ allErrors: false, useDefaults: true, strict: false, verbose: true });
const validators = new WeakMap<Policies[number], ValidateFunction>();

/** The policy's settings schema (its configSchema, enforcementLevel, nothing else), compiled once. */
function validatorOf(policy: Policies[number]): ValidateFunction {
  let validate = validators.get(policy);
  if (!validate) {
    const schema = policy.configSchema ?? { properties: {} };
    validate = ajv.compile({
      type: "object",
      properties: { ...schema.properties, enforcementLevel: { enum: [...ENFORCEMENT_LEVELS] } },
      required: schema.required ?? [],
      additionalProperties: false,
    });
    validators.set(policy, validate);
  }
  return validate;
}

/** Reads and validates a policy config file (`shown` is how the user named it). */
export function readPolicyConfig(file: string, shown: string, policies: Policies): PolicyConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new PolicyConfigError(
      `${shown}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PolicyConfigError(`${shown}: not valid JSON (${(err as Error).message})`);
  }
  return validatePolicyConfig(raw, policies, shown);
}

/**
 * Which policy config file a command uses: `--policy-config`; else the stack's
 * `global-image:policyConfig` (relative to the project); else `policy-config.json` in the project
 * directory when it exists; else none (every default). Returns the path and how to name it.
 */
export function findPolicyConfig(
  cwd: string,
  flag: string | undefined,
  projectDir: string | undefined,
  setting: string | undefined,
): { file: string; shown: string } | undefined {
  if (flag !== undefined) return { file: path.resolve(cwd, flag), shown: flag };
  if (projectDir !== undefined && setting !== undefined)
    return {
      file: path.resolve(projectDir, setting),
      shown: `${setting} (global-image:policyConfig)`,
    };
  const dir = projectDir ?? cwd;
  const found = path.join(dir, DEFAULT_POLICY_CONFIG);
  return fs.existsSync(found)
    ? { file: found, shown: path.relative(cwd, found) || found }
    : undefined;
}

function level(file: string, at: string, value: unknown): string {
  if (typeof value !== "string" || !(ENFORCEMENT_LEVELS as readonly string[]).includes(value))
    throw new PolicyConfigError(
      `${file}: "${at}" enforcement level ${JSON.stringify(value)} is not one of ${ENFORCEMENT_LEVELS.join(", ")}.${typeof value === "string" ? didYouMean(value, ENFORCEMENT_LEVELS) : ""}`,
    );
  return value;
}

function onlyLevel(file: string, value: unknown): unknown {
  if (
    typeof value !== "object" ||
    value === null ||
    Object.keys(value).some((k) => k !== "enforcementLevel")
  )
    throw new PolicyConfigError(
      `${file}: "all" must be an enforcement level or { "enforcementLevel": ... }`,
    );
  return (value as { enforcementLevel?: unknown }).enforcementLevel;
}

function structuredCopy(value: unknown, file: string, name: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new PolicyConfigError(
      `${file}: "${name}" must be an enforcement level or an object of settings`,
    );
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

function describe(
  file: string,
  policy: string,
  error: ErrorObject | undefined,
  knobs: string[],
): string {
  if (!error) return `${file}: "${policy}" is not valid`;
  const at = `${policy}${error.instancePath.replace(/\//g, ".")}`;
  if (error.keyword === "additionalProperties") {
    const key = String(error.params.additionalProperty);
    return `${file}: "${at}.${key}" is not a setting of ${policy}.${didYouMean(key, [...knobs, "enforcementLevel"])} Settings: enforcementLevel${knobs.length ? `, ${knobs.join(", ")}` : ""}`;
  }
  if (error.keyword === "enum" && error.instancePath === "/enforcementLevel")
    return `${file}: "${at}" must be one of ${ENFORCEMENT_LEVELS.join(", ")}.${typeof error.data === "string" ? didYouMean(error.data, ENFORCEMENT_LEVELS) : ""}`;
  return `${file}: "${at}" ${error.message ?? "is not valid"} (received ${JSON.stringify(error.data)})`;
}
