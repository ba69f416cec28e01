/**
 * Evidence as a Sigstore bundle (`application/vnd.dev.sigstore.bundle.v0.3+json`, also v0.1/v0.2)
 * whose DSSE envelope carries an in-toto test-result Statement: what `cosign attest-blob`,
 * `actions/attest` and `global-image attest --bundle` write. The bundle's shape is checked by
 * `@sigstore/bundle` (the library sigstore-js verifies with); its signature is verified in
 * `bundleVerify.ts`. Read from `<evidenceDir>/<image>/<version>.sigstore.json`.
 */
import {
  Bundle,
  ValidationError,
  bundleFromJSON,
  isBundleWithDsseEnvelope,
} from "@sigstore/bundle";
import { GlobalImageError } from "../domain/common/errors";
import {
  IN_TOTO_PAYLOAD_TYPE,
  InTotoTestResultStatement,
  parseTestResultStatement,
} from "./inToto";

/** The file name suffix of a bundle in an evidence directory: `<version>.sigstore.json`. */
export const BUNDLE_SUFFIX = ".sigstore.json";
/** Every Sigstore bundle media type starts with this. */
const BUNDLE_MEDIA_TYPE_PREFIX = "application/vnd.dev.sigstore.bundle";

/** A Sigstore bundle as JSON, passed through unchanged (to the engine, to replicas). */
export type SigstoreBundleJson = { readonly mediaType: string } & Readonly<Record<string, unknown>>;

/** A checked bundle: the library's form and the statement its envelope carries (not yet verified). */
export interface BundleEvidence {
  readonly bundle: Bundle;
  readonly statement: InTotoTestResultStatement;
}

/** True when `value` claims to be a Sigstore bundle (its `mediaType` says so). */
export function isBundleJson(value: unknown): value is SigstoreBundleJson {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { mediaType?: unknown }).mediaType === "string" &&
    (value as { mediaType: string }).mediaType.startsWith(BUNDLE_MEDIA_TYPE_PREFIX)
  );
}

/**
 * Checks that `value` is a Sigstore bundle (its container: what `@sigstore/bundle` accepts); the
 * statement inside is the verdict's to judge, so a wrong predicate is a violation naming it, not
 * a program that cannot run. `where` names the file in errors.
 */
export function checkBundleShape(value: unknown, where: string): Bundle {
  try {
    return bundleFromJSON(value);
  } catch (err) {
    const fields = err instanceof ValidationError ? ` (${(err.fields ?? []).join(", ")})` : "";
    throw new GlobalImageError(
      where,
      `${where}: is not a valid Sigstore bundle: ${(err as Error).message}${fields}. Write it with cosign attest-blob --bundle, actions/attest or global-image attest --bundle.`,
    );
  }
}

/**
 * Checks that `value` is a Sigstore bundle with a DSSE envelope (exactly one signature: the
 * container check refuses any other count) over an in-toto test-result Statement; `where` names the file in errors (which say the field and fix).
 */
export function readBundle(value: unknown, where: string): BundleEvidence {
  const fail = (problem: string): never => {
    throw new GlobalImageError(where, `${where}: ${problem}`);
  };
  const bundle = checkBundleShape(value, where);
  if (!isBundleWithDsseEnvelope(bundle))
    fail(
      "is a Sigstore bundle of a plain signature (messageSignature), not an attestation: sign the in-toto statement (cosign attest-blob, actions/attest or global-image attest --bundle).",
    );
  const envelope = (bundle as Bundle & { content: { $case: "dsseEnvelope" } }).content.dsseEnvelope;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    fail(
      `its DSSE payloadType is ${JSON.stringify(envelope.payloadType)}, not "${IN_TOTO_PAYLOAD_TYPE}": it does not carry an in-toto statement.`,
    );
  let json: unknown;
  try {
    json = JSON.parse(envelope.payload.toString("utf8"));
  } catch (err) {
    fail(`its DSSE payload is not JSON (${(err as Error).message}).`);
  }
  return { bundle, statement: parseTestResultStatement(json, where) };
}
