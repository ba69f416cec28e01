/**
 * Lifecycle invariants under random sequences of what a platform team does (stage, promote, roll
 * back, withdraw, add and remove versions, change retainBackups), checked after every step: on
 * the domain plan for 10,000 sequences, and on what the component and two host pools register
 * under Pulumi's mock runtime for a smaller number (each step is a full program run).
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf, settle } from "../helpers/mocks";
import { poolArgs } from "../fixtures/hostPool";
import { LifecycleConfig, Step, argsOf, latestIn, operation, run, startConfig } from "./model";
import type { RegisteredResource } from "../../src/check/policyRun";

const recorder = installMocks();
import { GlobalImage } from "../../src/component/globalImage";
import { publishingProfile } from "../../src/component/versionInputs";
import { ImageHostPool } from "../../src/consumers/imageHostPool";
import { blockingChanges, diffRuns } from "../../src/cli/checkReport";
import { ImagePlan, planGlobalImage } from "../../src/domain/images/validate";
import {
  ImageRole,
  ROLE_RULES,
  newestBackup,
  versionsWithRole,
} from "../../src/domain/images/roles";
import { compareVersions } from "../../src/domain/images/version";

const REGIONS = ["westeurope", "northeurope"];
type Published = Parameters<typeof latestIn>[1][number];
type Profile = Omit<Published, "version">;
const sequences = fc.tuple(startConfig, fc.array(operation, { minLength: 1, maxLength: 6 }));

// node:assert, not expect: 35,000 steps are checked, and fast-check reports the failing sequence.

/** The invariants of one config's plan. */
function checkPlan(config: LifecycleConfig, plan: ImagePlan): void {
  assert.deepEqual(versionsWithRole(plan.roles, ImageRole.Active), [config.activeVersion]);
  const published = plan.versions.map((v) => ({
    ...(publishingProfile(v) as Profile),
    version: v.version,
  }));
  for (const region of REGIONS)
    assert.equal(latestIn(region, published), config.activeVersion, `latest in ${region}`);
  for (const v of plan.versions) {
    assert.equal(v.protect, ROLE_RULES[v.role].protect, `protect of ${v.version}`);
    if (config.versions[v.version]) assert.equal(v.role, ImageRole.Withdrawn, v.version);
  }
}

/** The invariants of one step, from the plan before to the plan after. */
function checkStep(step: Step, before: ImagePlan, after: ImagePlan): void {
  const previous = before.activeVersion;
  if (step.op.kind === "promote") {
    assert.equal(after.activeVersion, before.stagedVersion);
    if (compareVersions(after.activeVersion, previous) < 0) {
      // A version staged below the active one was promoted: the one left above is withdrawn.
      assert.equal(after.roles[previous], ImageRole.Withdrawn);
    } else if (step.after.retainBackups >= 1) {
      assert.equal(after.roles[previous], ImageRole.Backup, `previous active ${previous}`);
      assert.equal(after.versions.find((v) => v.version === previous)?.protect, true);
    }
  }
  if (step.op.kind === "rollback") {
    assert.equal(after.activeVersion, newestBackup(before.roles));
    assert.equal(after.roles[previous], ImageRole.Withdrawn, `left version ${previous}`);
  }
  if (step.op.kind === "promote" || step.op.kind === "rollback") {
    // Same versions, so the same version children: nothing created, removed or renamed.
    assert.deepEqual(Object.keys(after.roles).sort(), Object.keys(before.roles).sort());
  }
}

describe("lifecycle invariants (domain)", () => {
  it("hold after every step of 10,000 random sequences", () => {
    let steps = 0;
    fc.assert(
      fc.property(sequences, ([start, ops]) => {
        let before = planGlobalImage(argsOf(start));
        checkPlan(start, before);
        for (const step of run(start, ops)) {
          const after = planGlobalImage(argsOf(step.after));
          checkPlan(step.after, after);
          if (!step.skipped) checkStep(step, before, after);
          before = after;
          steps += 1;
        }
      }),
      { numRuns: 10_000 },
    );
    expect(steps).toBeGreaterThanOrEqual(10_000);
  });
});

const VERSION = "azure-native:compute:GalleryImageVersion";
const POOL = "azure-native:desktopvirtualization:HostPool";

