/**
 * The inputs the engine, and so a policy pack, sees for a GlobalImage. The component's children
 * wait for the component to register, and it registers only once its inputs resolve: a staged
 * version's source that is still being built (or fails) elsewhere in the program must not hold up
 * the active version. So each version's source is reduced to its kind and, when it is a plain
 * string, its id; tag values that are not plain strings are left out. The evidence of every
 * version, inline or read from `evidenceDir`, is included in full.
 */
import * as pulumi from "@pulumi/pulumi";
import { ImagePlan } from "../domain/images/validate";
import { Evidence } from "../evidence/evidence";
import { GlobalImageArgs, ImageVersionArgs } from "./args";

export function componentInputs(
  args: GlobalImageArgs,
  plan: ImagePlan,
  evidence: Record<string, Evidence>,
): pulumi.Inputs {
  const versions: Record<string, unknown> = {};
  for (const version of plan.versions) {
    const own: ImageVersionArgs = args.versions[version.version];
    const value = own.source[version.sourceKind];
    versions[version.version] = {
      ...own,
      source:
        version.build !== undefined
          ? { imageBuilder: { recipeSha256: version.build.recipeSha256 } }
          : typeof value === "string"
            ? { [version.sourceKind]: value }
            : {},
      sourceKind: version.sourceKind,
      tags: plainOnly(own.tags),
    };
  }
  // The evidence as the policy pack judges it: inline documents and files alike.
  return { ...args, versions, tags: plainOnly(args.tags), evidence };
}

export function plainOnly(
  tags: Record<string, pulumi.Input<string>> | undefined,
): Record<string, string> | undefined {
  if (tags === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(tags).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/** The variable with which the Pulumi Node SDK sends no inputs of local components. */
export const SKIP_COMPONENT_INPUTS = "PULUMI_NODEJS_SKIP_COMPONENT_INPUTS";

/**
 * Warns when the SDK will not send this component's inputs: the policy pack reads them (the
 * evidence and roles of a GlobalImage, the binding of an ImageHostPool).
 */
export function warnIfInputsSkipped(resource: pulumi.Resource, kind: string, name: string): void {
  if (!process.env[SKIP_COMPONENT_INPUTS]) return;
  void pulumi.log.warn(
    `${kind} "${name}": ${SKIP_COMPONENT_INPUTS} is set, so the engine and the global-image policy pack see none of its inputs (the pack then blocks a GlobalImage's activation). Unset it.`,
    resource,
  );
}
