/** `global-image keygen --out <prefix>`: an ed25519 key pair for signing evidence. */
import * as fs from "node:fs";
import * as path from "node:path";
import { printable } from "../domain/common/text";
import { generateKeyPair } from "../evidence/signature";
import { CliError, ExitCode, Io, json, line, styles } from "./io";
import { writeFile } from "./files";

export interface KeygenOptions {
  readonly out: string;
  readonly json?: boolean;
}

export async function keygen(options: KeygenOptions, io: Io): Promise<number> {
  const base = path.basename(options.out);
  if (options.out.trim() === "" || /[\\/]$/.test(options.out) || base.startsWith("."))
    throw new CliError(
      `--out ${JSON.stringify(options.out)}: give a file name prefix such as keys/ci (writes keys/ci.key and keys/ci.pub); an empty or hidden name is refused`,
    );
  const privatePath = `${options.out}.key`;
  const publicPath = `${options.out}.pub`;
  for (const file of [privatePath, publicPath]) {
    const stat = lstat(path.resolve(io.cwd, file));
    if (stat)
      throw new CliError(
        `--out ${printable(options.out)}: ${file} exists${stat.isSymbolicLink() ? " (a symlink: nothing is written through links)" : ""}; choose another prefix or remove it (keys are never overwritten)`,
      );
  }
  const pair = generateKeyPair();
  // Exclusive creation: an existing file, or a symlink planted in its place, is never written.
  try {
    writeFile(io.cwd, privatePath, pair.privateKeyPem, 0o600, true);
  } catch (err) {
    throw new CliError(
      `--out ${printable(options.out)}: ${(err as Error).message}; choose another prefix or remove it (keys are never overwritten)`,
    );
  }
  try {
    writeFile(io.cwd, publicPath, pair.publicKeyPem, 0o644, true);
  } catch (err) {
    throw new CliError(
      `--out ${printable(options.out)}: ${(err as Error).message}; ${privatePath} was written, remove it and choose another prefix`,
    );
  }
  const snippet = {
    "image-activation-requires-passing-tests": { trustedKeys: { [pair.keyId]: pair.publicKeyPem } },
  };
  if (options.json) {
    json(io, {
      keyId: pair.keyId,
      privateKey: privatePath,
      publicKey: publicPath,
      policyConfig: snippet,
    });
    return ExitCode.Ok;
  }
  const s = styles(io);
  line(io, `${s.green("✔")} Wrote ${privatePath} (private, keep it secret) and ${publicPath}`);
  line(io, `Key id: ${s.bold(pair.keyId)}`);
  line(io, `Trust it: merge this into your policy config (policy-config.json):`);
  line(io, JSON.stringify(snippet, null, 2));
  line(io, `(or give the path instead of the PEM: "${pair.keyId}": "${publicPath}")`);
  return ExitCode.Ok;
}

function lstat(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch {
    return undefined;
  }
}
