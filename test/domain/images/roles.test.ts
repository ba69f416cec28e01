import fc from "fast-check";
import {
  ImageRole,
  computeRoles,
  newestBackup,
  versionsWithRole,
} from "../../../src/domain/images/roles";
import { compareVersions } from "../../../src/domain/images/version";

const { Active: A, Staged: S, Backup: B, Retired: R, Withdrawn: W } = ImageRole;

interface RoleCase {
  readonly name: string;
  readonly versions: string[];
  readonly active: string;
  readonly staged?: string;
  readonly retain?: number;
  readonly marked?: string[];
  readonly expected: Record<string, ImageRole>;
}

const CASES: RoleCase[] = [
  {
    name: "one version is active",
    versions: ["1.0.0"],
    active: "1.0.0",
    expected: { "1.0.0": A },
  },
  {
    name: "a new version staged above the active one, default one backup",
    versions: ["1.0.0", "1.1.0", "1.2.0", "1.3.0"],
    active: "1.2.0",
    staged: "1.3.0",
    expected: { "1.0.0": R, "1.1.0": B, "1.2.0": A, "1.3.0": S },
  },
  {
    name: "promotion: staged === active means nothing staged; previous active becomes backup",
    versions: ["1.0.0", "1.1.0", "1.2.0", "1.3.0"],
    active: "1.3.0",
    staged: "1.3.0",
    expected: { "1.0.0": R, "1.1.0": R, "1.2.0": B, "1.3.0": A },
  },
  {
    name: "rollback: versions above the active one that are not staged are withdrawn",
    versions: ["1.0.0", "1.1.0", "1.2.0", "1.3.0"],
    active: "1.1.0",
    expected: { "1.0.0": B, "1.1.0": A, "1.2.0": W, "1.3.0": W },
  },
  {
    name: "retainBackups 0 keeps no backup",
    versions: ["1.0.0", "1.1.0"],
    active: "1.1.0",
    retain: 0,
    expected: { "1.0.0": R, "1.1.0": A },
  },
  {
    name: "retainBackups 2 keeps the two highest below the active one",
    versions: ["1.0.0", "1.1.0", "1.2.0", "1.3.0"],
    active: "1.3.0",
    retain: 2,
    expected: { "1.0.0": R, "1.1.0": B, "1.2.0": B, "1.3.0": A },
  },
  {
    name: "a staged version below the active one is staged, not a backup",
    versions: ["1.0.0", "1.1.0", "1.2.0"],
    active: "1.2.0",
    staged: "1.1.0",
    expected: { "1.0.0": B, "1.1.0": S, "1.2.0": A },
  },
  {
    name: "a version marked withdrawn below the active one is withdrawn and takes no backup slot",
    versions: ["1.0.0", "1.1.0", "1.2.0"],
    active: "1.2.0",
    marked: ["1.1.0"],
    expected: { "1.0.0": B, "1.1.0": W, "1.2.0": A },
  },
  {
    name: "promoting past a marked version: the previous active is the backup",
    versions: ["1.0.0", "1.1.0", "1.2.0"],
    active: "1.2.0",
    marked: ["1.1.0"],
    retain: 2,
    expected: { "1.0.0": B, "1.1.0": W, "1.2.0": A },
  },
  {
    name: "numeric order: 1.10.0 is above 1.9.0",
    versions: ["1.9.0", "1.10.0", "1.2.0"],
    active: "1.10.0",
    expected: { "1.2.0": R, "1.9.0": B, "1.10.0": A },
  },
];

describe("computeRoles", () => {
  it.each(CASES)("$name", ({ versions, active, staged, retain, marked, expected }) => {
    expect(
      computeRoles({
        versions,
        activeVersion: active,
        stagedVersion: staged,
        retainBackups: retain,
        withdrawnVersions: marked,
      }),
    ).toEqual(expected);
  });

  it("newestBackup is the rollback target", () => {
    const roles = computeRoles({
      versions: ["1.0.0", "1.1.0", "1.2.0"],
      activeVersion: "1.2.0",
      retainBackups: 2,
    });
    expect(versionsWithRole(roles, B)).toEqual(["1.0.0", "1.1.0"]);
    expect(newestBackup(roles)).toBe("1.1.0");
    expect(newestBackup({ "1.0.0": A })).toBeUndefined();
  });
});

const versionSet = fc.uniqueArray(
  fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`),
  { minLength: 1, maxLength: 12 },
);
const scenario = versionSet.chain((versions) =>
  fc.record({
    versions: fc.constant(versions),
    active: fc.constantFrom(...versions),
    staged: fc.option(fc.constantFrom(...versions), { nil: undefined }),
    retain: fc.nat(4),
  }),
);

describe("role invariants", () => {
  it("hold for any version set", () => {
    fc.assert(
      fc.property(scenario, ({ versions, active, staged, retain }) => {
        const roles = computeRoles({
          versions,
          activeVersion: active,
          stagedVersion: staged,
          retainBackups: retain,
        });
        const byRole = (role: ImageRole) => versionsWithRole(roles, role);
        expect(Object.keys(roles).sort()).toEqual([...versions].sort());
        expect(byRole(A)).toEqual([active]);
        expect(byRole(S)).toEqual(staged !== undefined && staged !== active ? [staged] : []);
        const eligible = versions.filter((v) => compareVersions(v, active) < 0 && v !== staged);
        expect(byRole(B)).toHaveLength(Math.min(retain, eligible.length));
        for (const b of byRole(B)) {
          expect(compareVersions(b, active)).toBeLessThan(0);
          for (const r of byRole(R)) expect(compareVersions(r, b)).toBeLessThan(0);
        }
        for (const w of byRole(W)) expect(compareVersions(w, active)).toBeGreaterThan(0);
      }),
    );
  });

  // Roles have no history: a version between the two (withdrawn before) would become the newest
  // backup instead, which is why the property excludes such sets.
  const promotable = scenario.filter(
    (s) =>
      s.staged !== undefined &&
      compareVersions(s.staged, s.active) > 0 &&
      s.retain > 0 &&
      !s.versions.some(
        (v) => compareVersions(v, s.active) > 0 && compareVersions(v, s.staged!) < 0,
      ),
  );

  it("a promotion of the staged version makes the previous active the newest backup", () => {
    fc.assert(
      fc.property(promotable, ({ versions, active, staged, retain }) => {
        const after = computeRoles({
          versions,
          activeVersion: staged!,
          stagedVersion: staged,
          retainBackups: retain,
        });
        expect(after[staged!]).toBe(A);
        expect(newestBackup(after)).toBe(active);
      }),
    );
  });
});
