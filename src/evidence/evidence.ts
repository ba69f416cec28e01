/**
 * Evidence of one image version, in either form the gate accepts: an evidence document
 * (`document.ts`, `<version>.json`) or a Sigstore bundle of an in-toto test-result statement
 * (`bundle.ts`, `<version>.sigstore.json`). Both pass through the component, the engine and
 * replicas unchanged; `verdict.ts` judges either.
 */
import { SigstoreBundleJson, checkBundleShape, isBundleJson } from "./bundle";
import { EvidenceDocument, parseEvidence } from "./document";

export type { SigstoreBundleJson } from "./bundle";

/** An evidence document or a Sigstore bundle's JSON. */
export type Evidence = EvidenceDocument | SigstoreBundleJson;

/**
 * Checks the shape of `value` as either form (a bundle when its `mediaType` says so: only its
 * container, the statement is the verdict's) and returns it unchanged; `where` names the file or
 * field in errors. Signatures are checked by the verdict.
 */
export function parseAnyEvidence(value: unknown, where: string): Evidence {
  if (isBundleJson(value)) {
    checkBundleShape(value, where);
    return value;
  }
  return parseEvidence(value, where);
}
