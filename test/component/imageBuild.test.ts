import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { Recorder, Registration, installMocks, promiseOf, settle } from "../helpers/mocks";
import {
  BUILT,
  TEMPLATE,
  builtArgs,
  clearLive,
  liveBuild,
  livePublished,
  recipeSha,
} from "../fixtures/imageBuild";
import type { GlobalImageArgs } from "../../src/component/args";

const recorder: Recorder = installMocks();
// Imported after the mocks are installed, as a program would be.
import { GlobalImage } from "../../src/component/globalImage";
import { ImageHostPool } from "../../src/consumers/imageHostPool";

const VERSION = "azure-native:compute:GalleryImageVersion";
const TEMPLATE_TYPE = "azure-native:virtualmachineimages:VirtualMachineImageTemplate";
const GALLERY =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/msp_gallery";
const BUILD_DEF = `${GALLERY}/images/win11-avd-build`;

let counter = 0;
async function up(args: GlobalImageArgs, pools = false, name = `b${++counter}`) {
  recorder.reset();
  const image = new GlobalImage(name, args, recorder.opts);
  const poolArgs = (validationEnvironment: boolean) => ({
    resourceGroupName: "rg-avd",
    location: "westeurope",
    hostPoolType: "Pooled" as const,
    preferredAppGroupType: "Desktop" as const,
    loadBalancerType: "BreadthFirst" as const,
    image,
    validationEnvironment,
  });
  const prod = pools
    ? new ImageHostPool(`${name}-prod`, poolArgs(false), recorder.opts)
    : undefined;
  const val = pools ? new ImageHostPool(`${name}-val`, poolArgs(true), recorder.opts) : undefined;
  const builds = await promiseOf(image.builds);
  await promiseOf(image.versionIds);
  if (prod && val) await Promise.all([promiseOf(prod.vmTemplate), promiseOf(val.vmTemplate)]);
  await settle();
  const template = recorder.registered(TEMPLATE_TYPE)[0] as Registration | undefined;
  const versions = recorder.registered(VERSION).map((r) => r.inputs.galleryImageVersionName);
  return { name, image, builds, template, versions, prod, val };
}

/** Every registration's inputs by URN, without the build's own resources. */
function productionInputs(name: string): Record<string, unknown> {
  const ours = [`${name}-${BUILT}`, `${name}-build`, `${name}-builder`, `${name}-val`];
  return Object.fromEntries(
    recorder.registrations
      .filter((r) => !ours.some((prefix) => r.name.startsWith(prefix)))
      .map((r) => [r.urn, r.custom ? r.inputs : {}]),
  );
}

beforeEach(() => clearLive(recorder.live));

