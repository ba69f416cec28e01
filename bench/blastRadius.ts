/**
 * Promotion blast radius: the demo fleet (Pulumi.dev.yaml) evaluated offline before and after
 * `activeVersion` changes, diffed the way `check --against` does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { evaluateOffline } from "../src/check/evaluate";
import { diffRuns } from "../src/cli/checkReport";
import { editStack } from "../src/program/stackEdit";
import { stackConfigValues } from "../src/program/stackFile";

export interface BlastRadius {
  readonly scenario: string;
  /** Version resources updated in place, with their role before → after. */
  readonly versions: string[];
  readonly consumers: string[];
  readonly componentInputs: number;
  readonly replaced: number;
  readonly created: number;
  readonly deleted: number;
}

const REPO = path.join(__dirname, "..", "..");
const IMAGE = ["global-image:images", "win11"];

/** The demo fleet's promotion of 1.1.0, as shipped and with `retainBackups: 2`. */
export async function blastRadius(): Promise<BlastRadius[]> {
  const shipped = fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8");
  const twoBackups = editStack(
    shipped,
    [{ path: [...IMAGE, "retainBackups"], value: 2, create: true }],
    "Pulumi.dev.yaml",
  );
  return [
    await promotion("demo fleet as shipped (retainBackups 1)", shipped),
    await promotion("demo fleet with retainBackups 2", twoBackups),
  ];
}

async function promotion(scenario: string, before: string): Promise<BlastRadius> {
  const after = editStack(
    before,
    [{ path: [...IMAGE, "activeVersion"], value: "1.1.0" }],
    "Pulumi.dev.yaml",
  );
  const [base, next] = await Promise.all([run(before), run(after)]);
  const diff = diffRuns(base.resources, next.resources);
  const custom = diff.filter((c) => !c.component);
  const roleOf = (resources: typeof base.resources, urn: string) =>
    (resources.find((r) => r.urn === urn)?.inputs.tags as Record<string, string>)?.[
      "global-image:role"
    ];
  const name = (urn: string) => urn.split("::").pop()!;
  const versions = custom
    .filter((c) => c.type === "azure-native:compute:GalleryImageVersion" && c.kind === "update")
    .map(
      (c) => `${name(c.urn)} (${roleOf(base.resources, c.urn)} → ${roleOf(next.resources, c.urn)})`,
    );
  return {
    scenario,
    versions,
    consumers: custom
      .filter((c) => c.type === "azure-native:desktopvirtualization:HostPool")
      .map((c) => name(c.urn)),
    componentInputs: diff.filter((c) => c.component).length,
    replaced: diff.filter((c) => c.kind === "replace").length,
    created: diff.filter((c) => c.kind === "create").length,
    deleted: diff.filter((c) => c.kind === "delete").length,
  };
}

function run(stackText: string) {
  return evaluateOffline({
    dir: REPO,
    project: "global-image",
    stack: "dev",
    runtime: "nodejs",
    main: "src/program/index.ts",
    config: stackConfigValues(stackText),
    stackOutputs: {},
  });
}
