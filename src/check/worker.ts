/**
 * The offline check's worker process: reads an OfflineRunRequest (JSON) from the file named by its
 * argument, runs the program (or, with `--typecheck`, type-checks it), writes the result as JSON to
 * stdout. A fresh process per evaluation keeps one run's Pulumi state and modules out of the next.
 * It ends with its parent: a killed `check` leaves no worker behind.
 */
import * as fs from "node:fs";
import { OfflineRunRequest, programEntry, runOffline } from "./offlineRun";
import { typeCheckProgram } from "./typescript";

process.on("disconnect", () => process.exit(130)); // the parent is gone
process.channel?.unref(); // the IPC channel alone keeps nothing alive

async function work(): Promise<void> {
  const typecheck = process.argv[2] === "--typecheck";
  const file = process.argv[typecheck ? 3 : 2];
  const request = JSON.parse(fs.readFileSync(file, "utf8")) as OfflineRunRequest;
  const result = typecheck
    ? typeCheckProgram(request.dir, programEntry(request), process.argv[4])
    : await runOffline(request);
  process.stdout.write(JSON.stringify(result));
}

work().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(2);
});
