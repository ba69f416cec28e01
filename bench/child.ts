/**
 * One measurement, in a process of its own (so peak RSS is this run's): prints a JSON line.
 *   node dist/bench/child.js fleet component|hand <pools>
 *   node dist/bench/child.js dump <pools> <file>     (the component fleet's registrations)
 *   node dist/bench/child.js policies <file>         (the policy pack over a dump)
 *   node dist/bench/child.js contract <file>         (the ARM contract check over a dump)
 *   node dist/bench/child.js replicas component|hand <customers>
 *   node dist/bench/child.js replicas-dump <customers> <msp active version> <file>
 *   node dist/bench/child.js ring-dump <pools> <file>   (one image with 5 rings, pools in them)
 *   node dist/bench/child.js policies <file> [policy]   (one policy of the pack, or all)
 */
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import { runRecorded } from "../src/check/offlineRun";
import { RegisteredResource, engineView, runPolicies } from "../src/check/policyRun";
import { policies } from "../policies/policies";
import { checkContract } from "../src/contract/validate";
import { componentFleet, handFleet } from "./fleetPrograms";
import { componentReplicas, handReplicas } from "./replicaPrograms";
import { NOW, ringFleet } from "./ringPrograms";
import { NOW_VARIABLE } from "../src/component/clock";

const request = { project: "bench", stack: "dev", config: {}, stackOutputs: {} };

async function fleet(kind: string, pools: number) {
  const program = {
    component: componentFleet,
    hand: handFleet,
    "replicas-component": (n: number) => componentReplicas(n),
    "replicas-hand": (n: number) => handReplicas(n),
  }[kind];
  if (!program) throw new Error(`unknown fleet ${kind}`);
  const started = performance.now();
  const run = await runRecorded(pulumi, request, () => program(pools).then(() => ({})));
  const ms = performance.now() - started;
  const custom = run.resources.filter((r) => r.custom).length;
  const peakRssMB = rssMB();
  // Peak RSS is mostly garbage the SDK makes while registering (V8 collects it lazily); the heap
  // still live after a full collection is what the program holds.
  (globalThis as { gc?: () => void }).gc?.();
  const liveMB = process.memoryUsage().heapUsed / 2 ** 20;
  return { ms, rssMB: peakRssMB, liveMB, registered: run.resources.length, custom };
}

/** The customer fleet's registrations with the MSP image's active version `active`. */
async function replicaDump(customers: number, active: string, file: string) {
  const run = await runRecorded(pulumi, request, () =>
    componentReplicas(customers, active).then(() => ({})),
  );
  fs.writeFileSync(file, JSON.stringify(run.resources));
  return { resources: run.resources.length };
}

/** The ring fleet's registrations, declared at the bench's fixed time. */
async function ringDump(pools: number, file: string) {
  process.env[NOW_VARIABLE] = NOW;
  const run = await runRecorded(pulumi, request, () => ringFleet(pools).then(() => ({})));
  fs.writeFileSync(file, JSON.stringify(run.resources));
  return { resources: run.resources.length };
}

async function dump(pools: number, file: string) {
  const run = await runRecorded(pulumi, request, () => componentFleet(pools).then(() => ({})));
  fs.writeFileSync(file, JSON.stringify(run.resources));
  return { resources: run.resources.length };
}

/** The pack over a dump, in a process with nothing else on its heap: a warm-up, then 5 runs. */
async function policyRun(file: string, only?: string) {
  const registered = JSON.parse(fs.readFileSync(file, "utf8")) as RegisteredResource[];
  const chosen = only ? policies.filter((p) => p.name === only) : policies;
  if (chosen.length === 0) throw new Error(`no policy named ${only}`);
  // Policies that read the clock read the bench's fixed time.
  process.env[NOW_VARIABLE] = NOW;
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  await runPolicies(chosen, engineView(registered), {});
  const times: number[] = [];
  let violations = 0;
  for (let i = 0; i < 5; i++) {
    // Fresh resource objects each run, as each preview hands the pack: nothing read is reused.
    const resources = engineView(registered);
    gc();
    const started = performance.now();
    violations = (await runPolicies(chosen, resources, {})).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { resources: registered.length, ms: times[2], violations };
}

/**
 * The ARM contract check over a dump: the first run builds oav's validator (loading and compiling
 * the specs); the second, with the validator built, is the cost per body.
 */
async function contractRun(file: string) {
  const registered = JSON.parse(fs.readFileSync(file, "utf8")) as RegisteredResource[];
  let started = performance.now();
  const first = await checkContract(registered);
  const firstMs = performance.now() - started;
  started = performance.now();
  const again = await checkContract(registered);
  const ms = performance.now() - started;
  return {
    bodies: first.checked,
    firstMs,
    ms,
    perBodyMs: ms / Math.max(1, again.checked),
    violations: first.violations.length,
  };
}

/** Peak resident set size of this process, in MB. */
const rssMB = () => process.resourceUsage().maxRSS / 1024;

async function main(): Promise<void> {
  const [what, a, b, c] = process.argv.slice(2);
  const result =
    what === "fleet"
      ? await fleet(a, Number(b))
      : what === "replicas"
        ? await fleet(`replicas-${a}`, Number(b))
        : what === "replicas-dump"
          ? await replicaDump(Number(a), b, c)
          : what === "ring-dump"
            ? await ringDump(Number(a), b)
            : what === "dump"
              ? await dump(Number(a), b)
              : what === "contract"
                ? await contractRun(a)
                : await policyRun(a, b);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
