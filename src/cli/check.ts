/**
 * `global-image check`: run the stack's program offline under the mock runtime, then the real
 * policy pack over what it registered. No cloud account, no Pulumi CLI. `--against <stack file>`
 * also evaluates another config (e.g. main's) and prints the promotion diff.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { policies, POLICY_PACK_NAME } from "../../policies/policies";
import { cacheDir } from "../check/evaluate";
import { evaluateRuns } from "./checkRuns";
import { OfflineRunRequest } from "../check/offlineRun";
import type { PolicyViolation } from "../check/policyRun";
import { ContractReport, checkContract } from "../contract/validate";
import { canonicalJson } from "../evidence/canonical";
import { NOW_VARIABLE } from "../domain/common/time";
import { StackConfig, readStackConfig } from "../program/stackFile";
import {
  BlockingChange,
  CHANGE_SYMBOL,
  ResourceChange,
  blockingChanges,
  consumerReports,
  diffRuns,
  imageReports,
  rolloutReports,
} from "./checkReport";
import { describeRollout } from "../domain/hostPools/rolloutSettings";
import { policySettings } from "./requirements";
import { readFile, readJson } from "./files";
import { CliError, ExitCode, Io, json, line, progress, styles } from "./io";
import { Project, loadProject } from "./project";

export interface CheckOptions {
  readonly dir?: string;
  readonly stack?: string;
  readonly policyConfig?: string;
  readonly against?: string;
  readonly stackOutputs?: string;
  readonly json?: boolean;
}

export async function check(options: CheckOptions, io: Io): Promise<number> {
  const project = loadProject(io.cwd, options.dir, options.stack);
  if (project.runtime !== "nodejs" && project.runtime !== "yaml")
    throw new CliError(
      `${path.join(project.dir, "Pulumi.yaml")}: runtime "${project.runtime}": check runs ` +
        `nodejs (TypeScript, JavaScript) and yaml programs; use \`pulumi preview\` for others`,
    );
  const settings = policySettings(io.cwd, options.policyConfig, project);
  const outputs = stackOutputs(options, project, io);
  const stack = readStackConfig(project.stackText, path.basename(project.stackFile));
  // One clock for both runs, and the one `rings` and `status` read (GLOBAL_IMAGE_NOW).
  const now = io.now().toISOString();
  const request = requestFor(project, stack, outputs.values, now);
  // The base config (--against) is read and checked first.
  const baseRequest = options.against
    ? requestFor(project, againstConfig(io, options.against), outputs.values, now)
    : undefined;
  progress(
    io,
    `Running ${project.name} (stack ${project.stack}) offline under Pulumi's mock runtime` +
      `${options.against ? `, and with ${options.against} for the diff` : ""}; policy config: ${settings.file ?? "none found (defaults)"}...`,
  );
  const shown = { file: path.basename(project.stackFile), outputs: outputs.shown };
  const evaluation = evaluateRuns(
    request,
    baseRequest && [baseRequest, options.against!],
    shown,
    io,
  );
  evaluation.catch(() => undefined); // handled below, after the import
  // The policy runner loads Pulumi's SDKs (most of a second): while the workers run.
  const { engineView, runPolicies } = await import("../check/policyRun");
  const [run, base] = await evaluation;
  // Inputs to resource policies, outputs to stack policies: what the engine hands the pack.
  const view = engineView(run.resources);
  const violations = await atClock(now, () => runPolicies(policies, view, settings.config));
  const contract = await checkContract(run.resources, cacheDir(project.dir));
  const diff: ResourceChange[] | undefined = base
    ? diffRuns(base.resources, run.resources)
    : undefined;
  const blocking = base ? blockingChanges(diff!, engineView(base.resources).outputs) : [];
  const mandatory = violations.filter((v) => BLOCKING_LEVELS.includes(v.enforcementLevel));
  const report = {
    project: project.name,
    stack: project.stack,
    policyConfig: settings.file ?? null,
    resources: run.resources.length,
    images: imageReports(view.outputs),
    consumers: consumerReports(view.outputs),
    rollouts: rolloutReports(view.outputs),
    violations,
    diff,
    against: options.against,
    blocking: blocking.map((b) => ({ urn: b.change.urn, kind: b.change.kind, reason: b.reason })),
    contract,
    warnings: run.warnings,
  };
  if (options.json) json(io, report);
  else printReport(io, report, mandatory.length, blocking);
  const failed = mandatory.length + blocking.length + contract.violations.length;
  return failed > 0 ? ExitCode.Failed : ExitCode.Ok;
}

/**
 * Runs `f` with GLOBAL_IMAGE_NOW set to the check's clock: the policies read it
 * (ring-order-respected), as the program did.
 */
