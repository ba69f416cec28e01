/**
 * A private Sigstore instance for tests: `@sigstore/mock`'s Fulcio (CA + CT log), Rekor and
 * timestamp authority served on 127.0.0.1, the trusted root that describes them (the mock has no
 * public builder for one; this follows its unexported trust-root.ts), and bundles made by the real
 * sigstore-js signing path (`FulcioSigner` with an OIDC token, `RekorWitness`, `TSAWitness`).
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import * as http from "node:http";
import { AddressInfo } from "node:net";
// Subpaths, not the package's index: that one loads nock, which patches Node's http for the rest
// of the Jest worker's life.
import { fulcioHandler, initializeCA, initializeCTLog } from "@sigstore/mock/dist/fulcio";
import { initializeTLog, rekorHandler } from "@sigstore/mock/dist/rekor";
import { initializeTSA, tsaHandler } from "@sigstore/mock/dist/timestamp";
import { bundleToJSON } from "@sigstore/bundle";
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, Witness } from "@sigstore/sign";
import type { SigstoreBundleJson } from "../../src/evidence/bundle";

/** Who signs: the OIDC token's issuer and subject (the certificate's SAN). */
export interface OidcIdentity {
  readonly iss: string;
  readonly sub: string;
}

export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
export const WORKFLOW =
  "https://github.com/contoso/images/.github/workflows/validate.yml@refs/heads/main";

type Handler = {
  path: string;
  fn: (body: string) => Promise<{
    statusCode: number;
    response: string | ArrayBufferView;
    contentType?: string;
  }>;
};

export interface SigstoreWorld {
  readonly url: string;
  /** The trusted root JSON of this instance. */
  readonly trustedRoot: object;
  /** A keyless bundle of `statement` signed as `identity`, with a Rekor entry and/or a timestamp. */
  sign(
    statement: object,
    identity: OidcIdentity,
    witnesses?: { rekor?: boolean; tsa?: boolean },
  ): Promise<SigstoreBundleJson>;
  close(): Promise<void>;
}

const b64 = (bytes: ArrayBufferView | Buffer) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

/**
 * Starts the instance; its clock (certificates, log entries, timestamps) is `clock`. The mock's
 * root and TSA certificates are valid from the real time they are made (to the second), so the
 * clock must not be earlier than that: by default a few seconds ahead of now.
 */
export async function sigstoreWorld(clock = new Date(Date.now() + 5000)): Promise<SigstoreWorld> {
  const keyPair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ctlog = await initializeCTLog(keyPair, clock);
  const ca = await initializeCA(keyPair, ctlog, clock);
  const tlog = await initializeTLog(url, keyPair, clock);
  const tsa = await initializeTSA(keyPair, clock);
  const handlers: Handler[] = [fulcioHandler(ca), rekorHandler(tlog), tsaHandler(tsa)];
  server.on("request", (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const handler = handlers.find((h) => h.path === req.url);
      if (!handler) return void res.writeHead(404).end();
      void handler.fn(Buffer.concat(chunks).toString("utf8")).then((r) => {
        res.writeHead(r.statusCode, { "Content-Type": r.contentType ?? "text/plain" });
        res.end(
          typeof r.response === "string" ? r.response : Buffer.from(b64(r.response), "base64"),
        );
      });
    });
  });
  const start = new Date(clock.getTime() - 24 * 3600 * 1000).toISOString();
  const logKey = (publicKey: Buffer, keyId: string) => ({
    baseUrl: url,
    hashAlgorithm: "SHA2_256",
    publicKey: {
      rawBytes: b64(publicKey),
      keyDetails: "PKIX_ECDSA_P256_SHA_256",
      validFor: { start },
    },
    logId: { keyId },
  });
  const trustedRoot = {
    mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    tlogs: [logKey(tlog.publicKey, createHash("sha256").update(tlog.publicKey).digest("base64"))],
    ctlogs: [logKey(ctlog.publicKey, b64(ctlog.logID))],
    certificateAuthorities: [
      {
        subject: { organization: "sigstore.mock", commonName: "sigstore" },
        uri: url,
        certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] },
        validFor: { start },
      },
    ],
    timestampAuthorities: [
      {
        subject: { organization: "sigstore.mock", commonName: "tsa" },
        uri: url,
        certChain: {
          certificates: [
            { rawBytes: b64(tsa.intCertificate) },
            { rawBytes: b64(tsa.rootCertificate) },
          ],
        },
        validFor: { start },
      },
    ],
  };
  return {
    url,
    trustedRoot,
    async sign(statement, identity, witnesses = { rekor: true, tsa: true }) {
      const claims = { ...identity, aud: "sigstore", iat: Math.floor(clock.getTime() / 1000) };
      const token = [{ alg: "none", typ: "JWT" }, claims]
        .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
        .concat("signature")
        .join(".");
      const signer = new FulcioSigner({
        fulcioBaseURL: url,
        identityProvider: { getToken: async () => token },
      });
      const list: Witness[] = [];
      // "intoto" entries: the mock Rekor answers a "dsse" entry with the proposed body, not the
      // canonical one real Rekor stores, and sigstore-js then finds no signatures in it.
      if (witnesses.rekor) list.push(new RekorWitness({ rekorBaseURL: url, entryType: "intoto" }));
      if (witnesses.tsa) list.push(new TSAWitness({ tsaBaseURL: url }));
      const bundle = await new DSSEBundleBuilder({ signer, witnesses: list }).create({
        data: Buffer.from(JSON.stringify(statement)),
        type: "application/vnd.in-toto+json",
      });
      return bundleToJSON(bundle) as unknown as SigstoreBundleJson;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A time `seconds` ahead of now, on a whole second. */
export function wholeSecondsAhead(seconds: number): Date {
  return new Date(Math.ceil(Date.now() / 1000 + seconds) * 1000);
}
