/**
 * Verifies a Sigstore bundle's signature fully offline with `@sigstore/verify`, and says who
 * signed it and when (the times its transparency-log entries and RFC 3161 timestamps prove).
 *
 * - Key-based bundles (`verificationMaterial.publicKey`): each trusted key is tried (the key hint
 *   is unauthenticated, DSSE says never to decide on it); no log entry or timestamp is required,
 *   and any the bundle carries must verify against `trustedRoot`.
 * - Keyless bundles (a Fulcio certificate): the chain, its SCT and at least one timestamp (a Rekor
 *   entry's promise or an RFC 3161 timestamp) must verify against `trustedRoot`, and the
 *   certificate's issuer and subject must be a trusted identity.
 *
 * One gap filled by hand: sigstore-js checks every ECDSA DSSE signature with SHA-256 (Node's
 * default for `crypto.verify(undefined, …)`), while cosign and Key Vault (ES384) sign with P-384
 * over SHA-384; for a trusted P-384 key whose signature fails that check, the same pre-auth
 * encoding (from `@sigstore/core`) is checked with SHA-384, after the library has verified the rest.
 */
import { createPublicKey } from "node:crypto";
import { dsse } from "@sigstore/core";
import { TrustedRoot } from "@sigstore/protobuf-specs";
import {
  SignedEntity,
  Signer,
  Verifier,
  VerificationError,
  toSignedEntity,
  toTrustMaterial,
} from "@sigstore/verify";
import { verify as cryptoVerify } from "node:crypto";
import { BundleEvidence } from "./bundle";
import { keyKind } from "./keys";
import { TrustedIdentity, describeIdentity, identityMatches } from "./trust";

/** What a bundle is verified against. */
export interface BundleTrust {
  /** keyId → PEM (checked by `checkTrustedKeys`). */
  readonly keys: Readonly<Record<string, string>>;
  readonly identities: readonly TrustedIdentity[];
  /** The trusted root JSON (checked by `readTrustedRoot`), if configured. */
  readonly trustedRoot?: object;
}

/** A verified bundle's signer (`key sha256:…` or `<subject> (issuer …)`) and proven times. */
export type BundleCheck =
  | { readonly ok: true; readonly signer: string; readonly timestamps: Date[] }
  | { readonly ok: false; readonly problem: string };

