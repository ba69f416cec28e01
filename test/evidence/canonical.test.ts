import { canonicalJson, evidenceSha256, signedBytes } from "../../src/evidence/canonical";
import { passingEvidence } from "../fixtures/evidence";

describe("canonical form", () => {
  it("sorts keys at every depth, drops undefined members and whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: true, x: null }], c: "é" }, z: undefined })).toBe(
      '{"a":{"c":"é","d":[2,{"x":null,"y":true}]},"b":1}',
    );
  });

  it("does not depend on the order the document's keys were written in", () => {
    const doc = passingEvidence("win11", "1.0.0");
    const reordered = Object.fromEntries(Object.entries(doc).reverse()) as typeof doc;
    expect(canonicalJson(reordered)).toBe(canonicalJson(doc));
    expect(evidenceSha256(reordered)).toBe(evidenceSha256(doc));
  });

  it("signs everything but the signature", () => {
    const doc = passingEvidence("win11", "1.0.0");
    const signed = { ...doc, signature: { alg: "ed25519", keyId: "k", value: "v" } };
    expect(signedBytes(signed).equals(signedBytes(doc))).toBe(true);
    expect(evidenceSha256(signed)).not.toBe(evidenceSha256(doc));
    expect(evidenceSha256(doc)).toMatch(/^[0-9a-f]{64}$/);
  });
});
