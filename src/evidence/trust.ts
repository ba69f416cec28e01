/**
 * What a Sigstore bundle is verified against, read strictly from the activation policy's config:
 * `trustedIdentities` (keyless signers: OIDC issuer + certificate subject) and `trustedRoot` (a
 * Sigstore trusted root JSON file: Fulcio CAs, Rekor and CT log keys, timestamp authorities;
 * nothing is fetched). Trusted keys are read by `keys.ts`. A bad entry is a KeyError naming it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { TrustedRoot } from "@sigstore/protobuf-specs";
import { toTrustMaterial } from "@sigstore/verify";
import { KeyError, checkTrustedKeys } from "./keys";

/** The media type every Sigstore trusted root starts with. */
const TRUSTED_ROOT_MEDIA_TYPE = "application/vnd.dev.sigstore.trustedroot";

/** A keyless signer the gate trusts: the certificate's OIDC issuer and its subject. */
export interface TrustedIdentity {
  /** The OIDC issuer, exactly (GitHub Actions: `https://token.actions.githubusercontent.com`). */
  readonly issuer: string;
  /**
   * The certificate's subject (its SAN: a workflow ref URI or an e-mail), exactly, e.g.
   * `https://github.com/contoso/images/.github/workflows/test.yml@refs/heads/main`.
   */
  readonly subject?: string;
  /** A regular expression the whole subject must match; give it or `subject`, not both. */
  readonly subjectPattern?: string;
}

/** The trusted identities of `value` (config), checked; `where` names the config key. */
export function checkTrustedIdentities(value: unknown, where: string): TrustedIdentity[] {
  if (!Array.isArray(value))
    throw new KeyError(
      `${where}: must be a list of { issuer, subject } or { issuer, subjectPattern }`,
    );
  return value.map((entry, i) => {
    const at = `${where}[${i}]`;
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    const extra = Object.keys(e).filter(
      (k) => !["issuer", "subject", "subjectPattern"].includes(k),
    );
    if (extra.length > 0)
      throw new KeyError(
        `${at}.${extra[0]}: not a field of a trusted identity (issuer, subject, subjectPattern)`,
      );
    if (typeof e.issuer !== "string" || !/^https:\/\/\S+$/.test(e.issuer))
      throw new KeyError(
        `${at}.issuer: must be the OIDC issuer URL, e.g. "https://token.actions.githubusercontent.com"`,
      );
    const hasSubject = typeof e.subject === "string" && e.subject !== "";
    const hasPattern = typeof e.subjectPattern === "string" && e.subjectPattern !== "";
    if (hasSubject === hasPattern)
      throw new KeyError(
        `${at}: give exactly one of subject (the certificate's identity, exactly) or subjectPattern (a regular expression over the whole identity)`,
      );
    if (hasPattern) {
      try {
        new RegExp(e.subjectPattern as string);
      } catch (err) {
        throw new KeyError(
          `${at}.subjectPattern: not a regular expression (${(err as Error).message})`,
        );
      }
      return { issuer: e.issuer, subjectPattern: e.subjectPattern as string };
    }
    return { issuer: e.issuer, subject: e.subject as string };
  });
}

/** True when a certificate's identity (`san`, `issuer`) is the trusted identity `id`. */
export function identityMatches(id: TrustedIdentity, san: string, issuer: string): boolean {
  if (id.issuer !== issuer) return false;
  if (id.subject !== undefined) return id.subject === san;
  return new RegExp(`^(?:${id.subjectPattern})$`, "s").test(san);
}

/** How a trusted identity is named in messages. */
export function describeIdentity(id: TrustedIdentity): string {
  return id.subject !== undefined
    ? `${id.subject} (issuer ${id.issuer})`
    : `/${id.subjectPattern}/ (issuer ${id.issuer})`;
}

/**
 * The trusted root at `file` (relative to `baseDir`): a Sigstore trusted_root.json, or JSON Lines
 * of several (what `gh attestation trusted-root` prints: the public-good instance's and GitHub's),
 * merged; checked by loading it as sigstore-js does. `where` names the config key.
 */
