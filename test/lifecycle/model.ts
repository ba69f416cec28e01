/**
 * The image lifecycle as a platform team drives it, for property tests: a config (versions,
 * activeVersion, stagedVersion, retainBackups, withdrawn marks) and the operations applied to it,
 * with the same meaning as the CLI's (`rollback` marks the version it leaves withdrawn).
 */
import fc from "fast-check";
import type { GlobalImageArgs } from "../../src/component/args";
import { ImageRole, computeRoles, newestBackup } from "../../src/domain/images/roles";
import { compareVersions, sortVersions } from "../../src/domain/images/version";
import { validArgs, IMAGE_VM } from "../fixtures/globalImage";

export interface LifecycleConfig {
  /** Declared versions → whether each is marked withdrawn. */
  readonly versions: Readonly<Record<string, boolean>>;
  readonly activeVersion: string;
  readonly stagedVersion?: string;
  readonly retainBackups: number;
}

export type Operation =
  | { readonly kind: "stage"; readonly part: 0 | 1 | 2 }
  | { readonly kind: "promote" }
  | { readonly kind: "rollback" }
  | { readonly kind: "withdraw" }
  | { readonly kind: "add"; readonly version: string }
  | { readonly kind: "remove"; readonly pick: number }
  | { readonly kind: "retain"; readonly count: number };

/** What an operation did (`skipped` when it did not apply, e.g. promote with nothing staged). */
export interface Step {
  readonly op: Operation;
  readonly before: LifecycleConfig;
  readonly after: LifecycleConfig;
  readonly skipped: boolean;
  /** For `remove`: the version removed and its role before. */
  readonly removed?: { version: string; role: ImageRole };
}

export const rolesOf = (c: LifecycleConfig) =>
  computeRoles({
    versions: Object.keys(c.versions),
    activeVersion: c.activeVersion,
    stagedVersion: c.stagedVersion === c.activeVersion ? undefined : c.stagedVersion,
    retainBackups: c.retainBackups,
    withdrawnVersions: Object.keys(c.versions).filter((v) => c.versions[v]),
  });

const staged = (c: LifecycleConfig) =>
  c.stagedVersion !== undefined && c.stagedVersion !== c.activeVersion
    ? c.stagedVersion
    : undefined;

/** Applies one operation; an operation that does not apply leaves the config as it is. */
export function apply(config: LifecycleConfig, op: Operation): Step {
  const step = (after: LifecycleConfig | undefined, removed?: Step["removed"]): Step => ({
    op,
    before: config,
    after: after ?? config,
    skipped: after === undefined,
    removed,
  });
  const roles = rolesOf(config);
  const versions = { ...config.versions };
  switch (op.kind) {
    case "stage": {
      // A new build above every version; one staged before and never promoted is abandoned.
      const top = sortVersions(Object.keys(versions)).pop()!.split(".").map(Number);
      const next = top.map((n, i) => (i < op.part ? n : i === op.part ? n + 1 : 0)).join(".");
      const abandoned = staged(config);
      if (abandoned) versions[abandoned] = true;
      return step({ ...config, versions: { ...versions, [next]: false }, stagedVersion: next });
    }
    case "promote": {
      // As `global-image promote`: versions left above the new active one are withdrawn (only
      // when the staged version was below the active one).
      const target = staged(config);
      if (!target) return step(undefined);
      for (const v of Object.keys(versions)) if (compareVersions(v, target) > 0) versions[v] = true;
      return step({ ...config, versions, activeVersion: target, stagedVersion: target });
    }
    case "rollback": {
      // As `global-image rollback`: what is left above the target and not staged is withdrawn.
      const target = newestBackup(roles);
      if (!target) return step(undefined);
      const from = config.activeVersion;
      const stagedAfter = config.stagedVersion === from ? target : config.stagedVersion;
      for (const v of Object.keys(versions))
        if (compareVersions(v, target) > 0 && v !== stagedAfter) versions[v] = true;
      return step({ ...config, versions, activeVersion: target, stagedVersion: stagedAfter });
    }
    case "withdraw": {
      // The staged version failed its tests.
      const target = staged(config);
      if (!target) return step(undefined);
      return step({
        ...config,
        versions: { ...versions, [target]: true },
        stagedVersion: undefined,
      });
    }
    case "add": {
      // An existing gallery version brought under management; above the active one it is not in
      // use, so it comes in withdrawn.
      if (op.version in versions) return step(undefined);
      const above = compareVersions(op.version, config.activeVersion) > 0;
      return step({ ...config, versions: { ...versions, [op.version]: above } });
    }
    case "remove": {
      const removable = sortVersions(Object.keys(versions)).filter(
        (v) => v !== config.activeVersion && v !== config.stagedVersion,
      );
      if (removable.length === 0) return step(undefined);
      const version = removable[op.pick % removable.length];
      delete versions[version];
      return step({ ...config, versions }, { version, role: roles[version] });
    }
    case "retain":
      return step({ ...config, retainBackups: op.count });
  }
}

