/**
 * The canonical form that signatures and digests are computed over: the document without its
 * `signature`, serialized as JSON with
 * - object keys sorted by UTF-16 code unit order, at every depth;
 * - no insignificant whitespace;
 * - strings and numbers as `JSON.stringify` writes them (evidence holds only strings, integers and
 *   booleans, for which this matches RFC 8785, JSON Canonicalization Scheme);
 * - array order kept; `undefined` members left out;
 * encoded as UTF-8.
 */
import { createHash } from "node:crypto";
import { EvidenceDocument } from "./document";

/** Deterministic JSON of any plain value (see the module comment). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(",")}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(",")}}`;
}

/** The bytes a signature covers: the canonical form of the document without `signature`. */
export function signedBytes(doc: EvidenceDocument): Buffer {
  const { signature: _signature, ...rest } = doc;
  return Buffer.from(canonicalJson(rest), "utf8");
}

/**
 * SHA-256 (hex) of the whole evidence's canonical form (a document with its signature, or a
 * Sigstore bundle's JSON): its identity.
 */
export function evidenceSha256(doc: object): string {
  return createHash("sha256").update(canonicalJson(doc), "utf8").digest("hex");
}
