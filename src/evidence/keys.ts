/**
 * Trusted public keys, read strictly: a PEM `PUBLIC KEY` block of an ed25519 key, given as the PEM
 * text or as the path of a `.pub` file (`global-image keygen` writes one). Private keys, DER,
 * OpenSSH keys and malformed PEM are refused with the fix, never half-accepted.
 */
import { createPublicKey } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { keyIdOf } from "./signature";

/** A bad key: the message names where it came from and how to fix it. */
export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyError";
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1-----/g;
const CONVERT_SSH =
  "convert it with `ssh-keygen -e -m PKCS8 -f <key>.pub`, or make a key with `global-image keygen`";

/** True when `value` is PEM text rather than a file path. */
export function isPemText(value: string): boolean {
  return value.includes("-----BEGIN");
}

/**
 * The PEM text of a trusted key given as PEM or as a file path (relative to `baseDir`); `where`
 * names the flag or config key in errors.
 */
export function trustedKeyPem(value: string, baseDir: string, where: string): string {
  if (isPemText(value) || value.startsWith("ssh-")) return checkPublicKeyPem(value, where);
  const file = path.resolve(baseDir, value);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new KeyError(
      `${where} ${value}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give the path of a .pub file or the PEM text`,
    );
  }
  if (
    bytes.includes(0) ||
    (bytes.length > 0 && bytes[0] === 0x30 && !isPemText(bytes.toString("latin1")))
  )
    throw new KeyError(
      `${where} ${value}: a binary (DER) key; convert it to PEM with \`openssl pkey -pubin -inform DER -in ${value} -out key.pub\``,
    );
  return checkPublicKeyPem(bytes.toString("utf8"), `${where} ${value}:`);
}

/** The PEM of an ed25519 public key, checked; throws a KeyError saying what it is instead. */
export function checkPublicKeyPem(text: string, where: string): string {
  const trimmed = text.trim();
  if (/^ssh-|^-----BEGIN OPENSSH/.test(trimmed))
    throw new KeyError(`${where} an OpenSSH key, not PEM; ${CONVERT_SSH}`);
  const blocks = [...trimmed.matchAll(PEM_BLOCK)];
  if (blocks.length !== 1 || blocks[0][0] !== trimmed)
    throw new KeyError(
      `${where} not a single PEM block (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----); give the .pub file written by \`global-image keygen\``,
    );
  const label = blocks[0][1];
  if (label.includes("PRIVATE"))
    throw new KeyError(
      `${where} a private key: never put a private key in a trusted-key list; give its .pub file (\`global-image keygen\` writes both)`,
    );
  if (label !== "PUBLIC KEY")
    throw new KeyError(
      `${where} a PEM "${label}", not a "PUBLIC KEY"; give the .pub file written by \`global-image keygen\``,
    );
  let type: string | undefined;
  try {
    type = createPublicKey({ key: trimmed, format: "pem" }).asymmetricKeyType;
  } catch (err) {
    throw new KeyError(`${where} a malformed PEM public key (${(err as Error).message})`);
  }
  if (type !== "ed25519")
    throw new KeyError(
      `${where} a ${type} key; evidence is signed with ed25519: make a key with \`global-image keygen\``,
    );
  return `${trimmed}\n`;
}

/**
 * `trustedKeys` (key id → PEM or `.pub` path) checked: every value a valid ed25519 public key whose
 * id is its key; `where` names the config entry.
 */
export function checkTrustedKeys(
  keys: Readonly<Record<string, string>>,
  baseDir: string,
  where: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(keys).map(([id, value]) => {
      const at = `${where}["${id}"]`;
      const pem = trustedKeyPem(value, baseDir, at);
      const actual = keyIdOf(pem);
      if (actual !== id)
        throw new KeyError(
          `${at}: the key's id is ${actual}; key the entry by that id (global-image keygen prints it)`,
        );
      return [id, pem];
    }),
  );
}
