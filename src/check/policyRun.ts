/**
 * Runs the policy pack's policies over resources registered under the mock runtime, the way the
 * Pulumi engine would hand them to the pack: resource policies get each resource's inputs (as
 * Analyze does), stack policies its outputs (as AnalyzeStack does; see engineView.ts), with
 * secrets unwrapped, unknowns as the policy SDK's sentinels behind its unknown-checking proxy,
 * parents and dependencies linked, config per policy. Used by the tests and by the offline `check`.
 */
import * as pulumi from "@pulumi/pulumi";
import { plainData } from "../mocks/secrets";
import { EngineMode, UNKNOWN, providerOutputs } from "./engineView";
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
  /**
   * What the engine records as its outputs: a component's `registerOutputs`, a provider
   * resource's answered properties (filtered to its declared outputs by {@link engineView}).
   */
  readonly outputs?: Record<string, unknown>;
  /** The URNs it depends on (`dependsOn` and the resources behind its input Outputs). */
  readonly dependencies?: string[];
  /** By input property, the URNs its value came from. */
  readonly propertyDependencies?: Record<string, string[]>;
}

/** The resources as the engine hands them to a policy pack: inputs to Analyze, outputs to AnalyzeStack. */
export interface PolicyView {
  readonly inputs: PolicyResource[];
  readonly outputs: PolicyResource[];
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

/** Plain data as the policy SDK deserializes it: secrets unwrapped, unknowns as sentinels. */
function engineValue(value: unknown): unknown {
  return plainData(value, (v) =>
    pulumi.isUnknown(v) || (v as { __pulumiUnknown?: boolean } | null)?.__pulumiUnknown === true
      ? UNKNOWN
      : undefined,
  );
}

/**
 * The engine's view of what a program registered in `mode`: inputs for resource policies, outputs
 * for stack policies (components: what they registered, nothing when they registered nothing;
 * provider resources: their declared outputs).
 */
export function engineView(
  registered: readonly RegisteredResource[],
  mode: EngineMode = "update",
): PolicyView {
  return {
    inputs: toPolicyResources(registered, "inputs"),
    outputs: toPolicyResources(
      registered.map((r) => ({
        ...r,
        outputs:
          r.custom === false
            ? (r.outputs ?? {})
            : providerOutputs(r.type, r.inputs, r.outputs ?? r.inputs, mode),
      })),
      "outputs",
    ),
  };
}

/** The resources as a policy sees them (their inputs or their outputs), parents and dependencies linked. */
export function toPolicyResources(
  registered: readonly RegisteredResource[],
  props: "inputs" | "outputs" = "inputs",
): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource & { parent?: PolicyResource }>();
  for (const r of registered) {
    const values = props === "inputs" ? r.inputs : (r.outputs ?? {});
    const proxied = unknownCheckingProxy(engineValue(values) as Record<string, unknown>) as Record<
      string,
      unknown
    >;
    byUrn.set(r.urn, {
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: proxied,
      opts: {
        protect: r.protect === true,
        ignoreChanges: [],
        aliases: [],
        additionalSecretOutputs: [],
      },
      dependencies: [],
      propertyDependencies: {},
      isType: (cls: { __pulumiType?: string }) => cls.__pulumiType === r.type,
      asType: (cls: { __pulumiType?: string }) =>
        cls.__pulumiType === r.type ? proxied : undefined,
    } as unknown as PolicyResource);
  }
  const linked = (urns: readonly string[] | undefined) =>
    (urns ?? []).flatMap((u) => byUrn.get(u) ?? []);
  for (const r of registered) {
    const resource = byUrn.get(r.urn)! as {
      -readonly [K in keyof PolicyResource]: PolicyResource[K];
    };
    if (r.parentUrn) resource.parent = byUrn.get(r.parentUrn);
    resource.dependencies = linked(r.dependencies);
    resource.propertyDependencies = Object.fromEntries(
      Object.entries(r.propertyDependencies ?? {}).map(([k, urns]) => [k, linked(urns)]),
    );
  }
  return [...byUrn.values()];
}

/** Runs every policy (not `disabled` by config) and returns the violations, in policy order. */
export async function runPolicies(
  policies: Policies,
  view: PolicyView,
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
        await runStackPolicy(policy as StackValidationPolicy, view.outputs, common, report);
      } else {
        await runResourcePolicy(policy as ResourceValidationPolicy, view.inputs, common, report);
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
