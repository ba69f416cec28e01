/** The bundle trust settings of the activation policy, read strictly: each mistake named. */
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { KeyError, checkPublicKeyPem } from "../../src/evidence/keys";
import { identityMatches, loadTrust } from "../../src/evidence/trust";
import { tempDir } from "../helpers/cli";

const dir = tempDir("global-image-trust-");
const ROOT = {
  mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};
const GH = "https://token.actions.githubusercontent.com";
const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
const load = (settings: Parameters<typeof loadTrust>[0]) => () => loadTrust(settings, dir, "p.");

beforeAll(() => {
  write("root.json", JSON.stringify(ROOT, null, 2));
  write("roots.jsonl", `${JSON.stringify(ROOT)}\n${JSON.stringify({ ...ROOT, tlogs: [] })}\n`);
  write(
    "bundle.json",
    JSON.stringify({ mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json" }),
  );
  write("broken.json", "{");
});

describe("trusted keys", () => {
  const pem = (type: "ed25519" | "ec" | "rsa", curve?: string) =>
    (type === "ec"
      ? generateKeyPairSync("ec", { namedCurve: curve as string })
      : type === "rsa"
        ? generateKeyPairSync("rsa", { modulusLength: 2048 })
        : generateKeyPairSync("ed25519")
    ).publicKey
      .export({ type: "spki", format: "pem" })
      .toString();

  // Two values a row: with one, Jest would pass its `done` callback as the second parameter.
  it.each([
    ["ed25519", ""],
    ["ec", "P-256"],
    ["ec", "P-384"],
  ] as const)("accepts %s %s", (type, curve) => {
    expect(checkPublicKeyPem(pem(type, curve), "k:")).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it.each([
    ["rsa", undefined, /a rsa key; trusted keys are ed25519 .* or ECDSA P-256\/P-384/],
    ["ec", "secp256k1", /a ec secp256k1 key; trusted keys are/],
  ] as const)("refuses %s %s, saying which keys it takes", (type, curve, message) => {
    expect(() => checkPublicKeyPem(pem(type, curve), "k:")).toThrow(message);
  });
});

describe("trusted identities and the trusted root", () => {
  it("loads identities with a root (JSON or JSON Lines, merged)", () => {
    const identities = [
      { issuer: GH, subject: "https://github.com/c/i/.github/workflows/t.yml@refs/heads/main" },
      { issuer: GH, subjectPattern: "https://github\\.com/c/.*" },
    ];
    expect(load({ trustedIdentities: identities, trustedRoot: "root.json" })()).toEqual({
      trustedKeys: {},
      trustedIdentities: identities,
      trustedRoot: ROOT,
    });
    expect(load({ trustedRoot: "roots.jsonl" })().trustedRoot).toEqual(ROOT);
  });

  it.each([
    [
      { trustedIdentities: [{ issuer: GH, subject: "s" }] },
      /p\.trustedIdentities: keyless signers are verified against a Sigstore trusted root: set p\.trustedRoot/,
    ],
    [
      { trustedIdentities: [{ issuer: GH }] },
      /p\.trustedIdentities\[0\]: give exactly one of subject .* or subjectPattern/,
    ],
    [
      { trustedIdentities: [{ issuer: GH, subject: "s", subjectPattern: "s" }] },
      /give exactly one of subject/,
    ],
    [
      { trustedIdentities: [{ issuer: "github", subject: "s" }] },
      /p\.trustedIdentities\[0\]\.issuer: must be the OIDC issuer URL/,
    ],
    [
      { trustedIdentities: [{ issuer: GH, subject: "s", sub: "x" }] },
      /p\.trustedIdentities\[0\]\.sub: not a field of a trusted identity/,
    ],
    [
      { trustedIdentities: [{ issuer: GH, subjectPattern: "(" }] },
      /p\.trustedIdentities\[0\]\.subjectPattern: not a regular expression/,
    ],
    [{ trustedIdentities: {} }, /p\.trustedIdentities: must be a list/],
    [
      { trustedRoot: "missing.json" },
      /p\.trustedRoot missing\.json: cannot be read as JSON \(ENOENT\)/,
    ],
    [{ trustedRoot: "broken.json" }, /p\.trustedRoot broken\.json: cannot be read as JSON/],
    [
      { trustedRoot: "bundle.json" },
      /p\.trustedRoot bundle\.json: its mediaType is "application\/vnd\.dev\.sigstore\.bundle\.v0\.3\+json", not "application\/vnd\.dev\.sigstore\.trustedroot\+json;version=0\.1"/,
    ],
  ])("refuses %j, naming the setting", (settings, message) => {
    expect(load(settings)).toThrow(KeyError);
    expect(load(settings)).toThrow(message);
  });

  it("matches an identity by exact subject, or by a pattern over the whole subject", () => {
    const sub = "https://github.com/c/i/.github/workflows/t.yml@refs/heads/main";
    expect(identityMatches({ issuer: GH, subject: sub }, sub, GH)).toBe(true);
    expect(identityMatches({ issuer: GH, subject: sub }, `${sub}x`, GH)).toBe(false);
    expect(identityMatches({ issuer: GH, subject: sub }, sub, "https://other")).toBe(false);
    expect(
      identityMatches({ issuer: GH, subjectPattern: "https://github\\.com/c/.*" }, sub, GH),
    ).toBe(true);
    // Anchored: a pattern for main does not accept a subject that merely contains it.
    expect(
      identityMatches({ issuer: GH, subjectPattern: ".*@refs/heads/main" }, `${sub}-evil`, GH),
    ).toBe(false);
  });
});
