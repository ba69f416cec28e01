/**
 * The offline check's worker process: reads an OfflineRunRequest (JSON) from the file named by its
 * argument, runs the program (or, with `--typecheck`, type-checks it), writes the result as JSON to
 * stdout; with `--serve`, one evaluation per IPC message (serve.ts), each isolated as a fresh process
 * would be. It ends with its parent: a killed `check` leaves no worker behind.
 */
import * as fs from "node:fs";
import { OfflineRunRequest, programEntry, runOffline } from "./offlineRun";
import { typeCheckProgram } from "./typescript";
import { serve } from "./serve";

process.on("disconnect", () => process.exit(130)); // the parent is gone

async function work(): Promise<void> {
  const typecheck = process.argv[2] === "--typecheck";
  const file = process.argv[typecheck ? 3 : 2];
  const request = JSON.parse(fs.readFileSync(file, "utf8")) as OfflineRunRequest;
  const result = typecheck
    ? typeCheckProgram(request.dir, programEntry(request), process.argv[4])
    : await runOffline(request);
  process.stdout.write(JSON.stringify(result));
}

if (process.argv[2] === "--serve") {
  serve(); // evaluations over IPC until the parent is gone (serve.ts)
} else {
  process.channel?.unref(); // the IPC channel alone keeps nothing alive
  work().catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(2);
  });
}
