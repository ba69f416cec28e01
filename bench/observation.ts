/**
 * Section 10: what one `pulumi up` reads to observe a pool, by list (two paged ARM lists: the
 * pool's session hosts and its resource group's VMs, through the simulated ARM that answers as
 * Azure pages) against the per-host reads of earlier releases (one VM read and one registration
 * read per host, plus the pool's tags), and the throttling wait each implies under ARM's
 * published read bucket and Compute's VM read budgets; then the time of one observation step.
 */
import { performance } from "node:perf_hooks";
import { observeFleet } from "../src/consumers/rolloutObserve";
import { planRollout } from "../src/domain/hostPools/rollout";
import { SEEDED_POOL, SimulatedArm, seededPool } from "../src/mocks/simulatedArm";
import { replaceSection } from "./spawn";

/** ARM's read bucket per subscription, region and principal: 250, refilled at 25 per second. */
const ARM_BUCKET = 250;
const ARM_REFILL_PER_S = 25;
/** Compute: VM list ("high cost get") 300/min, burst 900; VM get ("low cost") 8,000/min, burst 24,000. */
const COMPUTE_LIST = { perMinute: 300, burst: 900 };
const COMPUTE_GET = { perMinute: 8000, burst: 24_000 };

const SUB = SEEDED_POOL.subscriptionId;
const QUERY = SEEDED_POOL;
const ACCESS = { endpoint: "https://management.azure.com", token: "bench" };
const DEF = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/win11`;

const world = (hosts: number) => seededPool(hosts, `${DEF}/versions/1.0.0`);

/** Seconds a burst of `reads` waits on a full bucket of `burst` refilled at `perSecond`. */
const waitS = (reads: number, burst: number, perSecond: number) =>
  Math.max(0, (reads - burst) / perSecond);

export interface ObservationRow {
  readonly hosts: number;
  readonly listReads: number;
  readonly vmListReads: number;
  readonly perHostReads: number;
  readonly listWaitS: number;
  readonly perHostWaitS: number;
  readonly stepMs: number;
}

/** One pool of `hosts`: its reads both ways, and the time of one observation step (lists + plan). */
export async function measureObservation(hosts: number): Promise<ObservationRow> {
  const fleet = world(hosts);
  const arm = new SimulatedArm(() => fleet);
  const started = performance.now();
  const observed = await observeFleet(QUERY, ACCESS, arm);
  planRollout({
    target: "2.0.0",
    count: hosts,
    hosts: observed.hosts,
    settings: { batchSize: "10%" },
    now: "2026-12-07T12:00:00Z",
    namePrefix: "avd",
  });
  const stepMs = performance.now() - started;
  if (observed.hosts.length !== hosts)
    throw new Error(`observed ${observed.hosts.length} of ${hosts}`);
  const listReads = arm.requests.length;
  const vmListReads = arm.requests.filter((u) => u.includes("/virtualMachines")).length;
  const perHostReads = 2 * hosts + 1;
  // ARM's bucket binds both ways; Compute's list budget (per minute) binds the VM list pages,
  // its get budget the per-host VM reads.
  const listWaitS = Math.max(
    waitS(listReads, ARM_BUCKET, ARM_REFILL_PER_S),
    waitS(vmListReads, COMPUTE_LIST.burst, COMPUTE_LIST.perMinute / 60),
  );
  const perHostWaitS = Math.max(
    waitS(perHostReads, ARM_BUCKET, ARM_REFILL_PER_S),
    waitS(hosts, COMPUTE_GET.burst, COMPUTE_GET.perMinute / 60),
  );
  return { hosts, listReads, vmListReads, perHostReads, listWaitS, perHostWaitS, stepMs };
}

const OBSERVATION_HEADING = "## 10. Observing a pool: paged lists against per-host reads";
const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** Section 10 (see the module comment). */
export async function observationSection(say: (t?: string) => void): Promise<void> {
  say(OBSERVATION_HEADING);
  say();
  say(
    `Reads one \`pulumi up\` makes to observe one pool (the simulated ARM pages as Azure does: ` +
      `1,000 registrations per page as asked, 1,000 VMs per page, an assumption: Compute does not ` +
      `document its page size), against the per-host reads of earlier releases (a VM read and a ` +
      `registration read per host, plus the pool's tags). Throttling wait: a burst of those reads ` +
      `on a full bucket, the larger of ARM's (${ARM_BUCKET} reads, refilled at ${ARM_REFILL_PER_S}/s, ` +
      `per subscription, region and principal) and Compute's (VM list ${COMPUTE_LIST.perMinute}/min, ` +
      `burst ${COMPUTE_LIST.burst}; VM get ${COMPUTE_GET.perMinute}/min, burst ${COMPUTE_GET.burst}), ` +
      `with nothing else of the team reading. Step time: both lists, joined, and the plan, on this machine.`,
  );
  say();
  say(
    `| hosts | list reads (VM pages) | per-host reads | reads ratio | throttling wait, lists | throttling wait, per host | one observation step ms |`,
  );
  say(`| ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
  for (const hosts of [100, 1000, 10_000]) {
    const r = await measureObservation(hosts);
    say(
      `| ${hosts} | ${r.listReads} (${r.vmListReads}) | ${r.perHostReads} | ${fmt(r.perHostReads / r.listReads)} | ` +
        `${fmt(r.listWaitS, 1)} s | ${fmt(r.perHostWaitS, 1)} s | ${fmt(r.stepMs)} |`,
    );
  }
  say();
  say(
    `The per-host reads of a 10,000-host pool wait about 13 minutes on ARM's bucket in every up ` +
      `(and drain it for every other tool of the same principal); the lists fit in the bucket. ` +
      `Retries (429 with Retry-After, 5xx) add reads only when Azure asks for them.`,
  );
}

/** `BENCH_ONLY=observation`: section 10 alone, replacing it in the last full run's RESULTS.md. */
export async function observationOnly(lines: string[], say: (t?: string) => void): Promise<void> {
  await observationSection(say);
  replaceSection(OBSERVATION_HEADING, lines);
}
