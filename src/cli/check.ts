/**
 * `global-image check`: run the stack's program offline under the mock runtime, then the real
 * policy pack over what it registered. No cloud account, no Pulumi CLI. `--against <stack file>`
 * also evaluates another config (e.g. main's) and prints the promotion diff.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { policies, POLICY_PACK_NAME } from "../../policies/policies";
import { ProgramError, evaluateOffline } from "../check/evaluate";
import { OfflineRunRequest } from "../check/offlineRun";
import { PolicyConfig, PolicyViolation, runPolicies, toPolicyResources } from "../check/policyRun";
import { stackConfigValues } from "../program/stackFile";
import {
  ResourceChange,
  blockingChanges,
  consumerReports,
  diffRuns,
  imageReports,
} from "./checkReport";
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
  const request = requestFor(project, project.config, stackOutputs(options, project, io));
  const policyConfig = options.policyConfig
    ? (readJson(io.cwd, options.policyConfig, "--policy-config") as PolicyConfig)
    : {};
  // The base config (--against) is read and checked first, and evaluated alongside: two workers.
  const baseRequest = options.against
    ? requestFor(project, againstConfig(io, options.against), request.stackOutputs)
    : undefined;
  progress(
    io,
    `Running ${project.name} (stack ${project.stack}) offline under Pulumi's mock runtime` +
      `${options.against ? `, and with ${options.against} for the diff` : ""}...`,
  );
  const [run, base] = await Promise.all([
    evaluate(request, project.stackFile),
    baseRequest && evaluate(baseRequest, options.against!),
  ]);
  const resources = toPolicyResources(run.resources);
  const violations = await runPolicies(policies, resources, policyConfig);
  const diff: ResourceChange[] | undefined = base
    ? diffRuns(base.resources, run.resources)
    : undefined;
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
  const blocking = blockingChanges(diff ?? []);
  const report = {
    project: project.name,
    stack: project.stack,
    resources: run.resources.length,
    images: imageReports(resources),
    consumers: consumerReports(resources),
    violations,
    diff,
    warnings: run.warnings,
  };
  if (options.json) json(io, report);
  else printReport(io, report, mandatory.length, blocking);
  const blocked = blocking.churn.length + blocking.protectedDeletes.length;
  return mandatory.length > 0 || blocked > 0 ? ExitCode.Failed : ExitCode.Ok;
}

function requestFor(
  project: Project,
  config: Record<string, string>,
  outputs: Record<string, Record<string, unknown>>,
): OfflineRunRequest {
  return {
    dir: project.dir,
    project: project.name,
    stack: project.stack,
    runtime: project.runtime,
    main: project.main,
    config,
    stackOutputs: outputs,
  };
}

/** The config of the `--against` stack file. */
function againstConfig(io: Io, file: string): Record<string, string> {
  const text = readFile(io.cwd, file, "--against").toString("utf8");
  try {
    return stackConfigValues(text, file);
  } catch (err) {
    throw new CliError(`--against ${(err as Error).message}`);
  }
}

/** `--stack-outputs`, else the project's `stack-outputs.json` when it ships one. */
function stackOutputs(
  options: CheckOptions,
  project: Project,
  io: Io,
): Record<string, Record<string, unknown>> {
  if (options.stackOutputs)
    return readJson(io.cwd, options.stackOutputs, "--stack-outputs") as Record<
      string,
      Record<string, unknown>
    >;
  const shipped = path.join(project.dir, "stack-outputs.json");
  return fs.existsSync(shipped)
    ? (JSON.parse(fs.readFileSync(shipped, "utf8")) as Record<string, Record<string, unknown>>)
    : {};
}

async function evaluate(request: OfflineRunRequest, source: string) {
  try {
    return await evaluateOffline(request);
  } catch (err) {
    if (err instanceof ProgramError)
      throw new CliError(`${path.basename(source)}: the program failed: ${err.message}`);
    throw err;
  }
}

type Report = {
  project: string;
  stack: string;
  resources: number;
  images: ReturnType<typeof imageReports>;
  consumers: ReturnType<typeof consumerReports>;
  violations: PolicyViolation[];
  diff?: ResourceChange[];
  warnings: string[];
};

type Blocking = ReturnType<typeof blockingChanges>;

function printReport(io: Io, report: Report, mandatory: number, blocking: Blocking): void {
  const s = styles(io);
  line(
    io,
    s.bold(
      `${report.project} (stack ${report.stack}): ${report.resources} resources registered offline`,
    ),
  );
  for (const w of report.warnings) line(io, s.yellow(`! ${w}`));
  line(io, `\n${s.bold("Images")}`);
  for (const image of report.images)
    line(io, `  ${image.image}: ${image.roles.map((r) => `${r.version} ${r.role}`).join(" · ")}`);
  line(io, `\n${s.bold("Consumers")}`);
  for (const c of report.consumers) {
    const bound = c.version
      ? `${c.image} ${c.version}${c.role ? ` (${c.role})` : ""}`
      : (c.image ?? "no image");
    line(io, `  ${c.consumer.padEnd(40)} ${bound}${c.validation ? " [validation]" : ""}`);
  }
  if (report.diff) printDiff(io, report.diff, blocking);
  line(io, `\n${s.bold(`Policies (${POLICY_PACK_NAME})`)}`);
  for (const v of report.violations) {
    const mark =
      v.enforcementLevel === "mandatory" ? s.red("✖ mandatory") : s.yellow("! advisory ");
    line(io, `  ${mark} ${v.policy}: ${v.message}`);
  }
  line(
    io,
    mandatory > 0
      ? s.red(`✖ ${mandatory} mandatory violation(s)`)
      : s.green("✔ no mandatory violations"),
  );
}

function printDiff(io: Io, diff: ResourceChange[], { churn, protectedDeletes }: Blocking): void {
  const s = styles(io);
  const azure = diff.filter((c) => !c.component).length;
  line(io, `\n${s.bold(`Diff against the base config: ${azure} Azure resource(s) change`)}`);
  for (const change of diff) {
    const what = `${change.urn.split("::").slice(-2).join(" ")}${change.component ? " (component inputs)" : ""}`;
    line(io, `  ${change.kind.padEnd(7)} ${what}`);
    for (const c of change.changes)
      line(io, `          ${c.path}: ${changeText(c.before, c.after)}`);
  }
  line(
    io,
    churn.length > 0
      ? s.red(`✖ ${churn.length} image version(s) created or replaced`)
      : s.green("✔ no image version is created or replaced"),
  );
  for (const c of protectedDeletes) {
    line(
      io,
      s.red(
        `✖ ${c.urn.split("::").pop()} is protected and would be deleted: pulumi up refuses. ` +
          `Let it retire first (one pulumi up), then remove it`,
      ),
    );
  }
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
