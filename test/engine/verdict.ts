/**
 * Verdicts to compare: the engine's diagnostics (Analyze and AnalyzeStack) and `check`'s
 * violations, each as a sorted list of `level policy urn: message`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { stackFileConfig } from "../helpers/program";
import { Deployment, Diagnostic, ProgramRun } from "./engine";

export const PACK = path.join(__dirname, "..", "..", "dist", "policy-pack");

export function verdict(diagnostics: readonly Diagnostic[]): string[] {
  const lines = diagnostics.map(
    (d) => `${d.enforcementLevel} ${d.policy} ${d.urn ?? ""}: ${d.message}`,
  );
  return [...new Set(lines)].sort();
}

/** The engine's verdict of a deployment; a program that failed is an error with its logs. */
export function engineVerdict(d: Deployment): string[] {
  if (d.exitCode !== 0) {
    const errors = d.logs.filter((l) => l.severity >= 3).map((l) => l.message);
    throw new Error(`the program failed under the engine: ${errors.join("\n")} ${d.stderr}`);
  }
  return verdict([...d.analyze, ...d.analyzeStack]);
}

/** `check --json`'s verdict. */
export function checkVerdict(report: {
  violations: Array<{ policy: string; enforcementLevel: string; message: string; urn?: string }>;
}): string[] {
  return verdict(report.violations);
}

/** A project directory's program as `pulumi up` would run it on stack `stack`. */
export function projectRun(dir: string, stack: string): Omit<ProgramRun, "mode"> {
  const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
    name: string;
    main?: string;
  };
  const outputs = path.join(dir, "stack-outputs.json");
  return {
    root: dir,
    main: project.main ?? "",
    project: project.name,
    stack,
    config: stackFileConfig(path.join(dir, `Pulumi.${stack}.yaml`)),
    ...(fs.existsSync(outputs)
      ? { stackOutputs: JSON.parse(fs.readFileSync(outputs, "utf8")) }
      : {}),
  };
}
