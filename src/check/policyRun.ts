/**
 * Runs the policy pack's policies over resources registered under the mock runtime, the way the
 * Pulumi engine would hand them to the pack: properties with secrets unwrapped, unknowns as the
 * policy SDK's sentinels behind its unknown-checking proxy, parents linked, config per policy.
 * Used by the tests and by the offline `check`.
 */
import * as pulumi from "@pulumi/pulumi";
import { plainData } from "../mocks/secrets";
import {
  Policies,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
  UnknownValueError,
  unknownCheckingProxy,
} from "@pulumi/policy";

/** A resource as registered with the engine. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly inputs: Record<string, unknown>;
  readonly protect?: boolean;
  readonly parentUrn?: string;
  /** False for component resources (logical groupings the cloud never sees). */
  readonly custom?: boolean;
  /** The `replaceOnChanges` resource option: input paths whose change replaces it. */
  readonly replaceOnChanges?: string[];
}

/** One violation reported by a policy. */
export interface PolicyViolation {
  readonly policy: string;
  readonly enforcementLevel: string;
  readonly message: string;
  readonly urn?: string;
}

/** Policy name → `{ enforcementLevel?, ...knobs }`: the `--policy-pack-config` file's shape. */
export type PolicyConfig = Record<string, Record<string, unknown>>;

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Plain data as the policy SDK deserializes it: secrets unwrapped, unknowns as sentinels. */
function engineValue(value: unknown): unknown {
  return plainData(value, (v) =>
    pulumi.isUnknown(v) || (v as { __pulumiUnknown?: boolean } | null)?.__pulumiUnknown === true
      ? UNKNOWN
      : undefined,
  );
}

/** The resources as a stack policy sees them, parents linked. */
export function toPolicyResources(registered: readonly RegisteredResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource & { parent?: PolicyResource }>();
  for (const r of registered) {
    const props = unknownCheckingProxy(engineValue(r.inputs) as Record<string, unknown>) as Record<
      string,
      unknown
    >;
    byUrn.set(r.urn, {
      type: r.type,
      name: r.name,
      urn: r.urn,
      props,
      opts: {
        protect: r.protect === true,
        ignoreChanges: [],
        aliases: [],
        additionalSecretOutputs: [],
      },
      dependencies: [],
      propertyDependencies: {},
      isType: (cls: { __pulumiType?: string }) => cls.__pulumiType === r.type,
      asType: (cls: { __pulumiType?: string }) => (cls.__pulumiType === r.type ? props : undefined),
    } as unknown as PolicyResource);
  }
  for (const r of registered) {
    if (r.parentUrn) byUrn.get(r.urn)!.parent = byUrn.get(r.parentUrn);
  }
  return [...byUrn.values()];
}

/** Runs every policy (not `disabled` by config) and returns the violations, in policy order. */
export async function runPolicies(
  policies: Policies,
  resources: readonly PolicyResource[],
  config: PolicyConfig = {},
): Promise<PolicyViolation[]> {
  const violations: PolicyViolation[] = [];
  for (const policy of policies) {
    const { enforcementLevel = policy.enforcementLevel ?? "advisory", ...knobs } =
      config[policy.name] ?? {};
    const level = String(enforcementLevel);
    if (level === "disabled") continue;
    const report: ReportViolation = (message, urn) =>
      violations.push({ policy: policy.name, enforcementLevel: level, message, urn });
    const common: Common = {
      getConfig: <T extends object>() => knobs as T,
      stackTags: new Map<string, string>(),
      notApplicable: (reason?: string): never => {
        throw new NotApplicable(reason);
      },
    };
    try {
      if ("validateStack" in policy) {
        await runStackPolicy(policy as StackValidationPolicy, resources, common, report);
      } else {
        await runResourcePolicy(policy as ResourceValidationPolicy, resources, common, report);
      }
    } catch (err) {
      if (err instanceof NotApplicable) continue;
      if (!(err instanceof UnknownValueError)) throw err;
      // What the SDK does: the policy is skipped with an advisory note.
      violations.push({
        policy: policy.name,
        enforcementLevel: "advisory",
        message: `can't run policy during preview: ${(err as Error).message}`,
      });
    }
  }
  return violations;
}

type Common = {
  getConfig: <T extends object>() => T;
  stackTags: Map<string, string>;
  notApplicable: (reason?: string) => never;
};

async function runStackPolicy(
  policy: StackValidationPolicy,
  resources: readonly PolicyResource[],
  common: Common,
  report: ReportViolation,
): Promise<void> {
  if (policy.validateStack)
    await policy.validateStack({ ...common, resources: [...resources] }, report);
}

async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  resources: readonly PolicyResource[],
  common: Common,
  report: ReportViolation,
): Promise<void> {
  const validate = policy.validateResource;
  const validations = validate === undefined ? [] : Array.isArray(validate) ? validate : [validate];
  for (const r of resources) {
    const args = {
      ...common,
      type: r.type,
      props: r.props,
      urn: r.urn,
      name: r.name,
      opts: r.opts,
    } as unknown as ResourceValidationArgs;
    args.isType = r.isType;
    args.asType = r.asType as ResourceValidationArgs["asType"];
    for (const v of validations) {
      try {
        const pending = v(args, (message, urn) => report(message, urn ?? r.urn));
        if (pending instanceof Promise) await pending; // most validators are synchronous
      } catch (err) {
        if (!(err instanceof NotApplicable)) throw err;
      }
    }
  }
}

class NotApplicable extends Error {}
