/**
 * What the root project deploys from its config: the resource group and gallery (unless adopted),
 * one GlobalImage per configured image, all sharing the gallery, and the host pools bound to them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as resources from "@pulumi/azure-native/resources";
import { GlobalImage } from "../component/globalImage";
import { ImageHostPool } from "../consumers/imageHostPool";
import { ProjectConfig } from "./config";

/** The components the root project created, by config key. */
export interface Fleet {
  readonly images: Record<string, GlobalImage>;
  readonly hostPools: Record<string, ImageHostPool>;
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
  const galleryName = config.createGallery
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
  }
  const hostPools: Record<string, ImageHostPool> = {};
  for (const { key, image, args } of config.hostPools) {
    hostPools[key] = new ImageHostPool(key, {
      ...args,
      tags: { ...config.tags, ...args.tags },
      image: images[image],
      resourceGroupName,
      location: config.location,
    });
  }
  return { images, hostPools };
}
