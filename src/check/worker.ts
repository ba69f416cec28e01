/**
 * The offline check's worker process: reads an OfflineRunRequest (JSON) from the file named by its
 * argument, runs the program, writes the OfflineRunResult as JSON to stdout. A fresh process per
 * evaluation keeps one run's Pulumi state and modules out of the next.
 */
import * as fs from "node:fs";
import { OfflineRunRequest, runOffline } from "./offlineRun";

async function work(): Promise<void> {
  const request = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as OfflineRunRequest;
  const result = await runOffline(request);
  process.stdout.write(JSON.stringify(result));
}

work().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(2);
});
