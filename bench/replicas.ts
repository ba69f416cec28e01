/**
 * Section 8: customer replicas. One MSP image copied into C customer galleries (a provider per
 * customer, two production pools each), component ÷ hand-written, in pairs of fresh processes;
 * and the promotion blast radius across every customer (the MSP image's activeVersion
 * 1.3.0 → 1.4.0, the staged version), diffed as `check --against` does.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RegisteredResource } from "../src/check/policyRun";
import { diffRuns } from "../src/cli/checkReport";
import { median } from "./coldStart";
import { child, replaceSection } from "./spawn";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 9);
const HEADING = "## 8. Customer replicas";

interface Run {
  readonly ms: number;
  readonly rssMB: number;
  readonly liveMB: number;
  readonly custom: number;
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);

function pairs(customers: number) {
  const component: Run[] = [];
  const hand: Run[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const c = child<Run>("replicas", "component", String(customers));
    const h = child<Run>("replicas", "hand", String(customers));
    if (c.custom !== h.custom)
      throw new Error(`the customer fleets differ: ${c.custom} vs ${h.custom} Azure resources`);
    component.push(c);
    hand.push(h);
    ratios.push(c.ms / h.ms);
  }
  return {
    component: median(component, (r) => r.ms),
    hand: median(hand, (r) => r.ms),
    ratio: median(ratios, (r) => r),
    ratios,
  };
}

function registrations(customers: number, active: string): RegisteredResource[] {
  const file = path.join(os.tmpdir(), `global-image-bench-replicas-${active}.json`);
  child("replicas-dump", String(customers), active, file);
  const resources = JSON.parse(fs.readFileSync(file, "utf8")) as RegisteredResource[];
  fs.rmSync(file);
  return resources;
}

/** The promotion's changes, counted by what they touch. */
function blastRadius(customers: number) {
  const changes = diffRuns(registrations(customers, "1.3.0"), registrations(customers, "1.4.0"));
  const custom = changes.filter((c) => !c.component);
  const replicaVersion = (urn: string) =>
    /ImageReplica\$azure-native:compute:GalleryImageVersion/.test(urn);
  const count = (kind: string, match: (urn: string, type: string) => boolean) =>
    custom.filter((c) => c.kind === kind && match(c.urn, c.type)).length;
  return {
    copiesUpdated: count("update", (urn) => replicaVersion(urn)),
    copiesCreated: count("create", (urn) => replicaVersion(urn)),
    mspVersionsUpdated: count(
      "update",
      (urn, t) => t.endsWith("GalleryImageVersion") && !replicaVersion(urn),
    ),
    poolsUpdated: count("update", (_u, t) => t.endsWith("HostPool")),
    replaced: custom.filter((c) => c.kind === "replace").length,
    deleted: custom.filter((c) => c.kind === "delete").length,
    other: custom.filter(
      (c) => !c.type.endsWith("GalleryImageVersion") && !c.type.endsWith("HostPool"),
    ).length,
  };
}

/** Section 8; true when the promotion replaced or deleted anything (the run then fails). */
export function replicaSection(say: (t?: string) => void): boolean {
  say(HEADING);
  say();
  say(
    `1 MSP image (5 versions: 1.3.0 active, 1.4.0 staged) × ${CUSTOMERS} customers, each with an ` +
      `azure-native provider for its subscription (the MSP tenant auxiliary), its own gallery with ` +
      `the copies (4 versions) and 2 production host pools on its active copy. The hand-written ` +
      `fleet registers the same Azure resources with raw azure-native classes. ${REPEAT} pairs of ` +
      `fresh processes; the time ratio is the median of the ratios within pairs.`,
  );
  say();
  const f = pairs(CUSTOMERS);
  say(
    `| customers | Azure resources | component ms | hand ms | time ratio | ratio in each pair | component peak RSS MB | hand peak RSS MB |`,
  );
  say(`| ---: | ---: | ---: | ---: | ---: | :--- | ---: | ---: |`);
  say(
    `| ${CUSTOMERS} | ${f.hand.custom} | ${fmt(f.component.ms)} | ${fmt(f.hand.ms)} | ${fmt(f.ratio, 2)} | ` +
      `${f.ratios.map((r) => fmt(r, 2)).join(", ")} | ${fmt(f.component.rssMB)} | ${fmt(f.hand.rssMB)} |`,
  );
  say();
  const r = blastRadius(CUSTOMERS);
  say(
    `**Promotion across every customer** (MSP activeVersion 1.3.0 → 1.4.0; every replica follows):`,
  );
  say();
  say(
    `- customer copies updated in place: ${r.copiesUpdated} (${fmt(r.copiesUpdated / CUSTOMERS, 1)} per replica: 1.3.0 active → backup, 1.2.0 backup → retired)`,
  );
  say(
    `- customer copies created: ${r.copiesCreated} (${fmt(r.copiesCreated / CUSTOMERS, 1)} per replica: 1.4.0, which no customer held)`,
  );
  say(`- MSP versions updated in place: ${r.mspVersionsUpdated}`);
  say(`- host pools updated (vmTemplate to 1.4.0): ${r.poolsUpdated}`);
  say(`- replaced: ${r.replaced}, deleted: ${r.deleted}, anything else changed: ${r.other}`);
  say();
  return r.replaced + r.deleted + r.other > 0;
}

/** `BENCH_ONLY=replicas`: section 8 alone, replacing it in the last full run's RESULTS.md. */
export function replicasOnly(lines: string[], say: (t?: string) => void): void {
  replicaSection(say);
  replaceSection(HEADING, lines);
}
