/** `global-image keygen --out <prefix>`: an ed25519 key pair for signing evidence. */
import * as fs from "node:fs";
import * as path from "node:path";
import { generateKeyPair } from "../evidence/signature";
import { CliError, ExitCode, Io, json, line, styles } from "./io";
import { writeFile } from "./files";

export interface KeygenOptions {
  readonly out: string;
  readonly json?: boolean;
}

export async function keygen(options: KeygenOptions, io: Io): Promise<number> {
  const privatePath = `${options.out}.key`;
  const publicPath = `${options.out}.pub`;
  for (const file of [privatePath, publicPath]) {
    if (fs.existsSync(path.resolve(io.cwd, file))) {
      throw new CliError(
        `--out ${options.out}: ${file} exists; choose another prefix or remove it (keys are never overwritten)`,
      );
    }
  }
  const pair = generateKeyPair();
  writeFile(io.cwd, privatePath, pair.privateKeyPem, 0o600);
  writeFile(io.cwd, publicPath, pair.publicKeyPem);
  if (options.json) {
    json(io, { keyId: pair.keyId, privateKey: privatePath, publicKey: publicPath });
    return ExitCode.Ok;
  }
  const s = styles(io);
  line(io, `${s.green("✔")} Wrote ${privatePath} (private, keep it secret) and ${publicPath}`);
  line(io, `Key id: ${s.bold(pair.keyId)}`);
  line(
    io,
    `Trust it in the policy config: "trustedKeys": { "${pair.keyId}": "<contents of ${publicPath}>" }`,
  );
  return ExitCode.Ok;
}
