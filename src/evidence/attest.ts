/** Evidence documents from test results files. */
import { createHash } from "node:crypto";
import * as path from "node:path";
import {
  EVIDENCE_SCHEMA,
  EvidenceDocument,
  TestResult,
  parseEvidence,
  summarize,
} from "./document";
import { parseJUnit } from "./junit";

/** A results file: its path (only the base name is recorded) and its raw content. */
export interface ResultsFile {
  readonly path: string;
  readonly content: Buffer;
}

/** The unsigned evidence of `files` (JUnit XML, merged in order) for one image version. */
export function attestJUnit(
  files: readonly ResultsFile[],
  image: string,
  version: string,
  createdAt: Date,
  producer = "global-image attest",
): EvidenceDocument {
  const tests: TestResult[] = files.flatMap((f) => parseJUnit(f.content, f.path));
  const doc: EvidenceDocument = {
    schema: EVIDENCE_SCHEMA,
    image,
    version,
    tests,
    summary: summarize(tests),
    source: {
      producer,
      files: files.map((f) => ({
        name: path.basename(f.path),
        sha256: createHash("sha256").update(f.content).digest("hex"),
      })),
    },
    createdAt: createdAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  // Never produce a document the readers reject (the error names what is wrong).
  parseEvidence(doc, files.map((f) => f.path).join(", "));
  return doc;
}
