import {
  BUILD_DEFAULTS,
  checkBuilds,
  planBuild,
  templateName,
} from "../../../src/domain/builds/imageBuilder";
import {
  BuildObservation,
  BuildState,
  BuildTarget,
  decideBuild,
} from "../../../src/domain/builds/buildStep";
import { ImageRole } from "../../../src/domain/images/roles";
import fc from "fast-check";
import { isGlobalImageError } from "../../../src/domain/common/errors";
import { builderIdentityName, guidOf } from "../../../src/domain/builds/buildNames";

const FIELD = 'versions["1.3.0"].source.imageBuilder';
const recipe = (change: Record<string, unknown> = {}) => ({
  base: {
    publisher: "MicrosoftWindowsDesktop",
    offer: "office-365",
    sku: "win11-24h2-avd-m365",
  },
  customize: [
    { type: "PowerShell", inline: ["Install-Module Az -Force"], runElevated: true },
    { type: "WindowsUpdate" },
    { type: "WindowsRestart", restartTimeout: "10m" },
  ],
  ...change,
});

function refusal(value: unknown): { field: string; message: string } {
  try {
    planBuild(FIELD, value);
  } catch (err) {
    if (isGlobalImageError(err)) return { field: err.field, message: err.message };
    throw err;
  }
  throw new Error("accepted");
}

