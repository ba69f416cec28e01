/**
 * Section 9: rings. `ringVersion` for 1,000 consumers spread over 5 rings (the function every
 * consumer in a ring calls once per up), and the policy pack over a stack of one image with 5
 * rings and 1,000 host pools in them: `ring-order-respected` alone and the whole pack.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { checkRings } from "../src/domain/rings/ringSettings";
import { ringVersion } from "../src/domain/rings/rings";
import { ImageRole } from "../src/domain/images/roles";
import { NOW, RINGS, RING_NAMES, VERSIONS, activatedAt } from "./ringPrograms";
import { child, replaceSection } from "./spawn";

const HEADING = "## 9. Rings";
const CONSUMERS = 1000;
const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** The median of 5 timed runs of `CONSUMERS` ringVersion calls, after a warm-up. */
function ringVersionRuns(): { ms: number; perCallUs: number; versions: Record<string, string> } {
  const rings = checkRings("rings", RINGS);
  const versions = Object.fromEntries(
    VERSIONS.map((v, i) => [
      v,
      {
        role:
          i === VERSIONS.length - 1
            ? ImageRole.Active
            : i >= VERSIONS.length - 5
              ? ImageRole.Backup
              : ImageRole.Retired,
        activatedAt: activatedAt(i),
      },
    ]),
  );
  const activeVersion = VERSIONS[VERSIONS.length - 1];
  const seen: Record<string, string> = {};
  const once = () => {
    for (let i = 0; i < CONSUMERS; i++) {
      const ring = RING_NAMES[i % RING_NAMES.length];
      seen[ring] = ringVersion({ rings, ring, versions, activeVersion, now: NOW }).version;
    }
  };
  once();
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const started = performance.now();
    once();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[2], perCallUs: (times[2] * 1000) / CONSUMERS, versions: seen };
}

export function ringSection(say: (t?: string) => void): void {
  say(HEADING);
  say();
  say(
    `One image with ${VERSIONS.length} versions (one activated every 10 days, the newest active, 4 backups kept) ` +
      `and 5 rings (${RING_NAMES.join(", ")}; soak 1, 2, 3 and 7 days; the last two only in a weekend ` +
      `window, Europe/Amsterdam), at ${NOW}.`,
  );
  say();
  const r = ringVersionRuns();
  say(`| what | consumers | ms per run (median of 5) | µs per consumer |`);
  say(`| --- | ---: | ---: | ---: |`);
  say(
    `| ringVersion, each consumer's ring | ${CONSUMERS} | ${fmt(r.ms, 1)} | ${fmt(r.perCallUs, 1)} |`,
  );
  const file = path.join(os.tmpdir(), "global-image-bench-rings.json");
  const dumped = child<{ resources: number }>("ring-dump", String(CONSUMERS), file);
  const ringPolicy = child<{ ms: number; violations: number }>(
    "policies",
    file,
    "ring-order-respected",
  );
  const pack = child<{ ms: number; violations: number }>("policies", file);
  fs.rmSync(file);
  say(
    `| policy ring-order-respected over the registered stack (${dumped.resources} resources) | ${CONSUMERS} | ${fmt(ringPolicy.ms, 1)} | ${fmt((ringPolicy.ms * 1000) / CONSUMERS, 1)} |`,
  );
  say(
    `| the whole pack over the same stack | ${CONSUMERS} | ${fmt(pack.ms, 1)} | ${fmt((pack.ms * 1000) / CONSUMERS, 1)} |`,
  );
  say();
  say(
    `Each ring's version at that time: ${RING_NAMES.map((n) => `${n} ${r.versions[n]}`).join(", ")}. ` +
      `Violations: ${ringPolicy.violations} (the pools run what their rings allow).`,
  );
  say();
}

/** `BENCH_ONLY=rings`: section 9 alone, replacing it in the last full run's RESULTS.md. */
export function ringsOnly(lines: string[], say: (t?: string) => void): void {
  ringSection(say);
  replaceSection(HEADING, lines);
}
