/**
 * A reference to an image that consumers bind to: the active version for production, the staged
 * one for validation. A `GlobalImage` is one; `image.handle()` makes one that can be exported as a
 * stack output, and `ImageHandle.fromStack` rebuilds it in another stack (one image stack, many
 * customer stacks).
 */
import * as pulumi from "@pulumi/pulumi";
import { GlobalImageError } from "../domain/errors";
import { knownNames, rememberNames } from "./knownNames";

/**
 * What a consumer needs of an image. `GlobalImage` and `ImageHandle` both satisfy it, so every
 * consumer accepts either; from YAML or another language, pass the image's outputs.
 */
export interface ImageBinding {
  /** The image definition's name. */
  readonly imageName: pulumi.Input<string>;
  /** The ARM id of the image definition. */
  readonly imageDefinitionId: pulumi.Input<string>;
  /** The version production uses. */
  readonly activeVersion: pulumi.Input<string>;
  /** The ARM id of the active version. */
  readonly activeVersionId: pulumi.Input<string>;
  /** The version under test, or undefined when nothing is staged. */
  readonly stagedVersion?: pulumi.Input<string | undefined>;
  /** The ARM id of the staged version, or undefined when nothing is staged. */
  readonly stagedVersionId?: pulumi.Input<string | undefined>;
  /** The regions the active version is replicated to. */
  readonly regions?: pulumi.Input<string[]>;
}

const REQUIRED = ["imageName", "imageDefinitionId", "activeVersion", "activeVersionId"] as const;

/** An exportable, rebuildable reference to an image's active and staged versions. */
export class ImageHandle implements ImageBinding {
  readonly imageName: pulumi.Output<string>;
  readonly imageDefinitionId: pulumi.Output<string>;
  readonly activeVersion: pulumi.Output<string>;
  readonly activeVersionId: pulumi.Output<string>;
  readonly stagedVersion: pulumi.Output<string | undefined>;
  readonly stagedVersionId: pulumi.Output<string | undefined>;
  readonly regions: pulumi.Output<string[]>;

  constructor(binding: ImageBinding) {
    this.imageName = pulumi.output(binding.imageName);
    this.imageDefinitionId = pulumi.output(binding.imageDefinitionId);
    this.activeVersion = pulumi.output(binding.activeVersion);
    this.activeVersionId = pulumi.output(binding.activeVersionId);
    this.stagedVersion = pulumi.output(binding.stagedVersion);
    this.stagedVersionId = pulumi.output(binding.stagedVersionId);
    this.regions = pulumi.output(binding.regions ?? []);
    const names = knownNames(binding);
    if (names) rememberNames(this, names);
  }

  /** The binding itself when it is a handle, else a handle over its fields. */
  static from(binding: ImageBinding): ImageHandle {
    return binding instanceof ImageHandle ? binding : new ImageHandle(binding);
  }

  /**
   * The handle another stack exported (`export const win11 = image.handle()`), read through a
   * StackReference. `outputName` may be a dotted path into an output (`"images.win11"`, as the
   * root project exports them). Each field fails with a clear error if the output is missing or
   * not a handle.
   */
  static fromStack(stack: pulumi.StackReference, outputName: string): ImageHandle {
    const [head, ...path] = outputName.split(".");
    const nested = stack
      .getOutput(head)
      .apply((root: unknown) =>
        path.reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], root),
      );
    const value = pulumi.all([stack.name, nested]);
    const field = <T>(key: keyof ImageBinding): pulumi.Output<T> =>
      value.apply(([stackName, raw]) => readHandleField(raw, key, stackName, outputName) as T);
    return new ImageHandle({
      imageName: field<string>("imageName"),
      imageDefinitionId: field<string>("imageDefinitionId"),
      activeVersion: field<string>("activeVersion"),
      activeVersionId: field<string>("activeVersionId"),
      stagedVersion: field<string | undefined>("stagedVersion"),
      stagedVersionId: field<string | undefined>("stagedVersionId"),
      regions: field<string[]>("regions"),
    });
  }
}

/** One field of an exported handle, checked. */
export function readHandleField(
  raw: unknown,
  key: keyof ImageBinding,
  stack: string,
  output: string,
): unknown {
  const fix = `Export the image's handle from that stack: \`${exportStatement(output)}\`.`;
  if (typeof raw !== "object" || raw === null) {
    throw new GlobalImageError(
      output,
      `Stack output "${output}" of "${stack}" is not an image handle (received ${raw === undefined ? "nothing" : typeof raw}). ${fix}`,
    );
  }
  const value = (raw as Record<string, unknown>)[key];
  if (
    (REQUIRED as readonly string[]).includes(key) &&
    (typeof value !== "string" || value === "")
  ) {
    throw new GlobalImageError(
      `${output}.${key}`,
      `Stack output "${output}" of "${stack}" is not an image handle: "${key}" is missing. ${fix}`,
    );
  }
  if (key === "regions") return Array.isArray(value) ? value : [];
  return value ?? undefined;
}

/** Valid TypeScript that exports a handle as `output`: `images.win11` is a field of `images`. */
function exportStatement(output: string): string {
  const [first, ...rest] = output.split(".");
  const value = rest.reduceRight((inner, key) => {
    const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
    return `{ ${name}: ${inner} }`;
  }, "image.handle()");
  return `export const ${first} = ${value};`;
}