const EMPTY_ROOT = {
  mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

/** Verifies `evidence`'s signature against `trust` (see the module comment). */
export function verifyBundle(evidence: BundleEvidence, trust: BundleTrust): BundleCheck {
  try {
    const entity = toSignedEntity(evidence.bundle);
    const root = TrustedRoot.fromJSON(trust.trustedRoot ?? EMPTY_ROOT);
    return entity.key.$case === "public-key"
      ? verifyWithKeys(entity, root, trust)
      : verifyKeyless(entity, root, trust);
  } catch (err) {
    // A part the library cannot even parse (a certificate, a timestamp token): a refusal, never a
    // crash of the policy (which would stop every other check of the stack).
    if (err instanceof VerificationError) return { ok: false, problem: libraryProblem(err, trust) };
    return { ok: false, problem: `it cannot be verified: ${(err as Error).message}` };
  }
}

function verifyWithKeys(entity: SignedEntity, root: TrustedRoot, trust: BundleTrust): BundleCheck {
  const ids = Object.keys(trust.keys);
  if (ids.length === 0)
    return {
      ok: false,
      problem:
        "it is a key-signed Sigstore bundle and no trustedKeys are configured to verify it: add the signer's public key to trustedKeys",
    };
  const failures: VerificationError[] = [];
  for (const id of ids) {
    const publicKey = createPublicKey(trust.keys[id]);
    const material = toTrustMaterial(root, () => ({ publicKey, validFor: () => true }));
    const verifier = new Verifier(material, {
      tlogThreshold: 0,
      ctlogThreshold: 0,
      timestampThreshold: 0,
    });
    try {
      verifier.verify(entity);
      return { ok: true, signer: `key ${id}`, timestamps: provenTimes(entity) };
    } catch (err) {
      if (!(err instanceof VerificationError)) throw err; // verifyBundle says it
      if (err.code === "SIGNATURE_ERROR" && p384Verifies(entity, trust.keys[id]))
        return { ok: true, signer: `key ${id}`, timestamps: provenTimes(entity) };
      failures.push(err);
    }
  }
  const other = failures.find((f) => f.code !== "SIGNATURE_ERROR");
  if (other) return { ok: false, problem: libraryProblem(other, trust) };
  const kinds = [...new Set(ids.map((id) => keyKind(trust.keys[id])))].join(", ");
  return {
    ok: false,
    problem: `its signature verifies with none of the trusted keys (${ids.join(", ")}; ${kinds}): the bundle was changed after signing, or another key signed it${kinds.includes("ECDSA") ? rawSignatureHint(entity) : ""}`,
  };
}

function verifyKeyless(entity: SignedEntity, root: TrustedRoot, trust: BundleTrust): BundleCheck {
  if (trust.identities.length === 0)
    return {
      ok: false,
      problem:
        "it is signed keylessly (a Fulcio certificate) and no trustedIdentities are configured: add the signer's issuer and subject to trustedIdentities",
    };
  if (trust.trustedRoot === undefined)
    return {
      ok: false,
      problem:
        "it is signed keylessly and no trustedRoot is configured to check its certificate: set trustedRoot to a Sigstore trusted_root.json",
    };
  let signer: Signer;
  try {
    signer = new Verifier(toTrustMaterial(root), {
      tlogThreshold: 0,
      ctlogThreshold: 1,
      timestampThreshold: 1,
    }).verify(entity);
  } catch (err) {
    if (!(err instanceof VerificationError)) throw err; // verifyBundle says it
    return { ok: false, problem: libraryProblem(err, trust) };
  }
  const san = signer.identity?.subjectAlternativeName ?? "";
  const issuer = signer.identity?.extensions?.issuer ?? "";
  if (!trust.identities.some((id) => identityMatches(id, san, issuer)))
    return {
      ok: false,
      problem: `it is signed by ${san || "(no subject)"} (issuer ${issuer || "none"}), which is not a trusted identity (trusted: ${trust.identities.map(describeIdentity).join("; ")})`,
    };
  return { ok: true, signer: `${san} (issuer ${issuer})`, timestamps: provenTimes(entity) };
}

/** The times a verified entity's log entries (with a promise) and RFC 3161 timestamps prove. */
function provenTimes(entity: SignedEntity): Date[] {
  return entity.timestamps.flatMap((t) => {
    if (t.$case === "timestamp-authority") return [t.timestamp.signingTime];
    return t.tlogEntry.inclusionPromise
      ? [new Date(Number(t.tlogEntry.integratedTime) * 1000)]
      : [];
  });
}

/** True when `pem` is a P-384 key and the DSSE signature verifies with SHA-384 (module comment). */
function p384Verifies(entity: SignedEntity, pem: string): boolean {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyDetails?.namedCurve !== "secp384r1") return false;
  const content = entity.signature as unknown as {
    env?: { payloadType: string; payload: Buffer };
    signature: Buffer;
  };
  if (!content.env) return false;
  const pae = dsse.preAuthEncoding(content.env.payloadType, content.env.payload);
  try {
    return cryptoVerify("sha384", pae, key, content.signature);
  } catch {
    return false;
  }
}

/** " (its signature is raw r‖s …)" when an ECDSA signature is not DER, else "". */
function rawSignatureHint(entity: SignedEntity): string {
  const sig = (entity.signature as unknown as { signature: Buffer }).signature;
  const der = sig.length > 8 && sig[0] === 0x30 && sig[1] + 2 === sig.length;
  return !der && (sig.length === 64 || sig.length === 96)
    ? `; its signature is ${sig.length} bytes and not DER: an ECDSA signature in raw r‖s form (what Key Vault's sign operation returns) must be DER-encoded in a bundle (cosign does this)`
    : "";
}

/** A library error as a phrase, with the fix where the configuration is the cause. */
function libraryProblem(err: VerificationError, trust: BundleTrust): string {
  const noRoot = trust.trustedRoot === undefined;
  if (err.code.startsWith("TLOG_"))
    return noRoot
      ? "it carries a transparency-log entry and no trustedRoot is configured to check it: set trustedRoot to a Sigstore trusted_root.json"
      : `its transparency-log entry does not verify against the trusted root (${err.message})`;
  if (err.code.startsWith("TIMESTAMP"))
    return `its timestamps do not verify against the trusted root (${err.message})`;
  if (err.code.startsWith("CERTIFICATE"))
    return `its certificate does not verify against the trusted root (${err.message})`;
  return `it does not verify (${err.code}: ${err.message})`;
}
