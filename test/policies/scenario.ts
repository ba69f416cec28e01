/**
 * Policy scenarios: build a stack from the real components under the mocks, hand what was
 * registered to the real policies as the engine would, and return the violations.
 */
import * as pulumi from "@pulumi/pulumi";
import { Recorder, settle } from "../helpers/mocks";
import {
  PolicyConfig,
  PolicyViolation,
  RegisteredResource,
  engineView,
  runPolicies,
} from "../../src/check/policyRun";
import { policies } from "../../policies/policies";

/** Runs `declare` (which creates resources), waits for registrations, runs the pack. */
export async function violationsOf(
  recorder: Recorder,
  declare: () => pulumi.Output<unknown> | void,
  config: PolicyConfig = {},
  edit?: (resources: RegisteredResource[]) => void,
): Promise<PolicyViolation[]> {
  recorder.reset();
  const ready = declare();
  if (ready) await new Promise((resolve) => ready.apply(resolve));
  for (let i = 0; i < 4; i++) await settle();
  const resources = JSON.parse(JSON.stringify(recorder.engineResources())) as RegisteredResource[];
  edit?.(resources);
  return runPolicies(policies, engineView(resources), config);
}

/** The violations of one policy, messages only. */
export function messagesOf(violations: readonly PolicyViolation[], policy: string): string[] {
  return violations.filter((v) => v.policy === policy).map((v) => v.message);
}

/**
 * Changes a provider resource as drift or a hand edit would: what Analyze gets (its inputs) and
 * what AnalyzeStack gets (the provider's answer) alike.
 */
export function onBothSides(resource: RegisteredResource, change: (props: any) => void): void {
  change(resource.inputs);
  if (resource.outputs) change(resource.outputs);
}

/** The guardrails record a component registered (what the stack policies read), to change it. */
export function guardrailsOf(resources: RegisteredResource[], type: string, name?: string): any {
  const found = resources.find((r) => r.type === type && (name === undefined || r.name === name));
  if (!found?.outputs?.guardrails) throw new Error(`no ${type} with a guardrails output`);
  return found.outputs.guardrails;
}
