// Jest globalSetup: the ARM contract judging of the run (contractRun.ts), and the preload of every
// Node process the suites start (lazy/childPreload.cjs). Jest's workers start after this and
// inherit the environment, and the processes the suites start inherit theirs.
import * as path from "node:path";
import { setup } from "./contractRun";

export default function globalSetup(): void {
  setup();
  const preload = `--require ${JSON.stringify(path.join(__dirname, "lazy", "childPreload.cjs"))}`;
  // Once: in watch mode the global setup runs again in the same process.
  const options = process.env.NODE_OPTIONS ?? "";
  if (!options.includes(preload)) process.env.NODE_OPTIONS = `${options} ${preload}`.trim();
}
