/**
 * A reference to an image that consumers bind to: the active version for production, the staged
 * one for validation. A `GlobalImage` is one; `image.handle()` makes one that can be exported as a
 * stack output, and `ImageHandle.fromStack` rebuilds it in another stack (one image stack, many
 * customer stacks).
 */
import * as pulumi from "@pulumi/pulumi";
import { GlobalImageError } from "../domain/common/errors";
import { ImageSnapshot, readSnapshot } from "../domain/images/snapshot";
import { knownNames, knownVersionIds, rememberNames, rememberVersionIds } from "./knownNames";

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
  /** The ARM id of every version, by version name. */
  readonly versionIds?: pulumi.Input<{ [version: string]: string }>;
  /** The image as plain values: what an ImageReplica of it plans from. */
  readonly snapshot?: pulumi.Input<ImageSnapshot | undefined>;
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
  readonly versionIds: pulumi.Output<{ [version: string]: string }>;
  readonly snapshot: pulumi.Output<ImageSnapshot | undefined>;

  constructor(binding: ImageBinding) {
    this.imageName = pulumi.output(binding.imageName);
    this.imageDefinitionId = pulumi.output(binding.imageDefinitionId);
    this.activeVersion = pulumi.output(binding.activeVersion);
    this.activeVersionId = pulumi.output(binding.activeVersionId);
    this.stagedVersion = pulumi.output(binding.stagedVersion);
    this.stagedVersionId = pulumi.output(binding.stagedVersionId);
    this.regions = pulumi.output(binding.regions ?? []);
    this.versionIds = pulumi.output(binding.versionIds ?? {});
    this.snapshot = pulumi.output(binding.snapshot) as unknown as pulumi.Output<
      ImageSnapshot | undefined
    >;
    const names = knownNames(binding);
    if (names) rememberNames(this, names);
    const ids = knownVersionIds(binding);
    if (ids) rememberVersionIds(this, ids);
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
      versionIds: field<{ [version: string]: string }>("versionIds"),
      snapshot: field<ImageSnapshot | undefined>("snapshot"),
    });
  }

  /**
   * Like {@link fromStack}, but reads the output first, so the handle's names, roles and
   * versions are known when the program declares what uses it: what an `ImageReplica` of an
   * image in another stack needs (`source: await ImageHandle.fromStackAsync(ref, "images.win11")`).
   * Fails, naming the output and the fix, when the output is missing or not a current handle.
   */
  static async fromStackAsync(
    stack: pulumi.StackReference,
    outputName: string,
  ): Promise<ImageHandle> {
    const [head, ...path] = outputName.split(".");
    const [stackName, details] = await Promise.all([
      new Promise<string>((resolve) => stack.name.apply(resolve)),
      stack.getOutputDetails(head),
    ]);
    const root = details.value ?? details.secretValue;
    const raw = path.reduce<unknown>(
      (v, key) => (v as Record<string, unknown> | undefined)?.[key],
      root,
    );
    const read = (key: keyof ImageBinding) => readHandleField(raw, key, stackName, outputName);
    const fix = `Run \`pulumi up\` on "${stackName}" with this version of global-image (its handle "${outputName}" then carries the image's snapshot), then run this stack again.`;
    const rawSnapshot = read("snapshot");
    if (typeof rawSnapshot !== "object" || rawSnapshot === null) {
      throw new GlobalImageError(
        `${outputName}.snapshot`,
        `Stack output "${outputName}" of "${stackName}" has no image snapshot: that stack was last deployed with an older global-image. ${fix}`,
      );
    }
    const snapshot = readSnapshot(rawSnapshot, `${outputName}.snapshot`, fix);
    const versionIds = (read("versionIds") ?? {}) as Record<string, unknown>;
    const withIds: ImageSnapshot = {
      ...snapshot,
      versions: Object.fromEntries(
        Object.entries(snapshot.versions).map(([v, data]) => [
          v,
          typeof versionIds[v] === "string" ? { ...data, id: versionIds[v] } : data,
        ]),
      ),
    };
    const handle = new ImageHandle({
      imageName: read("imageName") as string,
      imageDefinitionId: read("imageDefinitionId") as string,
      activeVersion: read("activeVersion") as string,
      activeVersionId: read("activeVersionId") as string,
      stagedVersion: read("stagedVersion") as string | undefined,
      stagedVersionId: read("stagedVersionId") as string | undefined,
      regions: read("regions") as string[],
      versionIds: versionIds as Record<string, string>,
      snapshot: withIds,
    });
    rememberNames(handle, {
      imageName: snapshot.imageName,
      activeVersion: snapshot.activeVersion,
      stagedVersion: snapshot.stagedVersion,
      regions: read("regions") as string[],
      snapshot: withIds,
    });
    return handle;
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
