/**
 * The commands that sign what `global-image attest --predicate/--statement --subject` wrote, with
 * the tools a team already runs: cosign with an Azure Key Vault key (`azurekms://`), and GitHub's
 * `actions/attest` (keyless, the workflow's OIDC identity). Both write a Sigstore bundle; placed at
 * `<evidenceDir>/<image>/<version>.sigstore.json` it is the version's evidence.
 */
import { TEST_RESULT_PREDICATE_TYPE } from "../evidence/inToto";
import { bundlePath } from "../evidence/load";

export interface SigningInputs {
  readonly image: string;
  readonly version: string;
  /** Where the predicate, statement and subject files were written (as the user named them). */
  readonly predicate?: string;
  readonly statement?: string;
  readonly subject?: string;
  readonly evidenceDir?: string;
}

/** The lines that say how to sign the written files, or none when there is nothing to sign. */
export function signingCommands(w: SigningInputs): string[] {
  if (w.predicate === undefined && w.statement === undefined) return [];
  const target = bundlePath(w.evidenceDir ?? "<evidenceDir>", w.image, w.version);
  const key = "azurekms://<vault>.vault.azure.net/<key>";
  const lines = ["Sign it into the version's evidence (" + target + "):"];
  if (w.predicate !== undefined && w.subject !== undefined) {
    lines.push(
      "  With a Key Vault key (cosign v3; an EC P-256 key):",
      `    cosign attest-blob --predicate ${w.predicate} --type ${TEST_RESULT_PREDICATE_TYPE} --key ${key} --bundle ${target} ${w.subject}`,
      "  Keyless in GitHub Actions (permissions: id-token: write, attestations: write):",
      "    - uses: actions/attest@v4",
      "      id: attest",
      "      with:",
      `        subject-path: ${w.subject}`,
      `        predicate-type: ${TEST_RESULT_PREDICATE_TYPE}`,
      `        predicate-path: ${w.predicate}`,
      `    - run: cp "\${{ steps.attest.outputs.bundle-path }}" ${target}`,
    );
  }
  if (w.statement !== undefined)
    lines.push(
      "  The ready-made statement, with any DSSE signer (cosign v3):",
      `    cosign attest-blob --statement ${w.statement} --key ${key} --bundle ${target}`,
    );
  if (w.subject === undefined && w.predicate !== undefined)
    lines.push("  (give --subject <file> too: the signers hash it to name this version)");
  lines.push(
    "Then trust the signer in the policy config: trustedKeys (the key's PEM) or trustedIdentities (issuer + subject), with trustedRoot for log entries and certificates (docs/evidence.md).",
  );
  return lines;
}
