/** Ring checks shared by the policies: what a ring may run now, from an image's plain record. */
import { Ring } from "../../src/domain/rings/ringSettings";
import { eligibleAt, formatTime, ringVersion } from "../../src/domain/rings/rings";
import { ImageRole } from "../../src/domain/images/roles";
import { parseRfc3339 } from "../../src/domain/common/time";
import { compareVersions } from "../../src/domain/images/version";

/** What a ring may run now, from an image's rings, roles and activation times. */
export interface RingWorld {
  readonly rings: readonly Ring[];
  readonly roles: Readonly<Record<string, string>>;
  readonly activatedAt: Readonly<Record<string, string>>;
  readonly activeVersion: string;
}

/** The problem with running `version` in `ring` now, or undefined when the ring may run it. */
export function ringProblem(
  world: RingWorld,
  ring: string,
  version: string,
  now: string,
): string | undefined {
  const index = world.rings.findIndex((r) => r.name === ring);
  if (index < 0) return `it is in ring "${ring}", which the image does not declare`;
  const versions = Object.fromEntries(
    Object.entries(world.roles).map(([v, role]) => [
      v,
      { role: role as ImageRole, activatedAt: world.activatedAt[v] },
    ]),
  );
  const allowed = ringVersion({
    rings: world.rings,
    ring,
    versions,
    activeVersion: world.activeVersion,
    now,
  });
  if (compareVersions(version, allowed.version) <= 0) return undefined;
  const activated = parseRfc3339(world.activatedAt[version]);
  const when =
    activated === undefined
      ? "it has not been activated (promote it first)"
      : `it becomes eligible at ${formatTime(eligibleAt(world.rings, index, activated))}`;
  return `it runs ${version}, which ring "${ring}" may not have yet (${when}; the ring may run ${allowed.version} now: ${allowed.reason}). Unpin it, or wait until then.`;
}
