/** The `global-image` command line: argument parsing, and the one place exit codes are decided. */
import { Command, CommanderError, Option } from "commander";
import * as fs from "node:fs";
import * as path from "node:path";
import { isGlobalImageError } from "../domain/common/errors";
import { printableLines } from "../domain/common/text";
import { attest } from "./attest";
import { check } from "./check";
import { CliError, ExitCode, Io } from "./io";
import { keygen } from "./keygen";
import { promote } from "./promote";
import { rings } from "./rings";
import { stage } from "./stage";
import { status } from "./status";
import { verify } from "./verify";

const collect = (value: string, previous: string[] = []) => [...previous, value];

function program(io: Io, done: (code: number) => void): Command {
  const cli = new Command("global-image")
    .description(
      "Stage, test, promote and roll back Azure Compute Gallery images, offline-checked.",
    )
    .addHelpText("after", "\n  global-image --version   print the global-image version")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();
  const run = (action: Promise<number>) => action.then(done);

  cli
    .command("keygen")
    .description("create an ed25519 key pair for signing evidence; prints its key id")
    .requiredOption("--out <prefix>", "write <prefix>.key (private) and <prefix>.pub")
    .option("--json", "machine output")
    .action((o) => run(keygen(o, io)));

  cli
    .command("attest")
    .description(
      "turn JUnit XML results into the evidence of one image version: a document, a signed Sigstore bundle, or the statement cosign / actions/attest sign",
    )
    .requiredOption("--junit <file>", "a JUnit XML results file (repeat to merge several)", collect)
    .requiredOption("--image <name>", "the image definition's name")
    .requiredOption("--version <X.Y.Z>", "the image version tested")
    .option(
      "--sign-key <pem>",
      "sign with this private key: ed25519 (global-image keygen), or ed25519/P-256 with --bundle",
    )
    .option(
      "--bundle",
      "write a Sigstore bundle (in-toto test-result, DSSE) signed with --sign-key",
    )
    .option("--out <file>", "write the document here (default: standard output)")
    .option(
      "--evidence-dir <dir>",
      "write it as <dir>/<image>/<version>.json (a bundle: <version>.sigstore.json)",
    )
    .option("--in-toto", "write the in-toto test-result statement instead")
    .option("--statement <file>", "also write the unsigned in-toto statement (cosign --statement)")
    .option("--predicate <file>", "also write the test-result predicate (cosign, actions/attest)")
    .option("--subject <file>", "also write the version's subject file (what signers hash)")
    .option("--allow-failures", "exit 0 even when a test failed (the evidence still records it)")
    .option("--json", "with --out or --evidence-dir: machine output")
    .action((o) => run(attest(o, io)));

  cli
    .command("verify")
    .description("judge an evidence document or Sigstore bundle the way the policy pack does")
    .argument("<evidence.json | bundle.sigstore.json>")
    .option("--required <names>", "comma-separated tests that must have passed")
    .option(
      "--trusted-key <pem>",
      "a trusted public key (repeatable); then a signature is required",
      collect,
    )
    .option("--max-age-days <n>", "the oldest evidence accepted, in days (0 = any)")
    .option("--image <name>", "the image it must name (default: the document's)")
    .option("--version <X.Y.Z>", "the version it must name (default: the document's)")
    .option("--policy-config <file>", "read the requirements from this --policy-pack-config file")
    .option("--json", "machine output")
    .action((file, o) => run(verify(file, o, io)));

  cli
    .command("status")
    .description("images, versions, roles, evidence and host pools of a stack's config")
    .option("--stack <name>", "the stack (default: the only Pulumi.<stack>.yaml)")
    .option("--dir <project>", "the project directory", ".")
    .option("--policy-config <file>", "evidence requirements from this --policy-pack-config file")
    .option(
      "--outputs <file>",
      "session host rollouts from `pulumi stack output --json` of the last up",
    )
    .option("--json", "machine output")
    .action((o) => run(status(o, io)));

  cli
    .command("rings")
    .description("the version each image ring may run now, why, and when that changes next")
    .option("--stack <name>", "the stack (default: the only Pulumi.<stack>.yaml)")
    .option("--dir <project>", "the project directory", ".")
    .option("--json", "machine output")
    .action((o) => run(rings(o, io)));

  for (const verb of ["promote", "rollback"] as const) {
    cli
      .command(verb)
      .description(
        verb === "promote"
          ? "make the staged version (or --to) active, after checking its evidence"
          : "make the newest backup (or --to) active again",
      )
      .argument("<image>", "the image's key in global-image:images")
      .option("--to <X.Y.Z>", "the version to activate")
      .option("--stack <name>", "the stack (default: the only Pulumi.<stack>.yaml)")
      .option("--dir <project>", "the project directory", ".")
      .option("--policy-config <file>", "evidence requirements from this --policy-pack-config file")
      .option("--force", "write the change even if the evidence check fails")
      .option("--json", "machine output")
      .action((image, o) => run(promote(image, o, io, verb)));
  }

  cli
    .command("stage")
    .description(
      "declare a new version and stage it (validation pools boot it); the previously staged one is withdrawn",
    )
    .argument("<image>", "the image's key in global-image:images")
    .argument("<version>", "the new version, MAJOR.MINOR.PATCH")
    .option(
      "--source <kind=id>",
      "what the version is made from, e.g. virtualMachineId=/subscriptions/...",
      collect,
    )
    .option("--stack <name>", "the stack (default: the only Pulumi.<stack>.yaml)")
    .option("--dir <project>", "the project directory", ".")
    .option("--json", "machine output")
    .action((image, version, o) => run(stage(image, version, o, io)));

  cli
    .command("check")
    .description("run the stack's program offline under mocks, then the policy pack")
    .option("--dir <project>", "the project directory", ".")
    .option("--stack <name>", "the stack (default: the only Pulumi.<stack>.yaml)")
    .option("--policy-config <file>", "the --policy-pack-config file")
    .option("--against <stack file>", "also evaluate this stack file and print the diff from it")
    .option(
      "--stack-outputs <file>",
      "stack name → outputs, for StackReferences (default: ./stack-outputs.json)",
    )
    .addOption(new Option("--json", "machine output"))
    .action((o) => run(check(o, io)));
  return cli;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let code: number = ExitCode.Ok;
  // Only before a command: `attest` and `verify` have a --version option of their own.
  if (argv[0] === "--version" || argv[0] === "-V") {
    io.stdout(`${packageVersion()}\n`);
    return ExitCode.Ok;
  }
  try {
    await program(io, (c) => (code = c)).parseAsync([...argv], { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    if (err instanceof CliError) {
      io.stderr(`global-image: ${printableLines(err.message)}\n`);
      return err.exitCode;
    }
    if (isGlobalImageError(err)) {
      io.stderr(`global-image: ${printableLines(err.message)}\n`);
      return ExitCode.Usage;
    }
    io.stderr(`global-image: ${printableLines((err as Error).stack ?? String(err))}\n`);
    return ExitCode.Usage;
  }
}

/** This package's version, from its package.json (found from the source or the compiled file). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "global-image") return pkg.version ?? "unknown";
  }
  return "unknown";
}
