/**
 * Signs an in-toto statement into a Sigstore bundle with a local private key (ed25519 or ECDSA
 * P-256, PEM), for teams without cosign: `@sigstore/sign`'s DSSE bundle builder with this key as
 * its signer and no witnesses, so the bundle carries the key's hint and no transparency-log entry
 * (verified against `trustedKeys`; its age is the statement's own creation time).
 */
import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { bundleToJSON } from "@sigstore/bundle";
import type { Signer } from "@sigstore/sign";
import { SigstoreBundleJson } from "./bundle";
import { IN_TOTO_PAYLOAD_TYPE, InTotoTestResultStatement } from "./inToto";
import { keyIdOf } from "./signature";

/** A key `attest --bundle` cannot sign with; the message says which keys it can. */
export class SigningKeyError extends Error {}

/** The DSSE signer of a local private key (PEM): ed25519 (pure) or P-256 (SHA-256, DER). */
export function localSigner(privateKeyPem: string): { signer: Signer; keyId: string } {
  const privateKey = createPrivateKey(privateKeyPem);
  const type = privateKey.asymmetricKeyType;
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  if (type !== "ed25519" && !(type === "ec" && curve === "prime256v1"))
    throw new SigningKeyError(
      `the signing key is ${type}${curve ? ` ${curve}` : ""}; a bundle is signed with an ed25519 key (global-image keygen) or an ECDSA P-256 key (openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt)`,
    );
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const algorithm = type === "ed25519" ? null : "sha256";
  return {
    keyId,
    signer: {
      sign: async (data: Buffer) => ({
        signature: sign(algorithm, data, privateKey),
        key: { $case: "publicKey", publicKey: publicKeyPem, hint: keyId },
      }),
    },
  };
}

/** The Sigstore bundle (JSON) of `statement` signed with `privateKeyPem`. */
export async function signStatement(
  statement: InTotoTestResultStatement,
  privateKeyPem: string,
): Promise<{ bundle: SigstoreBundleJson; keyId: string }> {
  const { signer, keyId } = localSigner(privateKeyPem);
  // Loaded when a bundle is signed: @sigstore/sign brings an HTTP client (for Fulcio, Rekor and
  // TSAs, unused here) that every importer of the package would otherwise load.
  const { DSSEBundleBuilder } = await import("@sigstore/sign");
  const builder = new DSSEBundleBuilder({ signer, witnesses: [] });
  const bundle = await builder.create({
    data: Buffer.from(JSON.stringify(statement), "utf8"),
    type: IN_TOTO_PAYLOAD_TYPE,
  });
  return { bundle: bundleToJSON(bundle) as unknown as SigstoreBundleJson, keyId };
}
