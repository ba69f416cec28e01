/**
 * The names of an image declared in this program (a `GlobalImage`, or a handle made from one),
 * known when it is declared. Consumers send them to the engine as plain values: each Output a
 * consumer passes costs a resolution per registration, and a fleet has thousands of consumers.
 * An image read from another stack has no known names; its consumers use its Outputs.
 */

/** An image's names, as its plan settled them. */
export interface KnownNames {
  readonly imageName: string;
  readonly activeVersion: string;
  /** Undefined when nothing is staged. */
  readonly stagedVersion?: string;
  /** The regions the active version is replicated to. */
  readonly regions: readonly string[];
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