async function atClock<T>(now: string, f: () => Promise<T>): Promise<T> {
  const before = process.env[NOW_VARIABLE];
  process.env[NOW_VARIABLE] = now;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env[NOW_VARIABLE];
    else process.env[NOW_VARIABLE] = before;
  }
}

/** Enforcement levels that stop `pulumi up` (remediate: our policies only validate). */
const BLOCKING_LEVELS = ["mandatory", "remediate"];

function requestFor(
  project: Project,
  config: StackConfig,
  outputs: Record<string, Record<string, unknown>>,
  now: string,
): OfflineRunRequest {
  return {
    dir: project.dir,
    project: project.name,
    stack: project.stack,
    runtime: project.runtime,
    main: project.main,
    config: config.values,
    secretKeys: config.secretKeys,
    stackOutputs: outputs,
    now,
  };
}

/** The config of the `--against` stack file. */
function againstConfig(io: Io, file: string): StackConfig {
  const text = readFile(io.cwd, file, "--against").toString("utf8");
  try {
    return readStackConfig(text, file);
  } catch (err) {
    throw new CliError(`--against ${(err as Error).message}`);
  }
}

/** `--stack-outputs`, else the project's `stack-outputs.json` when it ships one. */
function stackOutputs(
  options: CheckOptions,
  project: Project,
  io: Io,
): { values: Record<string, Record<string, unknown>>; shown: string } {
  const shipped = path.join(project.dir, "stack-outputs.json");
  const shown = options.stackOutputs ?? (path.relative(io.cwd, shipped) || shipped);
  const file = options.stackOutputs ?? (fs.existsSync(shipped) ? shipped : undefined);
  if (file === undefined) return { values: {}, shown: `${shown} (none found)` };
  const values = readJson(io.cwd, file, "--stack-outputs");
  if (typeof values !== "object" || values === null || Array.isArray(values))
    throw new CliError(`--stack-outputs ${shown}: must map stack names to their outputs`);
  return { values: values as Record<string, Record<string, unknown>>, shown };
}

type Report = {
  project: string;
  stack: string;
  resources: number;
  images: ReturnType<typeof imageReports>;
  consumers: ReturnType<typeof consumerReports>;
  rollouts: ReturnType<typeof rolloutReports>;
  violations: PolicyViolation[];
  diff?: ResourceChange[];
  against?: string;
  warnings: string[];
  contract: ContractReport;
};

function printReport(io: Io, report: Report, mandatory: number, blocking: BlockingChange[]): void {
  const s = styles(io);
  line(
    io,
    s.bold(
      `${report.project} (stack ${report.stack}): ${report.resources} resources registered offline`,
    ),
  );
  for (const w of report.warnings) line(io, s.yellow(`! ${w}`));
  if (report.images.length > 0) {
    line(io, `\n${s.bold("Images")}`);
    for (const image of report.images)
      line(io, `  ${image.image}: ${image.roles.map((r) => `${r.version} ${r.role}`).join(" · ")}`);
  }
  if (report.consumers.length > 0) {
    line(io, `\n${s.bold("Consumers")}`);
    for (const c of report.consumers) {
      const bound = c.version
        ? `${c.image} ${c.version}${c.role ? ` (${c.role})` : ""}`
        : (c.image ?? "no image");
      line(io, `  ${c.consumer.padEnd(40)} ${bound}${c.validation ? " [validation]" : ""}`);
    }
  }
  if (report.rollouts.length > 0) {
    line(io, `\n${s.bold("Session host rollouts")}`);
    for (const r of report.rollouts)
      line(io, `  ${r.pool}: ${describeRollout(r.settings)}\n    this step: ${r.summary}`);
  }
  if (report.diff) printDiff(io, report.diff, report.against ?? "", blocking);
  printContract(io, report.contract);
  line(io, `\n${s.bold(`Policies (${POLICY_PACK_NAME})`)}`);
  for (const v of report.violations) {
    const mark = BLOCKING_LEVELS.includes(v.enforcementLevel)
      ? s.red(`✖ ${v.enforcementLevel}`)
      : s.yellow(`! ${v.enforcementLevel}`);
    line(io, `  ${mark} ${v.policy}: ${v.message}`);
  }
  line(
    io,
    mandatory > 0
      ? s.red(`✖ ${mandatory} mandatory violation(s)`)
      : s.green("✔ no mandatory violations"),
  );
}