/** One program run: the image and a production and a validation pool, as registered. */
async function deploy(config: LifecycleConfig): Promise<RegisteredResource[]> {
  recorder.reset();
  const image = new GlobalImage("img", argsOf(config), recorder.opts);
  const prod = new ImageHostPool("prod", poolArgs(image), recorder.opts);
  const validation = new ImageHostPool(
    "val",
    poolArgs(image, (a) => (a.validationEnvironment = true)),
    recorder.opts,
  );
  await promiseOf(pulumi.all([image.versionIds, prod.vmTemplate, validation.vmTemplate]));
  await settle();
  return recorder.engineResources();
}

/** The invariants of what one run registered. */
function checkRegistered(config: LifecycleConfig, resources: RegisteredResource[]): void {
  const plan = planGlobalImage(argsOf(config));
  const versions = resources.filter((r) => r.type === VERSION);
  expect(versions.map((r) => r.name).sort()).toEqual(
    Object.keys(config.versions)
      .map((v) => `img-${v}`)
      .sort(),
  );
  const published = versions.map((r) => ({
    ...(r.inputs.publishingProfile as Profile),
    version: r.inputs.galleryImageVersionName as string,
  }));
  for (const region of REGIONS) expect(latestIn(region, published)).toBe(config.activeVersion);
  for (const r of versions) {
    const role = plan.roles[r.inputs.galleryImageVersionName as string];
    expect([r.name, r.protect]).toEqual([r.name, ROLE_RULES[role].protect]);
  }
  const bootedBy = (name: string) =>
    (
      JSON.parse(
        resources.find((r) => r.type === POOL && r.name === name)!.inputs.vmTemplate as string,
      ) as {
        customImageId: string;
      }
    ).customImageId
      .split("/")
      .pop();
  expect(bootedBy("prod-pool")).toBe(config.activeVersion);
  expect(bootedBy("val-pool")).toBe(plan.stagedVersion ?? config.activeVersion);
}

/** The invariants of the diff between two runs, as `check --against` computes it. */
function checkDiff(step: Step, before: RegisteredResource[], after: RegisteredResource[]): void {
  const diff = diffRuns(before, after);
  const churn = diff.filter(
    (c) => c.type === VERSION && (c.kind === "create" || c.kind === "replace"),
  );
  const protectedDeletes = blockingChanges(diff)
    .map((b) => b.change)
    .filter((c) => c.kind === "delete" && c.protected);
  if (step.op.kind === "promote" || step.op.kind === "rollback") {
    expect(churn).toEqual([]);
    expect(diff.filter((c) => c.type === VERSION && c.kind === "delete")).toEqual([]);
  }
  if (step.removed) {
    const wasProtected = ROLE_RULES[step.removed.role].protect;
    expect(protectedDeletes.map((c) => c.urn.split("::").pop())).toEqual(
      wasProtected ? [`img-${step.removed.version}`] : [],
    );
  }
}

describe("lifecycle invariants (component under mocks)", () => {
  // The SDK records each resource's source position from `new Error().stack`, which Jest maps
  // through source maps: most of a run's time. Positions are not what this test checks, so the
  // stack is left unformatted while it runs (a failure still names the sequence and invariant).
  const prepare = Error.prepareStackTrace;
  beforeAll(() => (Error.prepareStackTrace = () => ""));
  afterAll(() => (Error.prepareStackTrace = prepare));

  it("hold after every step of random sequences, and check --against flags protected removals", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(startConfig, fc.array(operation, { minLength: 1, maxLength: 6 })),
        async ([start, ops]) => {
          let before = await deploy(start);
          checkRegistered(start, before);
          for (const step of run(start, ops)) {
            if (step.skipped) continue;
            const after = await deploy(step.after);
            checkRegistered(step.after, after);
            checkDiff(step, before, after);
            before = after;
          }
        },
      ),
      {
        numRuns: Number(process.env.LIFECYCLE_COMPONENT_RUNS ?? 12),
        // Always run too: removing a backup (protected), and a promotion then a rollback.
        examples: [
          [
            [
              {
                versions: { "1.0.0": false, "1.1.0": false },
                activeVersion: "1.1.0",
                retainBackups: 1,
              },
              [{ kind: "remove", pick: 0 }],
            ],
          ],
          [
            [
              {
                versions: { "1.0.0": false, "1.1.0": false },
                activeVersion: "1.0.0",
                stagedVersion: "1.1.0",
                retainBackups: 1,
              },
              [{ kind: "promote" }, { kind: "rollback" }, { kind: "remove", pick: 0 }],
            ],
          ],
        ],
      },
    );
  });
});
