/**
 * Versions built by Azure VM Image Builder. A build runs after its template is created, so each
 * up observes where it stands (the template's last run, and whether the gallery version exists),
 * lets the pure decideBuild say what to declare, and declares that: the template (created once,
 * built by autoRun; any change replaces it), and the gallery version, copied from the build's
 * output in the build definition, once the build succeeded. Nothing else waits on a build.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as virtualmachineimages from "@pulumi/azure-native/virtualmachineimages";
import {
  BuildDecision,
  BuildObservation,
  BuildState,
  decideBuild,
} from "../domain/builds/buildStep";
import { BuildPlan, templateName } from "../domain/builds/imageBuilder";
import { keyField } from "../domain/common/errors";
import { TagKey } from "../domain/common/tags";
import { ImagePlan, VersionPlan } from "../domain/images/validate";
import { orMissing } from "../consumers/rolloutObserve";
import { BuildSupport } from "./buildSupport";
import { inContext } from "./errorContext";
import { templateArgs } from "./buildTemplate";
import { VersionContent, VersionPlacement, versionResource } from "./gallery";

/** Where a built version stands after this up, as the `builds` output reports it. */
export interface BuildStatus {
  readonly state: BuildState;
  readonly template: string;
  readonly message: string;
}

/** A built version: its id once published (undefined while building or failed), and its status. */
export interface BuiltVersion {
  readonly id: pulumi.Output<string | undefined>;
  readonly status: pulumi.Output<BuildStatus>;
}

/** Everything one built version needs. */
export interface BuiltVersionContext {
  readonly name: string;
  readonly placement: VersionPlacement;
  readonly plan: ImagePlan;
  readonly definition: compute.GalleryImage;
  readonly support: BuildSupport;
  readonly parent: pulumi.Resource;
}

/** Observes, decides and declares one built version; `content` is its tags and nothing else. */
export function builtVersion(
  ctx: BuiltVersionContext,
  version: VersionPlan,
  build: BuildPlan,
  content: Omit<VersionContent, "storageProfile">,
): BuiltVersion {
  const template = templateName(ctx.plan.image.name, version.version);
  const { resourceGroupName, galleryName } = ctx.placement;
  const decision = pulumi.all([resourceGroupName, galleryName]).apply(async ([group, gallery]) => {
    const observed = await observeBuild(
      group,
      gallery,
      ctx.plan.image.name,
      version,
      template,
      ctx.parent,
    );
    try {
      return decideBuild(observed, {
        version: version.version,
        role: version.role,
        template,
        recipeSha256: build.recipeSha256,
        field: `versions${keyField(version.version)}.source.imageBuilder`,
      });
    } catch (err) {
      throw inContext(ctx.parent, err);
    }
  });
  const id: pulumi.Output<string | undefined> = decision.apply((d) =>
    declareBuilt(ctx, version, build, content, template, d),
  );
  const status = decision.apply((d) => ({ state: d.state, template, message: d.message }));
  return { id, status };
}

/** What an up reads of one build (a 404 is an observation; any other failure stops the up). */
async function observeBuild(
  resourceGroupName: string,
  galleryName: string,
  galleryImageName: string,
  version: VersionPlan,
  imageTemplateName: string,
  parent: pulumi.Resource,
): Promise<BuildObservation> {
  const opts = { parent };
  const [published, template] = await Promise.all([
    orMissing(
      compute.getGalleryImageVersion(
        {
          resourceGroupName,
          galleryName,
          galleryImageName,
          galleryImageVersionName: version.version,
        },
        opts,
      ),
    ),
    orMissing(
      virtualmachineimages.getVirtualMachineImageTemplate(
        { resourceGroupName, imageTemplateName },
        opts,
      ),
    ),
  ]);
  return {
    ...(published && { version: { recipeSha256: published.tags?.[TagKey.RecipeSha256] } }),
    ...(template && {
      template: {
        runState: template.lastRunStatus?.runState,
        runSubState: template.lastRunStatus?.runSubState,
        message: template.lastRunStatus?.message,
        recipeSha256: template.tags?.[TagKey.RecipeSha256],
      },
    }),
  };
}

function declareBuilt(
  ctx: BuiltVersionContext,
  version: VersionPlan,
  build: BuildPlan,
  content: Omit<VersionContent, "storageProfile">,
  template: string,
  decision: BuildDecision,
): pulumi.Output<string | undefined> {
  // Where every build stands is the `builds` output; a failure is also said during the up.
  if (decision.state === BuildState.Failed)
    void pulumi.log.warn(`${version.version}: ${decision.message}`, ctx.parent);
  const made = decision.declareTemplate
    ? buildTemplate(ctx, version, templateArgs(ctx, version, build, template), decision)
    : undefined;
  if (!decision.declareVersion) return pulumi.output(undefined);
  const output = pulumi.interpolate`${ctx.support.definitionId}/versions/${version.version}`;
  return versionResource(
    ctx.name,
    ctx.placement,
    ctx.plan,
    version,
    {
      storageProfile: { source: { id: output } },
      tags: { ...content.tags, [TagKey.RecipeSha256]: build.recipeSha256 },
    },
    ctx.definition,
    ctx.parent,
    {
      dependsOn: made ? [made] : [],
      // The recipe is the version's identity: another recipe would be another version.
      replaceOnChanges: [`tags["${TagKey.RecipeSha256}"]`],
    },
  ).id;
}

/**
 * The template. Azure cannot update one: while the version is not published, any change (a new
 * recipe) replaces it and builds again; once published, nothing about it changes any more (a new
 * tag or identity must not rebuild a published version), so every input is ignored.
 */
function buildTemplate(
  ctx: BuiltVersionContext,
  version: VersionPlan,
  args: virtualmachineimages.VirtualMachineImageTemplateArgs,
  decision: BuildDecision,
): virtualmachineimages.VirtualMachineImageTemplate {
  const settled =
    decision.state === BuildState.Published
      ? { ignoreChanges: Object.keys(args) }
      : { replaceOnChanges: ["*"], deleteBeforeReplace: true };
  return new virtualmachineimages.VirtualMachineImageTemplate(
    `${ctx.name}-${version.version}-build`,
    args,
    {
      parent: ctx.parent,
      dependsOn: [...ctx.support.ready, ...(ctx.support.versionReady[version.version] ?? [])],
      customTimeouts: { create: "30m", delete: "30m" },
      ...settled,
    },
  );
}