/** The ARM contract check: what was validated, what the specs do not cover, what ARM would reject. */
function printContract(io: Io, contract: ContractReport): void {
  if (contract.checked === 0 && contract.notChecked.length === 0) return;
  const s = styles(io);
  line(io, `\n${s.bold("Azure contract (ARM OpenAPI specs)")}`);
  line(
    io,
    `  ${contract.checked} request bodies checked (${contract.types.map((t) => t.split(":").pop()).join(", ")})`,
  );
  if (contract.notChecked.length > 0)
    line(io, `  not checked (no vendored spec): ${contract.notChecked.join(", ")}`);
  for (const v of contract.violations)
    line(
      io,
      s.red(`  ✖ ${v.type.split(":").pop()} "${v.resource}" ${v.path}: ${v.rule}: ${v.message}`),
    );
  line(
    io,
    contract.violations.length > 0
      ? s.red(`✖ ${contract.violations.length} request body violation(s): Azure would reject them`)
      : s.green("✔ every checked request body matches the ARM contract"),
  );
}

/** The diff as `pulumi preview` shows it: symbols, the changed fields, a summary line. */
function printDiff(io: Io, diff: ResourceChange[], base: string, blocking: BlockingChange[]): void {
  const s = styles(io);
  const colour = { create: s.green, update: s.yellow, replace: s.red, delete: s.red };
  line(io, `\n${s.bold(`Changes from ${base}`)}`);
  if (diff.length === 0) line(io, "  (no changes)");
  for (const change of diff) {
    const [type, name] = change.urn.split("::").slice(-2);
    const what = `${type} ${name}${change.component ? " (component inputs)" : ""}`;
    line(
      io,
      colour[change.kind](
        `  ${CHANGE_SYMBOL[change.kind].padEnd(2)} ${change.kind.padEnd(7)} ${what}`,
      ),
    );
    for (const c of fieldChanges(change.changes))
      line(io, `          ${c.path}: ${changeText(c.before, c.after)}`);
  }
  const azure = diff.filter((c) => !c.component);
  const count = (kind: ResourceChange["kind"]) => azure.filter((c) => c.kind === kind).length;
  line(
    io,
    `  Resources: ${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete (Azure resources; components not counted)`,
  );
  for (const b of blocking) line(io, s.red(`✖ ${b.change.urn.split("::").pop()} ${b.reason}`));
  if (blocking.length === 0)
    line(
      io,
      s.green(
        "✔ no existing image version, protected resource or production consumer is deleted or replaced",
      ),
    );
}

/** Changed fields, a changed `vmTemplate` (a JSON string) decoded into its own fields. */
function fieldChanges(changes: ResourceChange["changes"]): ResourceChange["changes"] {
  return changes.flatMap((c) => {
    if (c.path !== "vmTemplate" || typeof c.before !== "string" || typeof c.after !== "string")
      return [c];
    try {
      const a = JSON.parse(c.before) as Record<string, unknown>;
      const b = JSON.parse(c.after) as Record<string, unknown>;
      return [...new Set([...Object.keys(a), ...Object.keys(b)])]
        .filter((k) => canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null))
        .map((k) => ({ path: `vmTemplate.${k}`, before: a[k], after: b[k] }));
    } catch {
      return [c];
    }
  });
}
/** `before → after`, long values cut to where they differ (ids differ only at the end). */
function changeText(before: unknown, after: unknown): string {
  const a = JSON.stringify(before) ?? "nothing";
  const b = JSON.stringify(after) ?? "nothing";
  let common = 0;
  while (common < Math.min(a.length, b.length) && a[common] === b[common]) common++;
  const cut = common > 40 ? Math.max(a.lastIndexOf("/", common), common - 20) : 0;
  const show = (text: string) => {
    const tail = cut > 0 ? `…${text.slice(cut)}` : text;
    return tail.length > 100 ? `${tail.slice(0, 97)}...` : tail;
  };
  return `${show(a)} → ${show(b)}`;
}
