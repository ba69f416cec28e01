/**
 * What a `pulumi up` does about a version built by Azure VM Image Builder, decided from what it
 * observed in Azure: a build is asynchronous (the template runs after it is created), so the
 * gallery version can only be declared once the build has succeeded. Declaring it then, and
 * keeping it declared once it exists (whatever happens to the template), keeps a slow, failed or
 * cancelled build away from every other version and consumer. Pure: the observation is an input.
 */
import { invalid } from "../common/errors";
import { ImageRole } from "../images/roles";

/** Where a version's build stands. */
export const BuildState = {
  /** No template yet (or a changed recipe): this up creates it, and Image Builder builds. */
  Starting: "starting",
  /** The template's build is running. */
  Running: "running",
  /** The build succeeded: the gallery version is declared from its output. */
  Built: "built",
  /** The build failed or was cancelled: nothing is declared; the message says why. */
  Failed: "failed",
  /** The gallery version exists: it is kept, whatever the template says. */
  Published: "published",
  /** A retired or withdrawn version that was never built: nothing is built for it. */
  NotBuilt: "not-built",
} as const;
export type BuildState = (typeof BuildState)[keyof typeof BuildState];

/** What an up observed of one built version. */
export interface BuildObservation {
  /** The gallery version, when it exists (a 200 from its read), with its recipe tag. */
  readonly version?: { readonly recipeSha256?: string };
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

/** The version being decided about. */
export interface BuildTarget {
  readonly version: string;
  readonly role: ImageRole;
  /** The Image Builder template's name. */
  readonly template: string;
  /** The digest of the recipe declared now. */
  readonly recipeSha256: string;
  /** The field errors name, e.g. `versions["1.3.0"].source.imageBuilder`. */
  readonly field: string;
}

/** What to declare. */
export interface BuildDecision {
  readonly state: BuildState;
  /** Declare the Image Builder template (created once; any change replaces it). */
  readonly declareTemplate: boolean;
  /** Declare the gallery version from the build's output. */
  readonly declareVersion: boolean;
  /** A sentence a person reads, naming the template. */
  readonly message: string;
}

/**
 * The decision for one built version. Throws a GlobalImageError when the configuration asks for
 * something no build can give: a published version with another recipe, or an active or backup
 * version whose build has not succeeded. A succeeded build of a kept version is published: a
 * staged version promoted as soon as its build passed (its tests ran on the validation pools)
 * is what `pulumi up` sees, and what `check` shows offline, where every build has succeeded.
 */
export function decideBuild(observed: BuildObservation, target: BuildTarget): BuildDecision {
  const { version, template: found } = observed;
  const { template, recipeSha256 } = target;
  if (version !== undefined) {
    if (version.recipeSha256 !== undefined && version.recipeSha256 !== recipeSha256)
      throw invalid(
        target.field,
        "a changed recipe",
        `is not the recipe version ${target.version} was published from (template "${template}"); rebuilding would replace a published version`,
        `Keep this recipe for ${target.version} and publish the new one as a new version (e.g. a higher patch number), then stage it.`,
      );
    const sameTemplate = found !== undefined && found.recipeSha256 === recipeSha256;
    return {
      state: BuildState.Published,
      declareTemplate: sameTemplate,
      declareVersion: true,
      message: `Published (built by template "${template}").`,
    };
  }
  const building = buildProgress(found, template, recipeSha256);
  const kept = target.role === ImageRole.Active || target.role === ImageRole.Backup;
  // Built from this recipe and not published yet (or deleted by hand): this up publishes it from
  // the build's output before anything boots it. The activation gate still wants its evidence.
  if (kept && building.state === BuildState.Built) return building;
  if (kept)
    throw invalid(
      target.field,
      building.state,
      `belongs to the ${target.role} version ${target.version}, which Image Builder has not built: ${building.message}`,
      `Stage ${target.version} (stagedVersion) until its build succeeds and its tests pass, then promote it; until then keep activeVersion on a published version.`,
    );
  if (target.role === ImageRole.Retired || target.role === ImageRole.Withdrawn)
    return {
      state: BuildState.NotBuilt,
      declareTemplate: false,
      declareVersion: false,
      message: `Never built; a ${target.role} version is not built (template "${template}").`,
    };
  return building;
}

/** Where an unpublished version's build stands. */
function buildProgress(
  found: BuildObservation["template"],
  template: string,
  recipeSha256: string,
): BuildDecision {
  const start = (message: string): BuildDecision => ({
    state: BuildState.Starting,
    declareTemplate: true,
    declareVersion: false,
    message,
  });
  if (found === undefined)
    return start(`Image Builder template "${template}" is created by this up and starts building.`);
  // Not published yet: a changed recipe replaces the template and builds again (nothing used it).
  if (found.recipeSha256 !== undefined && found.recipeSha256 !== recipeSha256)
    return start(
      `The recipe changed before the version was published: this up replaces template "${template}" and builds again.`,
    );
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
      message: `Image Builder template "${template}" ${run === "canceled" ? "was cancelled" : "failed"}${why ? `: ${why}` : ""}. Nothing else changes: fix the recipe and the next up builds it again (or run the template again with \`az image builder run\`).`,
    };
  }
  return {
    state: BuildState.Running,
    declareTemplate: true,
    declareVersion: false,
    message: `Image Builder template "${template}" is building${found.runSubState ? ` (${found.runSubState})` : ""}.`,
  };
}