describe("the first up of a built version", () => {
  it("creates the template from the recipe: base, steps, build definition target, identity, timeout", async () => {
    const args = builtArgs();
    const { name, template, versions, builds } = await up(args);
    expect(template?.name).toBe(`${name}-${BUILT}-build`);
    expect(template?.inputs).toMatchObject({
      resourceGroupName: "rg-images",
      imageTemplateName: TEMPLATE,
      location: "westeurope",
      source: {
        type: "PlatformImage",
        publisher: "MicrosoftWindowsDesktop",
        offer: "office-365",
        sku: "win11-24h2-avd-m365",
        version: "latest",
      },
      customize: [
        {
          type: "PowerShell",
          name: "1-PowerShell",
          inline: ["Write-Host 'FSLogix'"],
          runElevated: true,
        },
        { type: "WindowsUpdate", name: "2-WindowsUpdate" },
        { type: "WindowsRestart", name: "3-WindowsRestart", restartTimeout: "10m" },
      ],
      distribute: [
        {
          type: "SharedImage",
          galleryImageId: `${BUILD_DEF}/versions/${BUILT}`,
          runOutputName: TEMPLATE,
          excludeFromLatest: true,
          targetRegions: [{ name: "westeurope", replicaCount: 1 }],
        },
      ],
      vmProfile: { vmSize: "Standard_D4s_v5" },
      buildTimeoutInMinutes: 240,
      autoRun: { state: "Enabled" },
      tags: { "global-image:recipe-sha256": recipeSha(args) },
    });
    const identity = recorder.get(
      "azure-native:managedidentity:UserAssignedIdentity",
      `${name}-builder`,
    );
    expect(template?.inputs.identity).toEqual({
      type: "UserAssigned",
      userAssignedIdentities: [identity.id],
    });
    expect(template?.opts).toMatchObject({ replaceOnChanges: ["*"], deleteBeforeReplace: true });
    // Nothing is published yet: no version 1.10.0, nothing staged.
    expect(versions).not.toContain(BUILT);
    expect(builds[BUILT]).toMatchObject({ state: "starting", template: TEMPLATE });
  });

  it("makes the build definition beside the image, and an identity allowed to write there only", async () => {
    const { name } = await up(builtArgs());
    const def = recorder.get("azure-native:compute:GalleryImage", `${name}-build-image`);
    expect(def.inputs).toMatchObject({
      galleryImageName: "win11-avd-build",
      identifier: { publisher: "Contoso", offer: "avd", sku: "win11-24h2-multi-build" },
      osType: "Windows",
      hyperVGeneration: "V2",
      features: [{ name: "SecurityType", value: "TrustedLaunch" }],
    });
    const role = recorder.get("azure-native:authorization:RoleDefinition", `${name}-builder-role`);
    expect(role.inputs.permissions).toEqual([
      {
        actions: [
          "Microsoft.Compute/galleries/read",
          "Microsoft.Compute/galleries/images/read",
          "Microsoft.Compute/galleries/images/versions/read",
          "Microsoft.Compute/galleries/images/versions/write",
        ],
      },
    ]);
    const assignments = recorder.registered("azure-native:authorization:RoleAssignment");
    expect(assignments.map((a) => [a.name, a.inputs.scope])).toEqual([
      [`${name}-builder-can-build`, BUILD_DEF],
    ]);
    expect(assignments[0].inputs).toMatchObject({
      roleDefinitionId: role.id,
      principalType: "ServicePrincipal",
      principalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it("uses a given identity and creates none; builds on a gallery version; stages where asked", async () => {
    const base = `${GALLERY}/images/win11-avd/versions/1.9.0`;
    const given =
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aib";
    const { name, template } = await up(
      builtArgs(undefined, (r) => {
        r.base = { galleryImageVersionId: base };
        r.identityId = given;
        r.stagingResourceGroupName = "rg-aib-staging";
        r.buildTimeoutInMinutes = 90;
        r.vmSize = "Standard_D8s_v5";
      }),
    );
    expect(template?.inputs).toMatchObject({
      identity: { type: "UserAssigned", userAssignedIdentities: [given] },
      source: { type: "SharedImageVersion", imageVersionId: base },
      stagingResourceGroup:
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aib-staging",
      buildTimeoutInMinutes: 90,
      vmProfile: { vmSize: "Standard_D8s_v5" },
    });
    expect(recorder.registered("azure-native:managedidentity:UserAssignedIdentity")).toEqual([]);
    expect(recorder.registered("azure-native:authorization:RoleAssignment")).toEqual([]);
    expect(
      recorder.get("azure-native:resources:ResourceGroup", `${name}-${BUILT}-staging`).inputs,
    ).toMatchObject({
      resourceGroupName: "rg-aib-staging",
      location: "westeurope",
    });
  });

  it("lets the created identity read a gallery base and build in the staging group", async () => {
    const base = `${GALLERY}/images/win11-avd/versions/1.9.0`;
    const { name } = await up(
      builtArgs(undefined, (r) => {
        r.base = { galleryImageVersionId: base };
        r.stagingResourceGroupName = "rg-aib-staging";
      }),
    );
    const roles = Object.fromEntries(
      recorder
        .registered("azure-native:authorization:RoleAssignment")
        .map((a) => [a.name, a.inputs]),
    );
    expect(roles[`${name}-${BUILT}-builder-reads-base`]).toMatchObject({
      scope: base,
      roleDefinitionId: expect.stringMatching(
        /roleDefinitions\/acdd72a7-3385-48ef-bd42-f606fba81ae7$/,
      ),
    });
    expect(roles[`${name}-${BUILT}-builder-can-stage`]).toMatchObject({
      roleDefinitionId: expect.stringMatching(
        /roleDefinitions\/b24988ac-6180-42a0-ab88-20f7382dd24c$/,
      ),
    });
  });
});

describe("publishing the build's output", () => {
  it("declares the version from the build definition once the build succeeded, with its role", async () => {
    const args = builtArgs();
    liveBuild(recorder.live, args, "Succeeded");
    const { name, image, builds, val } = await up(args, true);
    const version = recorder.get(VERSION, `${name}-${BUILT}`);
    expect(version.inputs.storageProfile).toEqual({
      source: { id: `${BUILD_DEF}/versions/${BUILT}` },
    });
    expect(version.inputs.publishingProfile.excludeFromLatest).toBe(true);
    expect(version.inputs.tags).toMatchObject({
      "global-image:role": "staged",
      "global-image:recipe-sha256": recipeSha(args),
      build: "4711",
    });
    expect(version.opts.protect).toBeUndefined();
    expect(version.opts.replaceOnChanges).toEqual(['tags["global-image:recipe-sha256"]']);
    expect(builds[BUILT].state).toBe("built");
    expect(await promiseOf(image.stagedVersion)).toBe(BUILT);
    expect(JSON.parse(await promiseOf(val!.vmTemplate)).customImageId).toMatch(
      /versions\/1\.10\.0$/,
    );
  });

  it("never changes the template of a published version again (a new tag must not rebuild it)", async () => {
    const args = builtArgs((a) => (a.tags = { costCenter: "42" }));
    livePublished(recorder.live, args);
    const { template, builds } = await up(args);
    expect(builds[BUILT].state).toBe("published");
    expect(template?.opts.replaceOnChanges).toBeUndefined();
    expect(template?.opts.ignoreChanges).toEqual(
      expect.arrayContaining(["tags", "source", "customize", "distribute", "identity"]),
    );
  });

  it("keeps a published version when its template is gone", async () => {
    const args = builtArgs();
    livePublished(recorder.live, args);
    delete recorder.live.imageTemplates[TEMPLATE];
    const { template, versions, builds } = await up(args);
    expect(template).toBeUndefined();
    expect(versions).toContain(BUILT);
    expect(builds[BUILT].state).toBe("published");
  });

  it("promotes and rolls back a built version without touching its template", async () => {
    const staged = builtArgs();
    livePublished(recorder.live, staged);
    const before = await up(staged);
    const promoted = builtArgs((a) => (a.activeVersion = BUILT));
    const after = await up(promoted);
    expect(after.template?.inputs).toEqual(before.template?.inputs);
    const version = recorder.get(VERSION, `${after.name}-${BUILT}`);
    expect(version.inputs.publishingProfile.excludeFromLatest).toBe(false);
    expect(version.opts.protect).toBe(true);
    expect(version.inputs.storageProfile).toEqual({
      source: { id: `${BUILD_DEF}/versions/${BUILT}` },
    });
    // Rolled back: active 1.9.0 again, 1.10.0 withdrawn.
    const rolledBack = await up(
      builtArgs((a) => {
        a.versions[BUILT].withdrawn = true;
        delete a.stagedVersion;
      }),
    );
    expect(rolledBack.template?.inputs).toEqual(before.template?.inputs);
    expect(rolledBack.builds[BUILT].state).toBe("published");
  });
});

describe("a build that is slow, failed or cancelled", () => {
  it.each([
    ["Running", "running"],
    ["Failed", "failed"],
    ["Canceled", "failed"],
  ])(
    "(%s) changes nothing else: production, other versions and the pools' inputs are as without it",
    async (runState, state) => {
      const args = builtArgs();
      liveBuild(recorder.live, args, runState, "PowerShell exited with code 1");
      const building = await up(args, true, `iso-${runState}`);
      expect(building.builds[BUILT].state).toBe(state);
      expect(building.versions).not.toContain(BUILT);
      const withBuild = productionInputs(building.name);
      // The same image with nothing staged: what production looks like without the build.
      const without = await up(
        builtArgs((a) => {
          delete a.versions[BUILT];
          delete a.stagedVersion;
        }),
        true,
        `iso-${runState}`,
      );
      const alone = productionInputs(without.name);
      const component = (m: Record<string, unknown>) =>
        Object.keys(m).filter((k) => !k.includes("global-image:index:GlobalImage"));
      expect(component(withBuild).sort()).toEqual(component(alone).sort());
      for (const key of component(alone)) expect([key, withBuild[key]]).toEqual([key, alone[key]]);
      // The validation pool tests the active version until the build succeeded.
      expect(JSON.parse(await promiseOf(building.val!.vmTemplate)).customImageId).toMatch(
        /versions\/1\.9\.0$/,
      );
      expect(await promiseOf(building.image.stagedVersion)).toBeUndefined();
    },
  );

  it("reports a failure with the build's own message and the template's name", async () => {
    const args = builtArgs();
    liveBuild(recorder.live, args, "Failed", "PowerShell script exited with code 1");
    const { builds } = await up(args);
    expect(builds[BUILT].message).toBe(
      `Image Builder template "${TEMPLATE}" failed: Customizing: PowerShell script exited with code 1. Nothing else changes: fix the recipe and the next up builds it again (or run the template again with \`az image builder run\`).`,
    );
  });

  it("builds again when the recipe of an unpublished version changes", async () => {
    const args = builtArgs();
    liveBuild(recorder.live, args, "Failed");
    const changed = builtArgs((a) =>
      a.versions[BUILT].source.imageBuilder!.customize!.push({ type: "WindowsRestart" }),
    );
    const { template, builds } = await up(changed);
    expect(builds[BUILT].state).toBe("starting");
    expect(template?.inputs.tags["global-image:recipe-sha256"]).toBe(recipeSha(changed));
  });
});

describe("refusals after the observation", () => {
  /**
   * test/fixtures/buildRefusal.ts, run in its own process: a refusal found after the observation
   * fails the program through the component's outputs, as it fails `pulumi up`.
   */
  let run: { status: number | null; lines: string[] };
  beforeAll(() => {
    const result = spawnSync(
      process.execPath,
      [
        "-r",
        path.join(__dirname, "../../scripts/registerTypeScript.cjs"),
        path.join(__dirname, "../fixtures/buildRefusal.ts"),
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    run = { status: result.status, lines: result.stdout.split("\n").filter(Boolean) };
  });
  const registered = (prefix: string) =>
    run.lines.filter((l) => l.startsWith(`registered version ${prefix}-`)).sort();
  const failure = (text: string) =>
    run.lines.find((l) => l.startsWith("failed") && l.includes(text));

  it("fails the program", () => expect(run.status).toBe(3));

  it("refuses to activate a version that was never built, and registers no version for it", () => {
    expect(registered("win11-a")).toEqual([
      "registered version win11-a-1.0.0",
      "registered version win11-a-1.1.0",
      "registered version win11-a-1.9.0",
    ]);
    const message = failure("win11-a") ?? "";
    expect(message).toContain(
      `"versions["1.10.0"].source.imageBuilder" belongs to the active version 1.10.0, which Image Builder has not built`,
    );
    expect(message).toContain("Stage 1.10.0 (stagedVersion) until its build succeeds");
  });

  it("refuses another recipe for a published version: publish a new version", () => {
    expect(registered("win11-c")).not.toContain(`registered version win11-c-${BUILT}`);
    const message = failure("win11-c") ?? "";
    expect(message).toContain("is not the recipe version 1.10.0 was published from");
    expect(message).toContain("publish the new one as a new version");
  });

  it("refuses a replica's copy of a built version not published yet; the other copies are declared", () => {
    expect(registered("customer")).toEqual([
      "registered version customer-1.0.0",
      "registered version customer-1.1.0",
      "registered version customer-1.9.0",
    ]);
    expect(failure("win11-r")).toContain(
      `"source" has no published win11-r ${BUILT} yet: it is built by Image Builder and its build has not succeeded`,
    );
  });
});
