/**
 * Trusted public keys, read strictly: a PEM `PUBLIC KEY` block of an ed25519 key (evidence
 * documents and Sigstore bundles) or an ECDSA P-256/P-384 key (Sigstore bundles: what Azure Key
 * Vault signs with), given as the PEM text or as the path of a `.pub` file (`global-image keygen`
 * writes one). Private keys, DER, OpenSSH keys, other curves and malformed PEM are refused with
 * the fix, never half-accepted.
 */
import { KeyObject, createPublicKey } from "node:crypto";
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

/** The curves of ECDSA keys accepted (Node's names), with the names users know them by. */
const EC_CURVES: Readonly<Record<string, string>> = { prime256v1: "P-256", secp384r1: "P-384" };

/** The PEM of an ed25519 or P-256/P-384 public key, checked; a KeyError says what it is instead. */
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
  let key: KeyObject;
  try {
    key = createPublicKey({ key: trimmed, format: "pem" });
  } catch (err) {
    throw new KeyError(`${where} a malformed PEM public key (${(err as Error).message})`);
  }
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (type !== "ed25519" && !(type === "ec" && curve !== undefined && curve in EC_CURVES))
    throw new KeyError(
      `${where} a ${type}${curve ? ` ${curve}` : ""} key; trusted keys are ed25519 (\`global-image keygen\`) or ECDSA P-256/P-384 (a Key Vault EC key: \`az keyvault key download --encoding PEM\`)`,
    );
  return `${trimmed}\n`;
}

/**
 * `trustedKeys` (key id → PEM or `.pub` path) checked: every value a valid public key (see the
 * module comment) whose id is its key; `where` names the config entry.
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

/** "ed25519", "ECDSA P-256" or "ECDSA P-384": how a trusted key is named in messages. */
export function keyKind(pem: string): string {
  const key = createPublicKey(pem);
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return key.asymmetricKeyType === "ec" ? `ECDSA ${EC_CURVES[curve ?? ""] ?? curve}` : "ed25519";
}
