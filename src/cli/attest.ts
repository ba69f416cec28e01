/** `global-image attest`: JUnit results → the evidence document, optionally signed. */
import { attestJUnit } from "../evidence/attest";
import { EvidenceDocument } from "../evidence/document";
import { toInToto } from "../evidence/inToto";
import { evidencePath } from "../evidence/load";
import { signEvidence } from "../evidence/signature";
import { testsTag } from "../evidence/verdict";
import { printable } from "../domain/common/text";
import { isImageName } from "../domain/images/validate";
import { versionProblem } from "../domain/images/version";
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
  readonly allowFailures?: boolean;
  readonly json?: boolean;
}

export async function attest(options: AttestOptions, io: Io): Promise<number> {
  const problem = versionProblem(options.version);
  if (problem) throw new CliError(`--version ${printable(options.version)}: ${problem}`);
  if (!isImageName(options.image))
    throw new CliError(
      `--image ${printable(options.image)}: not a gallery image definition name (1-80 letters, digits, hyphens, underscores or periods, starting and ending with a letter or digit)`,
    );
  if (options.out && options.evidenceDir)
    throw new CliError("--out and --evidence-dir: give one of them, not both");
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
  if (options.signKey) doc = sign(doc, options.signKey, io.cwd);
  const text = `${JSON.stringify(options.inToto ? toInToto(doc) : doc, null, 2)}\n`;
  const target = options.evidenceDir
    ? insideDirectory(
        io.cwd,
        options.evidenceDir,
        evidencePath(options.evidenceDir, options.image, options.version),
        "--evidence-dir",
      )
    : options.out;
  const s = styles(io);
  const verdict = `${options.image} ${options.version}: ${testsTag(doc)}${doc.signature ? `, signed by ${doc.signature.keyId}` : ", unsigned"}`;
  if (target === undefined) {
    io.stdout(text);
    io.stderr(`${verdict}\n`);
  } else {
    writeFile(io.cwd, target, text);
    if (options.json) {
      json(io, {
        file: target,
        image: doc.image,
        version: doc.version,
        summary: doc.summary,
        keyId: doc.signature?.keyId ?? null,
      });
    } else {
      line(io, `${doc.summary.failed > 0 ? s.yellow("!") : s.green("✔")} ${verdict} → ${target}`);
    }
  }
  if (doc.summary.failed > 0 && !options.allowFailures) {
    io.stderr(
      `global-image: ${doc.summary.failed} test(s) failed; the evidence was written and blocks activation. Exit 1 (pass --allow-failures to exit 0).\n`,
    );
    return ExitCode.Failed;
  }
  return ExitCode.Ok;
}

function sign(doc: EvidenceDocument, keyFile: string, cwd: string): EvidenceDocument {
  const pem = readFile(cwd, keyFile, "--sign-key").toString("utf8");
  try {
    return signEvidence(doc, pem);
  } catch (err) {
    throw new CliError(`--sign-key ${keyFile}: ${(err as Error).message}`);
  }
}
