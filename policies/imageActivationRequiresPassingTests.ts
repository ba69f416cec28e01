import { ResourceValidationPolicy } from "@pulumi/policy";
import { KeyError } from "../src/evidence/keys";
import { EvidenceTrust, loadTrust } from "../src/evidence/trust";
import { judgeEvidence } from "../src/evidence/verdict";
import { withDefaults } from "./lib/config";
import { imageFromInputs } from "./lib/images";
import { IMAGE_TYPES, Types, describeResource } from "./lib/types";

/** The knobs of `image-activation-requires-passing-tests`. */
export interface ActivationConfig {
  requiredTests: string[];
  maxEvidenceAgeDays: number;
  trustedKeys: Record<string, string>;
  trustedIdentities: Array<{ issuer: string; subject?: string; subjectPattern?: string }>;
  trustedRoot: string;
  exemptVersions: Record<string, string[]>;
}

export const ACTIVATION_DEFAULTS: ActivationConfig = {
  requiredTests: [],
  maxEvidenceAgeDays: 0,
  trustedKeys: {},
  trustedIdentities: [],
  trustedRoot: "",
  exemptVersions: {},
};

/** A version becomes active only with evidence that its required tests passed on that exact version. */
export const imageActivationRequiresPassingTests: ResourceValidationPolicy = {
  name: "image-activation-requires-passing-tests",
  description:
    "The active version of every GlobalImage and ImageReplica (which carries its source's evidence) has test evidence for that exact image and version (an evidence document, or a Sigstore bundle of an in-toto test-result statement), with every required test passed and none failed, fresh enough and, when trusted keys or identities are configured, signed by one of them.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      requiredTests: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          "Test names that must be present and passed; `*` matches any text (`Sign-in.*`: at least one such test, all passed).",
      },
      maxEvidenceAgeDays: {
        type: "integer",
        minimum: 0,
        default: 0,
        description: "Oldest evidence accepted, in days; 0 accepts any age.",
      },
      trustedKeys: {
        type: "object",
        additionalProperties: { type: "string" },
        default: {},
        description:
          "keyId (`sha256:` + hex SHA-256 of the key's SPKI DER; global-image keygen prints it) → the PEM public key (ed25519, or ECDSA P-256/P-384 for Sigstore bundles), or the path of its .pub file; when set, evidence must be signed by one.",
      },
      trustedIdentities: {
        type: "array",
        items: {
          type: "object",
          properties: {
            issuer: { type: "string" },
            subject: { type: "string" },
            subjectPattern: { type: "string" },
          },
          required: ["issuer"],
          additionalProperties: false,
        },
        default: [],
        description:
          "Keyless signers of Sigstore bundles: the certificate's OIDC issuer and its subject exactly (subject) or a regular expression over the whole subject (subjectPattern). Needs trustedRoot.",
      },
      trustedRoot: {
        type: "string",
        default: "",
        description:
          "Path of a Sigstore trusted_root.json (Fulcio, Rekor, CT log and timestamp authority keys) that keyless bundles, and any log entry or timestamp a bundle carries, are verified against. Nothing is fetched.",
      },
      exemptVersions: {
        type: "object",
        additionalProperties: { type: "array", items: { type: "string" } },
        default: {},
        description:
          "Image name → versions exempt from the check: versions activated before this pack, or the break-glass for rolling back to a version attested under an older policy.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!IMAGE_TYPES.includes(args.type)) return;
    const label = `${describeResource(args.type, args.name)}`;
    // A resource policy: Analyze hands it the component's inputs before the step runs, so a
    // promotion without evidence is stopped before anything changes, even in `up --skip-preview`.
    const image = imageFromInputs({
      ...args,
      parent: undefined,
      dependencies: [],
      propertyDependencies: {},
    });
    if (!image) {
      // Without inputs (the Node SDK leaves them out when the variable is set), nothing is known.
      const why =
        Object.keys(args.props).length === 0
          ? `it reached the engine with no inputs, so its activation cannot be checked. Unset PULUMI_NODEJS_SKIP_COMPONENT_INPUTS (with it, the Node SDK sends no component inputs).`
          : `its image name and active version cannot be read, so its activation cannot be checked. Make them plain values.`;
      reportViolation(`${label}: ${why}`);
      return;
    }
    const config = withDefaults(args, ACTIVATION_DEFAULTS);
    const version = image.activeVersion;
    if ((config.exemptVersions[image.name] ?? []).includes(version)) return;
    let trust: EvidenceTrust;
    try {
      trust = loadTrust(config, process.cwd(), "");
    } catch (err) {
      if (!(err instanceof KeyError)) throw err;
      reportViolation(
        `${label}: the policy config is wrong, so no activation can be checked: ${err.message}`,
      );
      return;
    }
    const verdict = judgeEvidence(image.evidence[version], {
      image: image.name,
      version,
      requiredTests: config.requiredTests,
      maxEvidenceAgeDays: config.maxEvidenceAgeDays,
      ...trust,
    });
    if (!verdict.ok) {
      reportViolation(
        `${label}: ${image.name} ${version} cannot be active: ${verdict.problems.join("; ")}. ` +
          (args.type === Types.ImageReplica
            ? `A replica carries its source's evidence: attest ${image.name} ${version} at the source image and run its stack, or pin the replica's activeVersion to a version with evidence. `
            : "") +
          `Attest the version's test results (global-image attest --image ${image.name} --version ${version}) and pass them as evidence, or keep the previous activeVersion. ` +
          `Rolling back to a version attested under an older policy? Break-glass: list it in exemptVersions["${image.name}"] of this policy's config.`,
      );
    }
  },
};