export function readTrustedRoot(file: unknown, baseDir: string, where: string): object {
  if (typeof file !== "string" || file === "")
    throw new KeyError(`${where}: must be the path of a Sigstore trusted_root.json file`);
  const full = path.resolve(baseDir, file);
  let roots: unknown[];
  try {
    // JSON, or JSON Lines (`gh attestation trusted-root` writes one root a line): merged.
    roots = parseJsonOrLines(fs.readFileSync(full, "utf8"));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new KeyError(
      `${where} ${file}: cannot be read as JSON (${why}); give a Sigstore trusted_root.json`,
    );
  }
  for (const root of roots) {
    const mediaType = (root as { mediaType?: unknown } | null)?.mediaType;
    if (typeof mediaType !== "string" || !mediaType.startsWith(TRUSTED_ROOT_MEDIA_TYPE))
      throw new KeyError(
        `${where} ${file}: its mediaType is ${JSON.stringify(mediaType)}, not "${TRUSTED_ROOT_MEDIA_TYPE}+json;version=0.1": give a Sigstore trusted_root.json`,
      );
  }
  const merged = mergeRoots(roots as Array<Record<string, unknown>>);
  try {
    toTrustMaterial(TrustedRoot.fromJSON(merged), () => {
      throw new Error("no keys");
    });
  } catch (err) {
    throw new KeyError(
      `${where} ${file}: not a usable Sigstore trusted root (${(err as Error).message})`,
    );
  }
  return merged;
}

/** One JSON value, or else one per non-empty line (JSON Lines). */
function parseJsonOrLines(text: string): unknown[] {
  try {
    return [JSON.parse(text) as unknown];
  } catch (err) {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
    if (lines.length < 2) throw err;
    return lines.map((l) => JSON.parse(l) as unknown);
  }
}

/** One trusted root holding every authority of `roots`. */
function mergeRoots(roots: Array<Record<string, unknown>>): object {
  const all = (key: string) => roots.flatMap((r) => (Array.isArray(r[key]) ? r[key] : []));
  return {
    mediaType: roots[0].mediaType,
    tlogs: all("tlogs"),
    certificateAuthorities: all("certificateAuthorities"),
    ctlogs: all("ctlogs"),
    timestampAuthorities: all("timestampAuthorities"),
  };
}

/** The signature settings of the activation policy's config, as given. */
export interface TrustSettings {
  readonly trustedKeys?: Readonly<Record<string, string>>;
  readonly trustedIdentities?: unknown;
  readonly trustedRoot?: string;
}

/** The settings checked and loaded: keys as PEM, identities, the root's JSON (if any). */
export interface EvidenceTrust {
  readonly trustedKeys: Record<string, string>;
  readonly trustedIdentities: TrustedIdentity[];
  readonly trustedRoot?: object;
}

/**
 * Checks and loads the trust settings (paths relative to `baseDir`); `where` prefixes the config
 * key in errors (a KeyError). Keyless identities without a trusted root are refused.
 */
export function loadTrust(settings: TrustSettings, baseDir: string, where: string): EvidenceTrust {
  const trustedKeys = checkTrustedKeys(settings.trustedKeys ?? {}, baseDir, `${where}trustedKeys`);
  const trustedIdentities = checkTrustedIdentities(
    settings.trustedIdentities ?? [],
    `${where}trustedIdentities`,
  );
  const trustedRoot =
    settings.trustedRoot === undefined || settings.trustedRoot === ""
      ? undefined
      : readTrustedRoot(settings.trustedRoot, baseDir, `${where}trustedRoot`);
  if (trustedIdentities.length > 0 && trustedRoot === undefined)
    throw new KeyError(
      `${where}trustedIdentities: keyless signers are verified against a Sigstore trusted root: set ${where}trustedRoot to a trusted_root.json (cosign trusted-root create, or the public instance's)`,
    );
  return { trustedKeys, trustedIdentities, ...(trustedRoot && { trustedRoot }) };
}
