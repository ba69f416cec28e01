/**
 * What the root project deploys from its config: the resource group and gallery (unless adopted),
 * one GlobalImage per configured image, all sharing the gallery, and the host pools bound to them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as resources from "@pulumi/azure-native/resources";
import { GlobalImage } from "../component/globalImage";
import { Provider } from "@pulumi/azure-native/provider";
import { ImageReplica } from "../component/imageReplica";
import { reportFieldsUnder } from "../component/errorContext";
import { joinField } from "../domain/common/errors";
import { ImageHandle } from "../consumers/imageHandle";
import { ImageHostPool } from "../consumers/imageHostPool";
import { under } from "./configFields";
import { ReplicaConfig } from "./replicaConfig";
import { ProjectConfig } from "./config";

/** The components the root project created, by config key. */
export interface Fleet {
  readonly images: Record<string, GlobalImage>;
  /** Replicas of another stack's image are declared once that stack is read: promises. */
  readonly replicas: Record<string, Promise<ImageReplica>>;
  /** Pools on a replica of another stack's image wait for it, as the replica does. */
  readonly hostPools: Record<string, Promise<ImageHostPool>>;
}

/** Declares the fleet described by an already-checked config. */
export function deployFleet(config: ProjectConfig): Fleet {
  const resourceGroupName = config.createResourceGroup
    ? new resources.ResourceGroup("images-rg", {
        resourceGroupName: config.resourceGroupName,
        location: config.location,
        tags: config.tags,
      }).name
    : pulumi.output(config.resourceGroupName);
  // One gallery for every image: each GlobalImage adopts it rather than creating its own.
  const galleryName =
    config.createGallery && config.images.length > 0
      ? new compute.Gallery("gallery", {
          resourceGroupName,
          galleryName: config.galleryName,
          location: config.location,
          tags: config.tags,
        }).name
      : pulumi.output(config.galleryName);
  const images: Record<string, GlobalImage> = {};
  for (const { key, args } of config.images) {
    images[key] = new GlobalImage(key, {
      ...args,
      tags: { ...config.tags, ...args.tags },
      resourceGroupName,
      location: config.location,
      galleryName,
      createGallery: false,
    });
    // An error found once Azure is read (a build's state) names its config path too.
    reportFieldsUnder(images[key], joinField("global-image:images", key));
  }
  const replicas: Record<string, Promise<ImageReplica>> = {};
  const placed: Record<string, { replica: ReplicaConfig; providers: Provider[] }> = {};
  for (const replica of config.replicas) {
    // The customer's subscription (and tenant), when configured: for the replica and its pools.
    const providers = replica.provider
      ? [new Provider(`${replica.key}-provider`, { ...replica.provider })]
      : [];
    placed[replica.key] = { replica, providers };
    replicas[replica.key] = declareReplica(replica, images, config.tags, providers);
  }
  const hostPools: Record<string, Promise<ImageHostPool>> = {};
  for (const { key, image, args } of config.hostPools) {
    const tags = { ...config.tags, ...args.tags };
    const onImage = images[image];
    hostPools[key] = onImage
      ? Promise.resolve(
          new ImageHostPool(key, {
            ...args,
            tags,
            image: onImage,
            resourceGroupName,
            location: config.location,
          }),
        )
      : // A pool on a replica lives beside it: its resource group, region and subscription.
        replicas[image].then(
          (replica) =>
            new ImageHostPool(
              key,
              {
                ...args,
                tags,
                image: replica,
                resourceGroupName: placed[image].replica.args.resourceGroupName,
                location: placed[image].replica.args.location,
              },
              { providers: placed[image].providers },
            ),
        );
  }
  return { images, replicas, hostPools };
}

/**
 * A replica: at once for an image of this stack (a resolved promise, declared now), after
 * reading the other stack otherwise.
 */
function declareReplica(
  replica: ReplicaConfig,
  images: Record<string, GlobalImage>,
  tags: Record<string, string> | undefined,
  providers: Provider[],
): Promise<ImageReplica> {
  const declare = (source: ImageHandle | GlobalImage) =>
    under(
      replica.at,
      () =>
        new ImageReplica(
          replica.key,
          { ...replica.args, tags: { ...tags, ...replica.args.tags }, source },
          { providers },
        ),
    );
  const { source } = replica;
  if ("image" in source) return Promise.resolve(declare(images[source.image]));
  const ref = new pulumi.StackReference(`${replica.key}-source`, { name: source.stack });
  return ImageHandle.fromStackAsync(ref, source.output).then(declare);
}
