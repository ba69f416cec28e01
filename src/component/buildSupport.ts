/**
 * What every Image Builder build of an image shares: the build definition Image Builder writes
 * to (beside the image, same gallery and identity features, its own SKU), and, unless the recipe
 * names one, a user-assigned identity allowed to write versions of that definition only.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as compute from "@pulumi/azure-native/compute";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as resources from "@pulumi/azure-native/resources";
import {
  BUILD_DEFINITION_ACTIONS,
  BuiltInRole,
  buildDefinitionName,
  builderIdentityName,
  guidOf,
} from "../domain/builds/buildNames";
import { TagKey } from "../domain/common/tags";
import { BuildPlan } from "../domain/builds/imageBuilder";
import { ImagePlan, VersionPlan } from "../domain/images/validate";
import { GalleryPlacement, imageDefinition } from "./gallery";

/** The shared parts, when any version is built. */
export interface BuildSupport {
  /** The ARM id of the build definition. */
  readonly definitionId: pulumi.Output<string>;
  /** The identity the component created, when some recipe names none. */
  readonly identity?: managedidentity.UserAssignedIdentity;
  /** What every template must wait for: the definition and the identity's role assignment. */
  readonly ready: pulumi.Resource[];
  /** What one version's template also waits for (its staging group, its base's read access). */
  readonly versionReady: Record<string, pulumi.Resource[]>;
  /** The staging resource group each version's recipe asked for, by version. */
  readonly stagingGroupIds: Record<string, pulumi.Output<string>>;
}

/** The build definition and identity of `plan`'s builds (undefined when nothing is built). */
export function buildSupport(
  name: string,
  placement: GalleryPlacement,
  plan: ImagePlan,
  gallery: { id: pulumi.Output<string>; dependency?: pulumi.Resource },
  parent: pulumi.Resource,
): BuildSupport | undefined {
  const builds = plan.versions.filter((v) => v.build !== undefined);
  if (builds.length === 0) return undefined;
  const image = plan.image;
  // Same OS, generation and security type as the image (a version copies only between
  // compatible definitions); its own name and SKU (identifiers are unique in a gallery).
  const definition = imageDefinition(
    `${name}-build`,
    placement,
    {
      ...image,
      name: buildDefinitionName(image.name),
      sku: `${image.sku}-build`,
      description: `Image Builder output for ${image.name}: versions are copied from here by global-image; nothing boots from this definition.`,
    },
    gallery.dependency,
    parent,
    { ...placement.tags, [TagKey.BuildFor]: image.name },
  );
  const ready: pulumi.Resource[] = [definition];
  const needsIdentity = builds.some((v) => v.build?.identityId === undefined);
  const identity = needsIdentity
    ? createdIdentity(name, placement, image.name, definition, gallery.id, parent, ready)
    : undefined;
  const versionReady: Record<string, pulumi.Resource[]> = {};
  const stagingGroupIds: Record<string, pulumi.Output<string>> = {};
  for (const version of builds) {
    const access = versionAccess(name, placement, version, identity, parent);
    versionReady[version.version] = access.ready;
    if (access.stagingGroupId) stagingGroupIds[version.version] = access.stagingGroupId;
  }
  return { definitionId: definition.id, identity, ready, versionReady, stagingGroupIds };
}

/**
 * One version's own needs: the staging resource group its recipe names (the created identity
 * may build in it), and read access to the gallery version it builds on.
 */
function versionAccess(
  name: string,
  placement: GalleryPlacement,
  version: VersionPlan,
  identity: managedidentity.UserAssignedIdentity | undefined,
  parent: pulumi.Resource,
): { ready: pulumi.Resource[]; stagingGroupId?: pulumi.Output<string> } {
  const build = version.build as BuildPlan;
  const ready: pulumi.Resource[] = [];
  const own = build.identityId === undefined ? identity : undefined;
  const prefix = `${name}-${version.version}`;
  let stagingGroupId: pulumi.Output<string> | undefined;
  if (build.stagingResourceGroupName !== undefined) {
    const group = new resources.ResourceGroup(
      `${prefix}-staging`,
      {
        resourceGroupName: build.stagingResourceGroupName,
        location: placement.location,
        tags: { ...placement.tags, [TagKey.Version]: version.version },
      },
      { parent },
    );
    stagingGroupId = group.id;
    ready.push(group);
    if (own)
      ready.push(
        roleAssignment(
          `${prefix}-builder-can-stage`,
          group.id,
          builtInRole(group.id, BuiltInRole.Contributor),
          own,
          parent,
        ),
      );
  }
  if (own && build.base.kind === "galleryImageVersion") {
    const base = build.base.id as pulumi.Input<string>;
    ready.push(
      roleAssignment(
        `${prefix}-builder-reads-base`,
        base,
        pulumi.output(base).apply((id) => builtInRole(id, BuiltInRole.Reader)),
        own,
        parent,
      ),
    );
  }
  return { ready, stagingGroupId };
}

/** The id of a built-in role in the subscription of `scope`. */
function builtInRole(scope: pulumi.Input<string>, role: string): pulumi.Output<string> {
  return pulumi
    .output(scope)
    .apply(
      (id) =>
        `${id.split("/resourceGroups/")[0]}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
    );
}

function createdIdentity(
  name: string,
  placement: GalleryPlacement,
  imageName: string,
  definition: compute.GalleryImage,
  galleryId: pulumi.Output<string>,
  parent: pulumi.Resource,
  ready: pulumi.Resource[],
): managedidentity.UserAssignedIdentity {
  const identity = new managedidentity.UserAssignedIdentity(
    `${name}-builder`,
    {
      resourceGroupName: placement.resourceGroupName,
      resourceName: builderIdentityName(imageName),
      location: placement.location,
      tags: { ...placement.tags, [TagKey.BuildFor]: imageName },
    },
    { parent },
  );
  // A custom role lives at a resource group (or above); it is assigned on the build definition.
  const group = galleryId.apply((id) => id.split("/providers/")[0]);
  const role = new authorization.RoleDefinition(
    `${name}-builder-role`,
    {
      roleDefinitionId: group.apply((g) => guidOf(`${g}/${imageName}/builder-role`)),
      roleName: `global-image builder (${imageName})`,
      description: `Lets Azure VM Image Builder write versions of ${imageName}'s build definition, nothing else.`,
      scope: group,
      assignableScopes: [group],
      permissions: [{ actions: [...BUILD_DEFINITION_ACTIONS] }],
    },
    { parent },
  );
  ready.push(roleAssignment(`${name}-builder-can-build`, definition.id, role.id, identity, parent));
  return identity;
}

/** The assignment of `roleDefinitionId` to `identity` at `scope`, named by both. */
export function roleAssignment(
  name: string,
  scope: pulumi.Input<string>,
  roleDefinitionId: pulumi.Input<string>,
  identity: managedidentity.UserAssignedIdentity,
  parent: pulumi.Resource,
): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    name,
    {
      scope,
      roleAssignmentName: pulumi
        .all([scope, roleDefinitionId])
        .apply(([s, r]) => guidOf(`${s}|${r}|${name}`)),
      roleDefinitionId,
      principalId: identity.principalId,
      // A new identity may not have replicated yet: the type spares Azure the directory lookup.
      principalType: "ServicePrincipal",
    },
    { parent },
  );
}
