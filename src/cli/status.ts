/**
 * `global-image status`: for each image in the stack config, its versions with their roles and
 * evidence verdicts, and which host pools use which version. Reads config only; no program run.
 */
import { HostPoolConfig } from "../program/hostPoolConfig";
import { ProjectConfig } from "../program/config";
import { printable } from "../domain/common/text";
import { evidenceVerdict } from "./imageEvidence";
import { ExitCode, Io, json, line, progress, styles } from "./io";
import { loadProject, rootConfig } from "./project";
import { policySettings } from "./requirements";
import { readRollouts, rolloutLines } from "./rolloutReport";
import { ringReport } from "./rings";
import { planReplica } from "../domain/replicas/replica";
import { snapshotOf } from "../domain/images/snapshot";
import { describeRollout } from "../domain/hostPools/rolloutSettings";

export interface StatusOptions {
  readonly stack?: string;
  readonly dir?: string;
  readonly policyConfig?: string;
  readonly json?: boolean;
  /** `pulumi stack output --json` of the last up: each pool's session host rollout. */
  readonly outputs?: string;
}

export async function status(options: StatusOptions, io: Io): Promise<number> {
  const project = loadProject(io.cwd, options.dir, options.stack);
  const config = rootConfig(project, io.now());
  const settings = policySettings(io.cwd, options.policyConfig, project);
  const rollouts = options.outputs ? readRollouts(io.cwd, options.outputs) : {};
  if (!options.json)
    progress(io, `Policy config: ${settings.file ?? "none found (every default)"}`);
  const report = config.images.map((image) => ({
    image: image.key,
    name: image.plan.image.name,
    activeVersion: image.plan.activeVersion,
    stagedVersion: image.plan.stagedVersion,
    versions: image.plan.versions.map((v) => {
      const verdict = evidenceVerdict(image, v.version, settings, project, io);
      return {
        version: v.version,
        role: v.role,
        // Built by Image Builder: its recipe's digest (where its build stands is the stack's
        // `builds` output; status reads no Azure).
        ...(v.build ? { recipeSha256: v.build.recipeSha256 } : {}),
        evidence: verdict.exempt
          ? "exempt (exemptVersions)"
          : verdict.ok
            ? "passed"
            : verdict.problems.join("; "),
      };
    }),
    hostPools: poolsOf(config, image.key, io.now()).map((p) => ({
      ...p,
      rollout: rollouts[p.name],
    })),
    replicas: replicasOf(config, image.key, io.now()),
  }));
  if (options.json) {
    json(io, { stack: project.stack, policyConfig: settings.file ?? null, images: report });
    return ExitCode.Ok;
  }
  const s = styles(io);
  line(io, s.bold(`Stack ${project.stack} (${project.stackFile})`));
  for (const image of report) {
    line(io);
    line(
      io,
      `${s.bold(image.image)} (${image.name}): active ${image.activeVersion}, ${image.stagedVersion ? `staged ${image.stagedVersion}` : "nothing staged"}`,
    );
    for (const v of [...image.versions].reverse()) {
      const mark =
        v.evidence === "passed"
          ? s.green("✔ evidence passed")
          : v.evidence.startsWith("exempt")
            ? s.yellow(`! ${v.evidence}`)
            : s.yellow(`✖ ${printable(v.evidence)}`);
      const built = v.recipeSha256 ? ` (Image Builder, recipe ${v.recipeSha256.slice(0, 12)})` : "";
      line(io, `  ${v.version.padEnd(12)} ${v.role.padEnd(10)} ${mark}${built}`);
    }
    for (const pool of image.hostPools) {
      const ring = pool.ring === undefined ? "" : ` (ring ${pool.ring})`;
      line(
        io,
        `  host pool ${pool.name}${pool.validation ? " (validation)" : ""}${ring} → ${pool.version}`,
      );
      if (pool.rolloutSettings)
        line(io, `    rollout settings: ${describeRollout(pool.rolloutSettings)}`);
      if (pool.rollout) for (const text of rolloutLines(pool.rollout)) line(io, text);
    }
    for (const replica of image.replicas) {
      const how = replica.ring ? `ring ${replica.ring}` : replica.pinned ? "pinned" : "follows";
      line(io, `  replica ${replica.name} (${how}) → ${replica.version}`);
    }
  }
  return ExitCode.Ok;
}

function poolsOf(config: ProjectConfig, imageKey: string, now: Date) {
  const image = config.images.find((i) => i.key === imageKey)!;
  const ringVersions = Object.fromEntries(
    (ringReport(config, now).find((r) => r.image === imageKey)?.rings ?? []).map((r) => [
      r.ring,
      r.version,
    ]),
  );
  return config.hostPools
    .filter((p: HostPoolConfig) => p.image === imageKey)
    .map((p) => ({
      name: p.key,
      validation: p.plan.validationEnvironment,
      ...(p.plan.ring === undefined ? {} : { ring: p.plan.ring }),
      // How many hosts go at once, in hosts: what the rollout settings resolve to.
      ...(p.plan.rollout === undefined ? {} : { rolloutSettings: p.plan.rollout }),
      version:
        p.plan.ring !== undefined
          ? ringVersions[p.plan.ring]
          : p.plan.validationEnvironment
            ? (image.plan.stagedVersion ?? image.plan.activeVersion)
            : image.plan.activeVersion,
    }));
}

/** The replicas of an image of this stack, with the version each runs now. */
function replicasOf(config: ProjectConfig, imageKey: string, now: Date) {
  const image = config.images.find((i) => i.key === imageKey)!;
  const snapshot = snapshotOf(image.plan, {});
  return config.replicas
    .filter((r) => "image" in r.source && r.source.image === imageKey)
    .map((r) => {
      const plan = planReplica(r.args, snapshot, now.toISOString());
      return {
        name: r.key,
        ...(r.args.ring === undefined ? {} : { ring: r.args.ring }),
        pinned: r.args.activeVersion !== undefined,
        version: plan.activeVersion,
      };
    });
}
