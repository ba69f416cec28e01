import { installMocks } from "../helpers/mocks";
import { argsWith, validArgs } from "../fixtures/globalImage";
import { messagesOf, onBothSides, violationsOf } from "./scenario";
import type { GlobalImageArgs } from "../../src/component/args";
import type { RegisteredResource } from "../../src/check/policyRun";

const recorder = installMocks();
import { GlobalImage } from "../../src/component/globalImage";

const LATEST = "non-active-versions-excluded-from-latest";
const BACKUPS = "backups-protected";
let n = 0;

async function run(args: GlobalImageArgs, config = {}, edit?: (r: RegisteredResource[]) => void) {
  return violationsOf(
    recorder,
    () => new GlobalImage(`img${++n}`, args, recorder.opts).versionIds,
    config,
    edit,
  );
}

/** Changes one version resource in the engine's view (drift, or a hand edit). */
const editVersion =
  (version: string, change: (props: any) => void) => (resources: RegisteredResource[]) =>
    onBothSides(
      resources.find(
        (r) =>
          r.type === "azure-native:compute:GalleryImageVersion" && r.name.endsWith(`-${version}`),
      )!,
      change,
    );

describe("non-active-versions-excluded-from-latest", () => {
  it("passes what GlobalImage registers", async () => {
    expect(messagesOf(await run(validArgs()), LATEST)).toEqual([]);
  });

  it("flags a staged version not excluded in one region", async () => {
    const violations = await run(
      validArgs(),
      {},
      editVersion(
        "1.10.0",
        (i) => (i.publishingProfile.targetRegions[1].excludeFromLatest = false),
      ),
    );
    expect(messagesOf(violations, LATEST)).toEqual([
      `Image version "img${n}-1.10.0" (win11-avd 1.10.0, staged): excludeFromLatest is not true for region northeurope, so "latest" could resolve to it instead of the active version 1.9.0. Set publishingProfile.excludeFromLatest and every targetRegions[].excludeFromLatest to true (GlobalImage does).`,
    ]);
    expect(violations.find((v) => v.policy === LATEST)?.enforcementLevel).toBe("mandatory");
  });

  it("flags a backup not excluded globally", async () => {
    const violations = await run(
      validArgs(),
      {},
      editVersion("1.1.0", (i) => delete i.publishingProfile.excludeFromLatest),
    );
    expect(messagesOf(violations, LATEST)[0]).toMatch(
      /"img\d+-1\.1\.0" \(win11-avd 1\.1\.0, backup\): excludeFromLatest is not true for the version,/,
    );
  });
});

describe("backups-protected", () => {
  it("advises an end-of-life date where Azure's deletion block is missing", async () => {
    // The fixture's active 1.9.0 has no endOfLifeDate; its backup 1.1.0 has one.
    expect(messagesOf(await run(validArgs()), BACKUPS)).toEqual([
      `Image version "img${n}-1.9.0" (win11-avd 1.9.0, active): lacks Azure's blockDeletionBeforeEndOfLife (give the version an endOfLifeDate).`,
    ]);
  });

  it("passes when active and backup versions are protected both ways", async () => {
    const args = argsWith((a) => (a.versions["1.9.0"].endOfLifeDate = "2028-01-31"));
    expect(messagesOf(await run(args), BACKUPS)).toEqual([]);
  });

  it("advises when fewer backups are kept than minBackups", async () => {
    const args = argsWith((a) => {
      a.versions["1.9.0"].endOfLifeDate = "2028-01-31";
      a.retainBackups = 0;
    });
    const messages = messagesOf(await run(args, { [BACKUPS]: { minBackups: 1 } }), BACKUPS);
    expect(messages).toEqual([
      `GlobalImage "img${n}": win11-avd keeps 0 backup(s); at least 1 are needed for a rollback. Keep older versions declared and retainBackups at 1 or more.`,
    ]);
  });

  it("reads a version marked withdrawn as the component does: withdrawn, not a backup", async () => {
    const args = argsWith((a) => {
      a.versions["1.9.0"].endOfLifeDate = "2028-01-31";
      a.versions["1.1.0"].withdrawn = true; // so 1.0.0 is the backup
    });
    expect(messagesOf(await run(args), BACKUPS)).toEqual([
      `Image version "img${n}-1.0.0" (win11-avd 1.0.0, backup): lacks Azure's blockDeletionBeforeEndOfLife (give the version an endOfLifeDate).`,
    ]);
  });

  it("flags a protected role that lost the protect option", async () => {
    const args = argsWith((a) => (a.versions["1.9.0"].endOfLifeDate = "2028-01-31"));
    const violations = await run(args, {}, (resources) => {
      const backup = resources.find((r) => r.name.endsWith("-1.1.0"))!;
      (backup as { protect?: boolean }).protect = false;
    });
    expect(messagesOf(violations, BACKUPS)).toEqual([
      `Image version "img${n}-1.1.0" (win11-avd 1.1.0, backup): lacks the protect resource option.`,
    ]);
  });
});
