/**
 * What a `pulumi up` does about a version built by Azure VM Image Builder, decided from what it
 * observed in Azure: a build is asynchronous (the template runs after it is created), so the
 * gallery version can only be declared once the build has succeeded. Declaring it then, and
 * keeping it declared once it exists (whatever happens to the template), keeps a slow, failed or
 * cancelled build away from every other version and consumer.
 */

/** Where a version's build stands. */
export const BuildState = {
  /** No template yet: this up creates it, and Image Builder starts the build. */
  Starting: "starting",
  /** The template's build is running. */
  Running: "running",
  /** The build succeeded: the gallery version is declared from its output. */
  Built: "built",
  /** The build failed or was cancelled: nothing is declared; the message says why. */
  Failed: "failed",
  /** The gallery version exists: it is kept, whatever the template says. */
  Published: "published",
} as const;
export type BuildState = (typeof BuildState)[keyof typeof BuildState];

/** What an up observed of one built version. */
export interface BuildObservation {
  /** The gallery version already exists (a 200 from its read). */
  readonly versionExists: boolean;
  /** The template, or undefined when it does not exist (a 404). */
  readonly template?: {
    /** lastRunStatus.runState: Running, Succeeded, PartiallySucceeded, Failed, Canceled. */
    readonly runState?: string;
    readonly runSubState?: string;
    readonly message?: string;
    /** The recipe digest the template was created with (its tag). */
    readonly recipeSha256?: string;
  };
}

/** What to declare. */
export interface BuildDecision {
  readonly state: BuildState;
  /** Declare the Image Builder template (created once; never changed afterwards). */
  readonly declareTemplate: boolean;
  /** Declare the gallery version from the build's output. */
  readonly declareVersion: boolean;
  /** A sentence a person reads, naming the template. */
  readonly message: string;
}

/** The decision for one version whose template is `template`, with recipe `recipeSha256`. */
export function decideBuild(
  observed: BuildObservation,
  template: string,
  recipeSha256: string,
): BuildDecision {
  const { versionExists, template: found } = observed;
  if (versionExists)
    return {
      state: BuildState.Published,
      declareTemplate: found !== undefined,
      declareVersion: true,
      message: `Published (built by template "${template}").`,
    };
  if (found === undefined)
    return {
      state: BuildState.Starting,
      declareTemplate: true,
      declareVersion: false,
      message: `Image Builder template "${template}" is created by this up and starts building.`,
    };
  // Not published yet: a changed recipe replaces the template and builds again (nothing used it).
  if (found.recipeSha256 !== undefined && found.recipeSha256 !== recipeSha256)
    return {
      state: BuildState.Starting,
      declareTemplate: true,
      declareVersion: false,
      message: `The recipe changed before the version was published: this up replaces template "${template}" and builds again.`,
    };
  const run = (found.runState ?? "").toLowerCase();
  if (run === "succeeded")
    return {
      state: BuildState.Built,
      declareTemplate: true,
      declareVersion: true,
      message: `Built by template "${template}"; the version is published from its output.`,
    };
  if (run === "failed" || run === "canceled" || run === "partiallysucceeded") {
    const why = [found.runSubState, found.message].filter((s) => s && s.trim() !== "").join(": ");
    return {
      state: BuildState.Failed,
      declareTemplate: true,
      declareVersion: false,
      message: `Image Builder template "${template}" ${run === "canceled" ? "was cancelled" : "failed"}${why ? `: ${why}` : ""}. Nothing else changes; fix the recipe and publish it as a new version.`,
    };
  }
  return {
    state: BuildState.Running,
    declareTemplate: true,
    declareVersion: false,
    message: `Image Builder template "${template}" is building${found.runSubState ? ` (${found.runSubState})` : ""}.`,
  };
}
