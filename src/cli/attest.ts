/**
 * `global-image attest`: JUnit results → the evidence of one image version: the evidence document
 * (optionally signed, ed25519), a Sigstore bundle signed with a local key (`--bundle`), and/or the
 * unsigned in-toto statement, predicate and subject file that cosign or `actions/attest` sign.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { attestJUnit } from "../evidence/attest";
import { SigningKeyError, signStatement } from "../evidence/bundleSign";
import { EvidenceDocument } from "../evidence/document";
import { toInToto, toPredicate } from "../evidence/inToto";
import { bundlePath, evidencePath } from "../evidence/load";
import { signEvidence } from "../evidence/signature";
import { subjectBytes, subjectDigest } from "../evidence/subject";
import { testsTag } from "../evidence/verdict";
import { printable } from "../domain/common/text";
import { isImageName } from "../domain/images/validate";
import { versionProblem } from "../domain/images/version";
import { signingCommands } from "./attestCommands";
import { insideDirectory, readFile, writeFile } from "./files";
import { CliError, ExitCode, Io, json, line, styles } from "./io";

export interface AttestOptions {
  readonly junit: string[];
  readonly image: string;
  readonly version: string;
  readonly signKey?: string;
  readonly out?: string;
  readonly evidenceDir?: string;
  readonly inToto?: boolean;
  /** Write a Sigstore bundle signed with --sign-key instead of the document. */
  readonly bundle?: boolean;
  /** Also write the unsigned in-toto statement here. */
  readonly statement?: string;
  /** Also write the test-result predicate here (cosign --predicate, actions/attest predicate-path). */
  readonly predicate?: string;
  /** Also write the version's subject file here (what the signers hash). */
  readonly subject?: string;
  readonly allowFailures?: boolean;
  readonly json?: boolean;
}

export async function attest(options: AttestOptions, io: Io): Promise<number> {
  checkOptions(options);
  const files = options.junit.map((file) => ({
    path: file,
    content: readFile(io.cwd, file, "--junit"),
  }));
  let doc: EvidenceDocument;
  try {
    doc = attestJUnit(files, options.image, options.version, io.now());
  } catch (err) {
    throw new CliError(`--junit ${(err as Error).message}`);
  }
  // Everything that can be refused is decided before the first file is written.
  const target = mainTarget(options, io.cwd);
  const main = await mainOutput(doc, options, io.cwd);
  const prepared = writeSigningInputs(doc, options, io);
  const s = styles(io);
  const verdict = `${options.image} ${options.version}: ${testsTag(doc)}${main.signer ? `, signed by ${main.signer}` : ", unsigned"}`;
  const commands = signingCommands({ ...options, ...prepared });
  if (target === undefined && commands.length === 0) {
    io.stdout(main.text);
    io.stderr(`${verdict}\n`);
  } else {
    if (target !== undefined) writeFile(io.cwd, target, main.text);
    if (options.json) {
      json(io, {
        file: target ?? null,
        ...prepared,
        image: doc.image,
        version: doc.version,
        summary: doc.summary,
        subjectSha256: subjectDigest(doc.image, doc.version),
        keyId: main.signer ?? null,
      });
    } else {
      const wrote = [target, prepared.statement, prepared.predicate, prepared.subject]
        .filter((f) => f !== undefined)
        .join(", ");
      line(io, `${doc.summary.failed > 0 ? s.yellow("!") : s.green("✔")} ${verdict} → ${wrote}`);
      for (const text of commands) line(io, text);
    }
  }
  warnIfNotPassed(doc, options, io);
  if (doc.summary.failed > 0 && !options.allowFailures) {
    io.stderr(
      `global-image: ${doc.summary.failed} test(s) failed; the evidence was written and blocks activation. Exit 1 (pass --allow-failures to exit 0).\n`,
    );
    return ExitCode.Failed;
  }
  return ExitCode.Ok;
}

