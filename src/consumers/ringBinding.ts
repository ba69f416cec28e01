/**
 * The binding of a production consumer in an image ring: the version `ringVersion` allows the
 * ring now, decided from the image's plain snapshot (known when the consumer is declared) and the
 * clock, read once.
 */
import * as pulumi from "@pulumi/pulumi";
import { GlobalImageError } from "../domain/common/errors";
import { Ring } from "../domain/rings/ringSettings";
import { RingVersionResult, ringVersion } from "../domain/rings/rings";
import { ImageBinding } from "./imageHandle";
import { knownNames, knownVersionIds } from "./knownNames";
import { ConsumerBinding } from "./vmImageReference";

/**
 * A binding to a ring's version (sent to the engine: the policies read it). Only values that stay
 * the same from one run to the next until the ring moves: a `pulumi up` with nothing to do changes
 * nothing, not even the component's inputs.
 */
export interface RingBinding extends ConsumerBinding {
  readonly ring: string;
  /** The bound version's role at the image (a ring may run a backup). */
  readonly versionRole: string;
  /** When the ring's version changes next (stable between runs, unlike a reason sentence). */
  readonly nextChangeAt?: string;
  /**
   * What the ring decision was made from, for the policy in a stack that does not hold the image:
   * the rings, and the role and activation time of each kept version.
   */
  readonly ringSource: {
    readonly rings: Ring[];
    readonly roles: Record<string, string>;
    readonly activatedAt: Record<string, string>;
  };
}

/** The binding of a consumer in ring `ring` of `image` at `now`. */
export function ringBinding(image: ImageBinding, ring: string, now: string): RingBinding {
  const snapshot = knownNames(image)?.snapshot;
  if (snapshot === undefined) {
    throw new GlobalImageError(
      "ring",
      `"ring" needs the image's versions and rings when the consumer is declared, and they are not known (an ImageHandle.fromStack handle, or Outputs). Pass the GlobalImage or ImageReplica itself, or \`await ImageHandle.fromStackAsync(ref, "images.<key>")\`.`,
    );
  }
  const answer: RingVersionResult = ringVersion({
    rings: snapshot.rings,
    ring,
    versions: snapshot.versions,
    activeVersion: snapshot.activeVersion,
    now,
  });
  const { version } = answer;
  const id = knownVersionIds(image)?.[version] ?? snapshot.versions[version]?.id;
  return {
    imageName: snapshot.imageName,
    version,
    versionId:
      id === undefined
        ? pulumi.output(image.versionIds ?? {}).apply((ids) => {
            const found = (ids as Record<string, string>)[version];
            if (!found)
              throw new GlobalImageError(
                "ring",
                `The image exports no id for ${snapshot.imageName} ${version}, the version ring "${ring}" runs.`,
              );
            return found;
          })
        : pulumi.Output.isInstance<string>(id)
          ? id
          : pulumi.output(id),
    activeVersion: snapshot.activeVersion,
    stagedVersion: snapshot.stagedVersion,
    regions: [...(snapshot.versions[version]?.regions ?? [])],
    ring,
    versionRole: snapshot.versions[version]?.role ?? "active",
    ...(answer.nextChangeAt === undefined ? {} : { nextChangeAt: answer.nextChangeAt }),
    ringSource: {
      rings: snapshot.rings,
      roles: Object.fromEntries(Object.entries(snapshot.versions).map(([v, d]) => [v, d.role])),
      activatedAt: Object.fromEntries(
        Object.entries(snapshot.versions).flatMap(([v, d]) =>
          d.activatedAt === undefined ? [] : [[v, d.activatedAt]],
        ),
      ),
    },
  };
}
