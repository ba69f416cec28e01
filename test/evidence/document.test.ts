import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseEvidence } from "../../src/evidence/document";
import { fromInToto, toInToto } from "../../src/evidence/inToto";
import { subjectDigest } from "../../src/evidence/subject";
import { collectEvidence, evidencePath } from "../../src/evidence/load";
import { passingEvidence } from "../fixtures/evidence";
import { errorOf } from "../helpers/errors";

/** A well-formed (not a valid) signature: the shape parseEvidence checks. */
const SIGNATURE = {
  alg: "ed25519",
  keyId: `sha256:${"0".repeat(64)}`,
  value: Buffer.alloc(64).toString("base64"),
};

describe("parseEvidence", () => {
  it("accepts a well-formed signature", () => {
    const doc = { ...passingEvidence("win11", "1.0.0"), signature: SIGNATURE };
    expect(parseEvidence(doc, "e.json").signature).toEqual(SIGNATURE);
  });

  it("accepts a well-formed document", () => {
    const doc = passingEvidence("win11", "1.0.0");
    expect(parseEvidence(JSON.parse(JSON.stringify(doc)), "e.json")).toEqual(doc);
  });

  it.each([
    ["a bad version", (d: any) => (d.version = "v1"), /"version" must be a gallery version name/],
    [
      "a bad status",
      (d: any) => (d.tests[0].status = "ok"),
      /"tests\[0\]\.status" must be "passed", "failed" or "skipped"/,
    ],
    ["a missing summary count", (d: any) => delete d.summary.skipped, /"summary" must count/],
    [
      "a bad file digest",
      (d: any) => (d.source.files[0].sha256 = "abc"),
      /"source\.files\[0\]" must be \{ name, sha256 \}/,
    ],
    [
      "a bad date",
      (d: any) => (d.createdAt = "yesterday"),
      /"createdAt" must be an RFC 3339 date-time/,
    ],
    [
      "a bad signature",
      (d: any) => (d.signature = { alg: "ed25519" }),
      /"signature\.keyId" must be "sha256:" and 64 lower-case hex digits/,
    ],
    [
      "a date without a time",
      (d: any) => (d.createdAt = "2026-11-20"),
      /"createdAt" must be an RFC 3339 date-time/,
    ],
    [
      "an impossible date",
      (d: any) => (d.createdAt = "2026-02-30T10:00:00Z"),
      /"createdAt" must be an RFC 3339 date-time/,
    ],
    [
      "a signature with a field of its own",
      (d: any) => (d.signature = { ...SIGNATURE, note: "x" }),
      /"signature\.note" is not a field of a signature/,
    ],
    [
      "a signature without base64 padding",
      (d: any) => (d.signature = { ...SIGNATURE, value: SIGNATURE.value.replace(/==$/, "") }),
      /"signature\.value" must be the canonical base64/,
    ],
    [
      "a signature with stray bits in its last base64 digit",
      (d: any) => (d.signature = { ...SIGNATURE, value: SIGNATURE.value.replace(/A==$/, "B==") }),
      /"signature\.value" must be the canonical base64/,
    ],
  ])("rejects %s, naming where", (_name, change, message) => {
    const doc = JSON.parse(JSON.stringify(passingEvidence("win11", "1.0.0")));
    change(doc);
    const err = errorOf(() => parseEvidence(doc, "evidence/win11/1.0.0.json"));
    expect(err.message).toMatch(/^evidence\/win11\/1\.0\.0\.json: /);
    expect(err.message).toMatch(message);
  });
});

describe("in-toto test-result", () => {
  it("maps outcomes onto the predicate and back", () => {
    const doc = passingEvidence("win11", "1.1.0");
    const statement = toInToto(doc);
    expect(statement.predicateType).toBe("https://in-toto.io/attestation/test-result/v0.1");
    // The subject is the version's subject file (subject.ts), not the results files.
    expect(statement.subject).toEqual([
      { name: "win11@1.1.0", digest: { sha256: subjectDigest("win11", "1.1.0") } },
    ]);
    expect(statement.predicate.configuration).toEqual([
      { name: "pester.xml", digest: { sha256: "a".repeat(64) } },
    ]);
    expect(statement.predicate.result).toBe("WARNED");
    expect(statement.predicate.warnedTests).toEqual(["printing.redirects"]);
    const back = fromInToto(statement, doc.createdAt);
    expect(back.image).toBe("win11");
    expect(back.version).toBe("1.1.0");
    expect(back.summary).toEqual(doc.summary);
    expect(back.tests.map((t) => [t.name, t.status]).sort()).toEqual(
      doc.tests.map((t) => [t.name, t.status]).sort(),
    );
  });

  it("says FAILED when any test failed", () => {
    const doc = passingEvidence("win11", "1.1.0", [
      { name: "a", status: "failed" },
      { name: "b", status: "passed" },
    ]);
    expect(toInToto(doc).predicate).toMatchObject({
      result: "FAILED",
      failedTests: ["a"],
      passedTests: ["b"],
    });
  });
});

describe("collectEvidence", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evidence-"));
  const write = (version: string, text: string) => {
    fs.mkdirSync(path.join(dir, "win11"), { recursive: true });
    fs.writeFileSync(evidencePath(dir, "win11", version), text);
  };

  it("reads <dir>/<image>/<version>.json for declared versions; inline documents win", () => {
    write("1.0.0", JSON.stringify(passingEvidence("win11", "1.0.0")));
    write("1.1.0", JSON.stringify(passingEvidence("win11", "1.1.0")));
    const inline = { ...passingEvidence("win11", "1.1.0"), createdAt: "2026-11-21T00:00:00Z" };
    const found = collectEvidence({ "1.1.0": inline }, dir, "win11", ["1.0.0", "1.1.0", "1.2.0"]);
    expect(Object.keys(found).sort()).toEqual(["1.0.0", "1.1.0"]);
    expect(found["1.1.0"].createdAt).toBe("2026-11-21T00:00:00Z");
  });

  it("names the file that is not JSON", () => {
    write("1.2.0", "{ not json");
    const err = errorOf(() => collectEvidence(undefined, dir, "win11", ["1.2.0"]));
    expect(err.message).toContain(`${evidencePath(dir, "win11", "1.2.0")}: is not valid JSON`);
  });

  it("refuses a missing directory and inline evidence for an undeclared version", () => {
    expect(
      errorOf(() => collectEvidence(undefined, path.join(dir, "nope"), "win11", [])).field,
    ).toBe("evidenceDir");
    const err = errorOf(() =>
      collectEvidence({ "9.9.9": passingEvidence("win11", "9.9.9") }, undefined, "win11", [
        "1.0.0",
      ]),
    );
    expect(err.field).toBe('evidence["9.9.9"]');
  });
});
