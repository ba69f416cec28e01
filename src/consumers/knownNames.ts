/**
 * The names of an image declared in this program (a `GlobalImage`, or a handle made from one),
 * known when it is declared. Consumers send them to the engine as plain values: each Output a
 * consumer passes costs a resolution per registration, and a fleet has thousands of consumers.
 * An image read from another stack with `ImageHandle.fromStack` has no known names; its consumers
 * use its Outputs (`ImageHandle.fromStackAsync` reads them first, so they are known).
 */
import type { Output } from "@pulumi/pulumi";
import type { ImageSnapshot } from "../domain/images/snapshot";

/** An image's names, as its plan settled them. */
export interface KnownNames {
  readonly imageName: string;
  readonly activeVersion: string;
  /** Undefined when nothing is staged. */
  readonly stagedVersion?: string;
  /**
   * The staged version is built by Image Builder and may not exist yet: staged consumers bind
   * through the image's outputs (the active version until the build succeeded).
   */
  readonly stagedPending?: boolean;
  /** The regions the active version is replicated to. */
  readonly regions: readonly string[];
  /** The whole image as plain values: what an ImageReplica of it plans from. */
  readonly snapshot?: ImageSnapshot;
}

// Kept beside the image, not on it: every property of a component class is a schema output.
const known = new WeakMap<object, KnownNames>();

/** Records the names of `image`, declared in this program. */
export function rememberNames(image: object, names: KnownNames): void {
  known.set(image, names);
}

/** The names of `image` when it was declared in this program, else undefined. */
export function knownNames(image: object): KnownNames | undefined {
  return known.get(image);
}

// The ids of an image's version resources, by version: a copy of one version depends on that
// version's resource only (a staged version still being created must not hold up the others).
const versionIds = new WeakMap<object, Readonly<Record<string, Output<string>>>>();

/** Records the id Output of each of `image`'s version resources. */
export function rememberVersionIds(image: object, ids: Readonly<Record<string, Output<string>>>) {
  versionIds.set(image, ids);
}

/** The id Output of each version resource of `image`, when it was declared in this program. */
export function knownVersionIds(
  image: object,
): Readonly<Record<string, Output<string>>> | undefined {
  return versionIds.get(image);
}