function checkOptions(options: AttestOptions): void {
  const problem = versionProblem(options.version);
  if (problem) throw new CliError(`--version ${printable(options.version)}: ${problem}`);
  if (!isImageName(options.image))
    throw new CliError(
      `--image ${printable(options.image)}: not a gallery image definition name (1-80 letters, digits, hyphens, underscores or periods, starting and ending with a letter or digit)`,
    );
  if (options.out && options.evidenceDir)
    throw new CliError("--out and --evidence-dir: give one of them, not both");
  if (options.bundle && !options.signKey)
    throw new CliError(
      "--bundle: give --sign-key <private key PEM> (ed25519 or P-256) to sign it; to sign with cosign or actions/attest, write --predicate and --subject instead (the command prints how)",
    );
  if (options.bundle && options.inToto)
    throw new CliError("--bundle and --in-toto: give one of them (a bundle carries the statement)");
}

/** What goes to --out / --evidence-dir / standard output: a bundle, a statement or the document. */
async function mainOutput(
  doc: EvidenceDocument,
  options: AttestOptions,
  cwd: string,
): Promise<{ text: string; signer?: string }> {
  const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  if (options.bundle) {
    const pem = readFile(cwd, options.signKey!, "--sign-key").toString("utf8");
    try {
      const { bundle, keyId } = await signStatement(toInToto(doc), pem);
      return { text: text(bundle), signer: keyId };
    } catch (err) {
      if (err instanceof SigningKeyError || (err as { code?: string }).code?.startsWith("ERR_OSSL"))
        throw new CliError(`--sign-key ${options.signKey}: ${(err as Error).message}`);
      throw err;
    }
  }
  if (options.inToto) return { text: text(toInToto(doc)) };
  if (!options.signKey) return { text: text(doc) };
  const signed = sign(doc, options.signKey, cwd);
  return { text: text(signed), signer: signed.signature?.keyId };
}

/** Where the main output is written: --out, or its place under --evidence-dir. */
function mainTarget(options: AttestOptions, cwd: string): string | undefined {
  if (!options.evidenceDir) return options.out;
  const { evidenceDir: dir, image, version } = options;
  const file = options.bundle ? bundlePath(dir, image, version) : evidencePath(dir, image, version);
  const bundle = bundlePath(dir, image, version);
  if (!options.bundle && fs.existsSync(path.resolve(cwd, bundle)))
    throw new CliError(
      `--evidence-dir ${dir}: ${bundle} exists and is read before ${file} (a bundle wins): remove it, or write a bundle (--bundle); nothing was written`,
    );
  return insideDirectory(cwd, dir, file, "--evidence-dir");
}

/** Writes --statement, --predicate and --subject; returns what was written, by option. */
function writeSigningInputs(
  doc: EvidenceDocument,
  options: AttestOptions,
  io: Io,
): { statement?: string; predicate?: string; subject?: string } {
  const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const out: { statement?: string; predicate?: string; subject?: string } = {};
  if (options.statement) {
    writeFile(io.cwd, options.statement, text(toInToto(doc)));
    out.statement = options.statement;
  }
  if (options.predicate) {
    writeFile(io.cwd, options.predicate, text(toPredicate(doc)));
    out.predicate = options.predicate;
  }
  if (options.subject) {
    writeFile(io.cwd, options.subject, subjectBytes(doc.image, doc.version).toString("utf8"));
    out.subject = options.subject;
  }
  return out;
}

/** The gate accepts only a PASSED attestation: say so when skipped tests make it WARNED. */
function warnIfNotPassed(doc: EvidenceDocument, options: AttestOptions, io: Io): void {
  const attestation = options.bundle || options.inToto || options.statement || options.predicate;
  if (!attestation || doc.summary.failed > 0 || doc.summary.skipped === 0) return;
  io.stderr(
    `global-image: ${doc.summary.skipped} skipped test(s) make the statement's result WARNED, and the activation gate accepts an attestation only when it says PASSED. Run them, or remove them from the results.\n`,
  );
}

function sign(doc: EvidenceDocument, keyFile: string, cwd: string): EvidenceDocument {
  const pem = readFile(cwd, keyFile, "--sign-key").toString("utf8");
  try {
    return signEvidence(doc, pem);
  } catch (err) {
    const p256 = /is ec/.test((err as Error).message)
      ? " (an ECDSA key signs a Sigstore bundle: add --bundle)"
      : "";
    throw new CliError(`--sign-key ${keyFile}: ${(err as Error).message}${p256}`);
  }
}
