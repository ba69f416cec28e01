/** ed25519 keys, signing and verification of evidence documents, with node:crypto only. */
import {
  KeyObject,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from "node:crypto";
import { signedBytes } from "./canonical";
import { EvidenceDocument } from "./document";

/** The only signature algorithm evidence uses. */
export const SIGNATURE_ALG = "ed25519";

/** A new ed25519 key pair as PEM (PKCS#8 private, SPKI public) and its key id. */
export function generateKeyPair(): { privateKeyPem: string; publicKeyPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem,
    keyId: keyIdOf(publicKey),
  };
}

/** `sha256:<hex>` of the public key's SPKI DER: what policy config `trustedKeys` is keyed by. */
export function keyIdOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
  const der = key.export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(der).digest("hex")}`;
}

/** The document signed with an ed25519 private key (PEM); any previous signature is replaced. */
export function signEvidence(doc: EvidenceDocument, privateKeyPem: string): EvidenceDocument {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new Error(
      `the signing key is ${privateKey.asymmetricKeyType}, not ed25519: create one with \`global-image keygen\``,
    );
  }
  const { signature: _old, ...unsigned } = doc;
  const value = sign(null, signedBytes(unsigned), privateKey).toString("base64");
  return {
    ...unsigned,
    signature: { alg: SIGNATURE_ALG, keyId: keyIdOf(createPublicKey(privateKey)), value },
  };
}

/** Why the signature does not verify against `trustedKeys` (keyId → PEM), or undefined when it does. */
export function signatureProblem(
  doc: EvidenceDocument,
  trustedKeys: Readonly<Record<string, string>>,
): string | undefined {
  const sig = doc.signature;
  if (!sig) return "it is not signed (trusted keys are configured)";
  if (sig.alg !== SIGNATURE_ALG) return `its signature uses "${sig.alg}", not ${SIGNATURE_ALG}`;
  const pem = trustedKeys[sig.keyId];
  if (pem === undefined) return `it is signed by key ${sig.keyId}, which is not a trusted key`;
  try {
    const key = createPublicKey(pem);
    if (keyIdOf(key) !== sig.keyId)
      return `trusted key ${sig.keyId} is configured with a different public key`;
    return verify(null, signedBytes(doc), key, Buffer.from(sig.value, "base64"))
      ? undefined
      : "its signature does not match its content (the document was changed after signing)";
  } catch (err) {
    return `trusted key ${sig.keyId} could not be read (${(err as Error).message})`;
  }
}
