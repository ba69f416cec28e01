/**
 * `global-image rings`: for each image of the stack config with rings, the version each ring may
 * run now (ringVersion, the same function the components and the policy use), why, when that
 * changes next, and the host pools and replicas in each ring. Reads config only; no program run.
 */
import { ringSchedule } from "../domain/rings/rings";
import { snapshotOf } from "../domain/images/snapshot";
import { ProjectConfig } from "../program/config";
import { ExitCode, Io, json, line, styles } from "./io";
import { loadProject, rootConfig } from "./project";

export interface RingsOptions {
  readonly stack?: string;
  readonly dir?: string;
  readonly json?: boolean;
}

/** Each image's rings at `now`, with the consumers in each. */
export function ringReport(config: ProjectConfig, now: Date) {
  return config.images
    .filter((image) => image.plan.rings.length > 0)
    .map((image) => {
      const snapshot = snapshotOf(image.plan, {});
      const schedule = ringSchedule({
        rings: snapshot.rings,
        versions: snapshot.versions,
        activeVersion: snapshot.activeVersion,
        now: now.toISOString(),
      });
      return {
        image: image.key,
        name: image.plan.image.name,
        activeVersion: image.plan.activeVersion,
        rings: schedule.map((r) => ({
          ...r,
          hostPools: config.hostPools
            .filter((p) => p.image === image.key && p.plan.ring === r.ring)
            .map((p) => p.key),
          replicas: config.replicas
            .filter(
              (c) => "image" in c.source && c.source.image === image.key && c.args.ring === r.ring,
            )
            .map((c) => c.key),
        })),
      };
    });
}

export async function rings(options: RingsOptions, io: Io): Promise<number> {
  const project = loadProject(io.cwd, options.dir, options.stack);
  const now = io.now();
  const report = ringReport(rootConfig(project, now), now);
  if (options.json) {
    json(io, { stack: project.stack, now: now.toISOString(), images: report });
    return ExitCode.Ok;
  }
  const s = styles(io);
  line(io, s.bold(`Stack ${project.stack}, ${now.toISOString()}`));
  if (report.length === 0) line(io, "No image declares rings (global-image:images.<key>.rings).");
  for (const image of report) {
    line(io);
    line(io, `${s.bold(image.image)} (${image.name}): active ${image.activeVersion}`);
    const width = Math.max(4, ...image.rings.map((r) => r.ring.length));
    line(io, `  ${"ring".padEnd(width)}  version   next change        consumers`);
    for (const r of image.rings) {
      const consumers = [
        ...r.hostPools.map((p) => `pool ${p}`),
        ...r.replicas.map((c) => `replica ${c}`),
      ];
      line(
        io,
        `  ${r.ring.padEnd(width)}  ${r.version.padEnd(8)}  ${(r.nextChangeAt ?? "—").padEnd(17)}  ${consumers.join(", ") || "—"}`,
      );
      line(io, `  ${" ".repeat(width)}  ${s.dim(r.reason)}`);
    }
  }
  return ExitCode.Ok;
}