describe("planBuild", () => {
  it("checks a recipe, with Azure's defaults, and names each step", () => {
    const plan = planBuild(FIELD, recipe());
    expect(plan.base).toEqual({
      kind: "platform",
      publisher: "MicrosoftWindowsDesktop",
      offer: "office-365",
      sku: "win11-24h2-avd-m365",
      version: "latest",
    });
    expect(plan.vmSize).toBe(BUILD_DEFAULTS.vmSize);
    expect(plan.buildTimeoutInMinutes).toBe(240);
    expect(plan.customize.map((c) => c.name)).toEqual([
      "1-PowerShell",
      "2-WindowsUpdate",
      "3-WindowsRestart",
    ]);
    expect(plan.recipeSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("takes a gallery version as the base", () => {
    const id =
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.2.0";
    expect(planBuild(FIELD, recipe({ base: { galleryImageVersionId: id } })).base).toEqual({
      kind: "galleryImageVersion",
      id,
    });
  });

  it("gives the same digest for the same recipe and another for any change to what makes the image", () => {
    const a = planBuild(FIELD, recipe()).recipeSha256;
    expect(
      planBuild(
        FIELD,
        recipe({
          buildTimeoutInMinutes: 300,
          identityId:
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/builder",
        }),
      ).recipeSha256,
    ).toBe(a);
    expect(planBuild(FIELD, recipe({ vmSize: "Standard_D8s_v5" })).recipeSha256).not.toBe(a);
    expect(
      planBuild(FIELD, recipe({ customize: [{ type: "WindowsUpdate" }] })).recipeSha256,
    ).not.toBe(a);
  });

  it.each([
    [
      "an unknown customizer type",
      { customize: [{ type: "Shell", inline: ["ls"] }] },
      `${FIELD}.customize[0].type`,
      /is not an Image Builder customizer this package builds with/,
    ],
    [
      "a timeout out of range",
      { buildTimeoutInMinutes: 5 },
      `${FIELD}.buildTimeoutInMinutes`,
      /from 6 to 960/,
    ],
    [
      "a timeout above Azure's limit",
      { buildTimeoutInMinutes: 961 },
      `${FIELD}.buildTimeoutInMinutes`,
      /from 6 to 960/,
    ],
    [
      "both base forms",
      { base: { publisher: "p", offer: "o", sku: "s", galleryImageVersionId: "/v" } },
      `${FIELD}.base`,
      /names both a Marketplace image and a gallery version/,
    ],
    [
      "a base without a SKU",
      { base: { publisher: "p", offer: "o" } },
      `${FIELD}.base.sku`,
      /non-empty string/,
    ],
    [
      "PowerShell with both inline and scriptUri",
      { customize: [{ type: "PowerShell", inline: ["x"], scriptUri: "https://x" }] },
      `${FIELD}.customize[0]`,
      /exactly one of inline and scriptUri/,
    ],
    [
      "PowerShell with neither",
      { customize: [{ type: "PowerShell" }] },
      `${FIELD}.customize[0]`,
      /exactly one of inline and scriptUri/,
    ],
    [
      "a File step without destination",
      { customize: [{ type: "File", sourceUri: "https://x/a.exe" }] },
      `${FIELD}.customize[0].destination`,
      /non-empty string/,
    ],
    [
      "a misspelled step setting",
      { customize: [{ type: "WindowsUpdate", updatelimit: 5 }] },
      `${FIELD}.customize[0].updatelimit`,
      /is not a WindowsUpdate setting/,
    ],
    [
      "a misspelled recipe setting",
      { vmsize: "x" },
      `${FIELD}.vmsize`,
      /is not an Image Builder setting/,
    ],
  ])("refuses %s, naming the field", (_case, change, field, message) => {
    const err = refusal(recipe(change));
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });

  it("names the template after the image and the version", () => {
    expect(templateName("win11-avd", "1.3.0")).toBe("win11-avd-1.3.0");
  });
});

describe("build names", () => {
  it("names the builder identity as Azure allows (no periods)", () => {
    expect(builderIdentityName("win11.24h2.avd")).toBe("win11-24h2-avd-builder");
    expect(builderIdentityName("win11_avd")).toBe("win11_avd-builder");
  });
  it("makes GUIDs of the RFC 4122 layout, the same for the same seed", () => {
    expect(guidOf("a")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(guidOf("a")).toBe(guidOf("a"));
    expect(guidOf("a")).not.toBe(guidOf("b"));
  });
});

describe("checkBuilds", () => {
  const built = [{ version: "1.3.0", build: planBuild(FIELD, recipe()) }];
  it("names a template that would pass Azure's 64 characters, and the fix", () => {
    const name = "x".repeat(60);
    expect(() => checkBuilds(built, name, "westeurope")).toThrow(
      `"versions["1.3.0"].source.imageBuilder" needs an Image Builder template named "${name}-1.3.0", longer than Azure's 64 characters`,
    );
    expect(() => checkBuilds(built, "x".repeat(58), "westeurope")).not.toThrow();
  });
  it("needs a location", () => {
    expect(() => checkBuilds(built, "win11", undefined)).toThrow(
      /"location" is required when a version is built by Image Builder/,
    );
    expect(() => checkBuilds([{ version: "1.0.0" }], "win11", undefined)).not.toThrow();
  });
});

describe("decideBuild", () => {
  const T = "win11-avd-1.3.0";
  const SHA = "a".repeat(64);
  const target = (role: ImageRole = ImageRole.Staged): BuildTarget => ({
    version: "1.3.0",
    role,
    template: T,
    recipeSha256: SHA,
    field: FIELD,
  });
  const refused = (observed: BuildObservation, role: ImageRole): string => {
    try {
      decideBuild(observed, target(role));
    } catch (err) {
      if (isGlobalImageError(err)) return `${err.field}: ${err.message}`;
      throw err;
    }
    throw new Error("accepted");
  };
  const running = {
    template: { runState: "Running", runSubState: "Customizing", recipeSha256: SHA },
  };

  it.each<[string, BuildObservation, BuildState, boolean, boolean]>([
    ["no template: it is created and starts building", {}, BuildState.Starting, true, false],
    ["a running build", running, BuildState.Running, true, false],
    [
      "a succeeded build: the version is published from it",
      { template: { runState: "Succeeded", recipeSha256: SHA } },
      BuildState.Built,
      true,
      true,
    ],
    [
      "a failed build: nothing is published",
      { template: { runState: "Failed", message: "PowerShell exited 1", recipeSha256: SHA } },
      BuildState.Failed,
      true,
      false,
    ],
    [
      "a cancelled build",
      { template: { runState: "Canceled", recipeSha256: SHA } },
      BuildState.Failed,
      true,
      false,
    ],
    [
      "a published version whose template was cleaned up: kept",
      { version: { recipeSha256: SHA } },
      BuildState.Published,
      false,
      true,
    ],
    [
      "a published version and its template: both kept",
      { version: { recipeSha256: SHA }, template: { runState: "Succeeded", recipeSha256: SHA } },
      BuildState.Published,
      true,
      true,
    ],
    [
      "a recipe changed before publishing: built again",
      { template: { runState: "Failed", recipeSha256: "b".repeat(64) } },
      BuildState.Starting,
      true,
      false,
    ],
  ])("%s", (_case, observed, state, declareTemplate, declareVersion) => {
    expect(decideBuild(observed, target())).toMatchObject({
      state,
      declareTemplate,
      declareVersion,
    });
  });

  it("keeps a published version in every role, and never rebuilds it", () => {
    for (const role of Object.values(ImageRole)) {
      const decision = decideBuild({ version: { recipeSha256: SHA } }, target(role));
      expect(decision).toMatchObject({ state: BuildState.Published, declareVersion: true });
    }
  });

  it("refuses another recipe for a published version, in every role, naming the fix", () => {
    for (const role of Object.values(ImageRole)) {
      const message = refused({ version: { recipeSha256: "b".repeat(64) } }, role);
      expect(message).toContain(
        `${FIELD}: "${FIELD}" is not the recipe version 1.3.0 was published from`,
      );
      expect(message).toContain("publish the new one as a new version");
    }
  });

  it.each([ImageRole.Active, ImageRole.Backup])(
    "refuses an unbuilt %s version, saying where its build stands",
    (role) => {
      expect(refused(running, role)).toContain(
        `belongs to the ${role} version 1.3.0, which Image Builder has not built: Image Builder template "win11-avd-1.3.0" is building (Customizing).`,
      );
      expect(refused({}, role)).toContain("Stage 1.3.0 (stagedVersion) until its build succeeds");
    },
  );

  it.each([ImageRole.Staged, ImageRole.Active, ImageRole.Backup])(
    "publishes a succeeded build of the %s version from its output",
    (role) => {
      const succeeded = { template: { runState: "Succeeded", recipeSha256: SHA } };
      expect(decideBuild(succeeded, target(role))).toMatchObject({
        state: BuildState.Built,
        declareTemplate: true,
        declareVersion: true,
      });
    },
  );

  it.each([ImageRole.Retired, ImageRole.Withdrawn])(
    "builds nothing for an unbuilt %s version",
    (role) => {
      expect(decideBuild(running, target(role))).toMatchObject({
        state: BuildState.NotBuilt,
        declareTemplate: false,
        declareVersion: false,
      });
    },
  );

  it("reports a failure with the build's own message and the template's name", () => {
    const { message } = decideBuild(
      {
        template: {
          runState: "Failed",
          runSubState: "Customizing",
          message: "PowerShell script exited with code 1",
          recipeSha256: SHA,
        },
      },
      target(),
    );
    expect(message).toBe(
      'Image Builder template "win11-avd-1.3.0" failed: Customizing: PowerShell script exited with code 1. Nothing else changes: fix the recipe and the next up builds it again (or run the template again with `az image builder run`).',
    );
  });
});

describe("decideBuild over every observation (property)", () => {
  const SHA = "a".repeat(64);
  const recipeTag = fc.option(fc.constantFrom(SHA, "b".repeat(64)), { nil: undefined });
  const observation = fc.record(
    {
      version: fc.option(fc.record({ recipeSha256: recipeTag }), { nil: undefined }),
      template: fc.option(
        fc.record({
          runState: fc.option(
            fc.constantFrom("Running", "Succeeded", "PartiallySucceeded", "Failed", "Canceled", ""),
            { nil: undefined },
          ),
          runSubState: fc.option(fc.string(), { nil: undefined }),
          message: fc.option(fc.string(), { nil: undefined }),
          recipeSha256: recipeTag,
        }),
        { nil: undefined },
      ),
    },
    { requiredKeys: [] },
  );
  const role = fc.constantFrom(...Object.values(ImageRole));

  it("declares a version only when it exists or its build of this recipe succeeded, and refuses what no build can give", () => {
    fc.assert(
      fc.property(observation, role, (observed, r) => {
        const target = {
          version: "1.3.0",
          role: r,
          template: "t",
          recipeSha256: SHA,
          field: FIELD,
        };
        const succeeded =
          observed.template?.runState === "Succeeded" &&
          (observed.template.recipeSha256 ?? SHA) === SHA;
        const kept = r === ImageRole.Active || r === ImageRole.Backup;
        let decision;
        try {
          decision = decideBuild(observed, target);
        } catch (err) {
          if (!isGlobalImageError(err)) throw err;
          const changedRecipe =
            observed.version?.recipeSha256 !== undefined && observed.version.recipeSha256 !== SHA;
          const unbuiltProtected = observed.version === undefined && kept && !succeeded;
          return changedRecipe || unbuiltProtected;
        }
        // Published, or built from this recipe for a version that is staged or kept.
        if (
          decision.declareVersion !==
          (observed.version !== undefined || (succeeded && (kept || r === ImageRole.Staged)))
        )
          return false;
        // A published version is never rebuilt: its template is kept only when it is this recipe's.
        if (observed.version !== undefined && decision.declareTemplate)
          return observed.template?.recipeSha256 === SHA;
        // Retired and withdrawn versions are never built.
        if (r === ImageRole.Retired || r === ImageRole.Withdrawn) return !decision.declareTemplate;
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});
