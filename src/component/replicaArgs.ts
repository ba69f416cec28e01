import * as pulumi from "@pulumi/pulumi";
import type { ImageBinding } from "../consumers/imageHandle";
import type { RegionArgs, VersionTimeoutsArgs } from "./args";

/** The arguments of an {@link ImageReplica}. */
export interface ImageReplicaArgs {
  /**
   * The image to copy: a `GlobalImage` (or its `handle()`) declared in this program, or
   * `await ImageHandle.fromStackAsync(ref, "images.win11")` for an image of another stack. Its
   * versions must be known when the replica is declared (`ImageHandle.fromStack` is not enough).
   */
  readonly source: ImageBinding;
  /** The customer's resource group that holds the replica's gallery (it must exist). */
  readonly resourceGroupName: pulumi.Input<string>;
  /**
   * The region of the replica's gallery, image definition and versions. Azure copies each version
   * from the source's replica in this region, so every copied version must be replicated here.
   * Give it as a plain string to have that checked before anything is registered.
   * @default the resource group's region
   */
  readonly location?: pulumi.Input<string>;
  /** The replica gallery's name (letters, digits, `_` and `.`; no hyphens). */
  readonly galleryName: pulumi.Input<string>;
  /**
   * Create the gallery (`true`) or use an existing gallery of that name in `resourceGroupName`.
   * @default true
   */
  readonly createGallery?: boolean;
  /** The customer's regions every copied version is replicated to: at least one, each once. */
  readonly regions: RegionArgs[];
  /**
   * Pin the replica to this version: the source's active version or one of its backups. Left
   * out, the replica follows the source: each `pulumi up` after a promotion at the source
   * promotes the replica too (role flags only, nothing copied again).
   * @default the source's active version
   */
  readonly activeVersion?: string;
  /**
   * The source's ring this customer is in: the replica's active version is the newest version
   * that has reached the ring (soaked in the ring before it, inside the ring's window), and moves
   * on by itself on a later `pulumi up`. With `activeVersion` as well, the pin wins and the
   * `ring-order-respected` policy checks it.
   * @default no ring: follow the source's active version
   */
  readonly ring?: string;
  /**
   * Copy the source's staged (or active) version for the customer to test; it is excluded from
   * "latest" and used only by the customer's validation pools.
   * @default nothing staged: a customer copies a staged version only when it asks to test it
   */
  readonly stagedVersion?: string;
  /**
   * How many versions below the replica's active one stay protected backups for a rollback.
   * @default 1
   */
  readonly retainBackups?: number;
  /**
   * Tags for every resource the replica creates (the `global-image:*` keys are reserved).
   * @default no extra tags
   */
  readonly tags?: { [key: string]: pulumi.Input<string> };
  /**
   * Timeouts of the copied versions: a copy into several regions takes hours.
   * @default { create: "3h", update: "3h", delete: "1h" }
   */
  readonly customTimeouts?: VersionTimeoutsArgs;
}
