/** The offline runs of `check`: the program's, and with `--against` the base's first. */
import { ProgramError, evaluateOffline } from "../check/evaluate";
import { liveFleetFrom } from "../check/liveFleet";
import { OfflineRunRequest } from "../check/offlineRun";
import { CliError, Io, progress } from "./io";

/**
 * The program's run, and the base's with `--against`, side by side. The change must run against
 * what the base deployed (a session host rollout reads the live fleet): when the base deployed
 * VMs, the change runs once more, against them.
 */
export async function evaluateRuns(
  request: OfflineRunRequest,
  base: [OfflineRunRequest, string] | undefined,
  shown: { file: string; outputs: string },
  io: Io,
): Promise<[Evaluated, Evaluated?]> {
  const head = evaluate(request, shown.file, shown.outputs, io);
  if (!base) return [await head];
  const [run, baseResult] = await Promise.all([
    head,
    evaluate(base[0], base[1], shown.outputs, io),
  ]);
  const live = liveFleetFrom(baseResult.resources);
  if (Object.keys(live.vms).length === 0) return [run, baseResult];
  progress(io, `  ${shown.file}: again, against the VMs ${base[1]} deployed`);
  return [await evaluate({ ...request, live }, shown.file, shown.outputs, io), baseResult];
}

type Evaluated = Awaited<ReturnType<typeof evaluateOffline>>;

async function evaluate(request: OfflineRunRequest, source: string, outputsFile: string, io: Io) {
  try {
    const started = Date.now();
    const run = await evaluateOffline(request, undefined, (text) =>
      progress(io, `  ${source}: ${text}`),
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    progress(io, `  ${source}: ${run.resources.length} resources registered (${seconds} s)`);
    return run;
  } catch (err) {
    if (!(err instanceof ProgramError)) throw err;
    const hint = /Stack output "|StackReference/.test(err.message)
      ? ` (offline, stack outputs come from ${outputsFile}: add the output there, or name another file with --stack-outputs)`
      : "";
    throw new CliError(`${source}: the program failed: ${err.message}${hint}`);
  }
}