/** The steps of a sequence, from `start`. */
export function run(start: LifecycleConfig, ops: readonly Operation[]): Step[] {
  const steps: Step[] = [];
  let config = start;
  for (const op of ops) {
    const s = apply(config, op);
    steps.push(s);
    config = s.after;
  }
  return steps;
}

/** GlobalImage arguments for a config: the fixture's image, a build VM per version. */
export function argsOf(c: LifecycleConfig): GlobalImageArgs {
  const base = validArgs();
  return {
    ...base,
    versions: Object.fromEntries(
      Object.entries(c.versions).map(([v, withdrawn]) => [
        v,
        {
          source: { virtualMachineId: IMAGE_VM(`build-${v}`) },
          ...(withdrawn ? { withdrawn } : {}),
        },
      ]),
    ),
    activeVersion: c.activeVersion,
    stagedVersion: c.stagedVersion,
    retainBackups: c.retainBackups,
  };
}

const version = fc.tuple(fc.nat(3), fc.nat(5), fc.nat(5)).map(([a, b, c]) => `${a}.${b}.${c}`);

/** A starting config: a few versions, one active, maybe one staged, the rest marked as needed. */
export const startConfig: fc.Arbitrary<LifecycleConfig> = fc
  .uniqueArray(version, { minLength: 1, maxLength: 5 })
  .chain((versions) =>
    fc
      .record({
        activeVersion: fc.constantFrom(...versions),
        stagedVersion: fc.option(fc.constantFrom(...versions), { nil: undefined }),
        retainBackups: fc.nat(3),
      })
      .map((c) => ({
        ...c,
        // Versions above the active one that are not staged must be marked withdrawn.
        versions: Object.fromEntries(
          versions.map((v) => [
            v,
            compareVersions(v, c.activeVersion) > 0 && v !== c.stagedVersion,
          ]),
        ),
      })),
  );

export const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    arbitrary: fc
      .constantFrom<0 | 1 | 2>(0, 1, 2)
      .map((part) => ({ kind: "stage", part }) as const),
    weight: 3,
  },
  { arbitrary: fc.constant({ kind: "promote" } as const), weight: 3 },
  { arbitrary: fc.constant({ kind: "rollback" } as const), weight: 2 },
  { arbitrary: fc.constant({ kind: "withdraw" } as const), weight: 1 },
  { arbitrary: version.map((v) => ({ kind: "add", version: v }) as const), weight: 1 },
  { arbitrary: fc.nat(10).map((pick) => ({ kind: "remove", pick }) as const), weight: 1 },
  { arbitrary: fc.nat(3).map((count) => ({ kind: "retain", count }) as const), weight: 1 },
);

/** The version the gallery's "latest" resolves to in `region`: the highest not excluded there. */
export function latestIn(
  region: string,
  versions: ReadonlyArray<{
    version: string;
    excludeFromLatest: boolean;
    targetRegions: ReadonlyArray<{ name: string; excludeFromLatest?: boolean }>;
  }>,
): string | undefined {
  const candidates = versions.filter(
    (v) =>
      !v.excludeFromLatest &&
      v.targetRegions.some((r) => r.name === region && r.excludeFromLatest !== true),
  );
  return candidates
    .map((v) => v.version)
    .sort(compareVersions)
    .pop();
}
