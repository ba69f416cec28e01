/**
 * Runs a Pulumi TypeScript program under the SDK's mock runtime, as `pulumi preview` would run it
 * (TypeScript compiled on the fly with ts-node, config from the stack file, inside a root Stack
 * resource), with ARM-shaped ids and StackReferences answered from a file. Records every
 * registration as the engine would see it. Meant to run in a fresh process (see `evaluate.ts`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { MOCK_SUBSCRIPTION_ID, mockArmId, mockOutputs } from "../mocks/armIds";
import { galleryArmId } from "../domain/common/armId";
import type { RegisteredResource } from "./policyRun";
import type { LiveFleet } from "./liveFleet";
import { registerTranspiler } from "./typescript";
import { NOW_VARIABLE } from "../domain/common/time";
import { MonitorCapture, captureMonitor } from "./monitorCapture";
import { SimulatedArm } from "../mocks/simulatedArm";
import { ARM_TRANSPORT } from "../consumers/armReader";
import { runYamlProgram, yamlProgramFile } from "./yamlProgram";

/** The tenant (and principal) of the offline check's client config. */
const MOCK_TENANT_ID = "11111111-1111-1111-1111-111111111111";

/** What to run. */
export interface OfflineRunRequest {
  readonly dir: string;
  readonly project: string;
  readonly stack: string;
  /** Pulumi.yaml's runtime: `nodejs` (TypeScript/JavaScript) or `yaml`. */
  readonly runtime: string;
  /** The program's entry relative to `dir` ("" for the package's main, or index.ts). */
  readonly main: string;
  readonly config: Record<string, string>;
  /** Config keys holding secrets (given a placeholder offline), marked secret for the program. */
  readonly secretKeys?: string[];
  /** Stack name → its outputs, for `pulumi.StackReference`. */
  readonly stackOutputs: Record<string, Record<string, unknown>>;
  /** The live Azure the program's reads see (`check --against`: what the base deployed). */
  readonly live?: LiveFleet;
  /**
   * The check's clock (RFC 3339), the program's GLOBAL_IMAGE_NOW: the rings it computes are the
   * ones `global-image rings` prints at the same time.
   */
  readonly now?: string;
}

/** What the program registered and exported. */
export interface OfflineRunResult {
  readonly resources: RegisteredResource[];
  readonly outputs: Record<string, unknown>;
  readonly warnings: string[];
}

type Pulumi = typeof import("@pulumi/pulumi");

export async function runOffline(request: OfflineRunRequest): Promise<OfflineRunResult> {
  process.chdir(request.dir);
  if (request.now !== undefined) process.env[NOW_VARIABLE] = request.now;
  const yaml = request.runtime === "yaml";
  if (!yaml) registerTypeScript(request.dir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the program's own modules at run time
  const pulumi = require(programSdk(request)) as Pulumi;
  return runRecorded(pulumi, request, () => {
    if (yaml) {
      const { dir, project, stack, config } = request;
      return runYamlProgram(yamlProgramFile(dir, request.main), {
        pulumi,
        dir,
        project,
        stack,
        config,
      });
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the program's own modules at run time
    return require(programEntry(request));
  });
}

/**
 * The @pulumi/pulumi the mocks must be set on: a Node program's own; for a YAML program, ours
 * (it has no node_modules; its resources are registered through our SDKs).
 */
export function programSdk(request: Pick<OfflineRunRequest, "runtime" | "dir">): string {
  return require.resolve("@pulumi/pulumi", {
    paths: [request.runtime === "yaml" ? __dirname : request.dir],
  });
}

/**
 * Runs `program` inside a root Stack resource under mocks that record every registration (with
 * its parent and `protect`, which the mocks do not see) and answer StackReferences and the
 * invokes the package makes. `pulumi` is the SDK instance the program registers through. Ends by
 * disconnecting that SDK from the mocks once every RPC is done: one run per process.
 */
export async function runRecorded(
  pulumi: Pulumi,
  request: Omit<OfflineRunRequest, "dir" | "runtime" | "main">,
  program: () => unknown,
): Promise<OfflineRunResult> {
  const warnings: string[] = [];
  const duplicates: string[] = [];
  const seen = new Map<string, Seen>();
  const resources: RegisteredResource[] = [];
  pulumi.runtime.setMocks(
    mocks(request, resources, seen, warnings, duplicates),
    request.project,
    request.stack,
    false,
  );
  pulumi.runtime.setAllConfig(request.config, request.secretKeys);
  // What the engine keeps and the mocks' callback does not see: outputs and dependencies.
  const capture = captureMonitor(pulumi);
  // A rollout step lists the live fleet over ARM: offline, from the fleet the check models.
  (globalThis as Record<symbol, unknown>)[ARM_TRANSPORT] = new SimulatedArm(() => request.live);
  const outputs = await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const parent = args.opts.parent as unknown as
        { __pulumiType?: string; __name?: string } | undefined;
      seen.set(`${args.type}::${args.name}`, {
        parentType: parent?.__pulumiType,
        parentName: parent?.__name,
        protect: args.opts.protect,
        replaceOnChanges: args.opts.replaceOnChanges,
      });
      return undefined;
    });
    return program();
  });
  // The stack's outputs can resolve while registrations nothing awaits are still in flight; as
  // the Pulumi language host does before it exits, wait for every RPC to reach the mocks.
  await pulumi.runtime.disconnect();
  attachCaptured(resources, capture);
  if (duplicates.length > 0) {
    // The engine's rule: one URN (type, name and parent types) per resource.
    const [type, name] = duplicates[0].split("::").slice(-2);
    throw new Error(
      `Duplicate resource URN '${duplicates[0]}': two resources of type ${type} are named "${name}"; give each a unique name (pulumi up refuses the whole update)`,
    );
  }
  return { resources, outputs: (outputs ?? {}) as Record<string, unknown>, warnings };
}

/** Adds each component's registered outputs and every resource's dependencies, as engine URNs. */
export function attachCaptured(resources: RegisteredResource[], capture: MonitorCapture): void {
  const urnOf = new Map(resources.map((r) => [`${r.type}::${r.name}`, r.urn]));
  const urns = (keys: readonly string[]) => keys.flatMap((k) => urnOf.get(k) ?? []);
  resources.forEach((r, i) => {
    const key = `${r.type}::${r.name}`;
    const deps = capture.dependencies.get(key);
    resources[i] = {
      ...r,
      ...(r.custom === false ? { outputs: capture.outputs.get(key) ?? {} } : {}),
      ...(deps && {
        dependencies: urns(deps.dependencies),
        propertyDependencies: Object.fromEntries(
          Object.entries(deps.propertyDependencies).map(([k, v]) => [k, urns(v)]),
        ),
      }),
    };
  });
}

/** What the stack transformation saw of a resource's options (the mocks do not see them). */
interface Seen {
  parentType?: string;
  parentName?: string;
  protect?: boolean;
  replaceOnChanges?: string[];
}

function mocks(
  request: Pick<OfflineRunRequest, "project" | "stack" | "stackOutputs" | "live">,
  resources: RegisteredResource[],
  seen: Map<string, Seen>,
  warnings: string[],
  duplicates: string[],
) {
  const urns = new Set<string>();
  const byName = new Map<string, RegisteredResource>(); // parents by type::name, for URNs
  return {
    newResource(args: {
      type: string;
      name: string;
      inputs: Record<string, unknown>;
      custom?: boolean;
    }) {
      if (args.type === "pulumi:pulumi:StackReference") {
        const stack = String(args.inputs.name);
        if (!(stack in request.stackOutputs))
          warnings.push(`StackReference ${stack}: not in --stack-outputs; it reads as empty`);
        return {
          id: stack,
          state: { name: stack, outputs: request.stackOutputs[stack] ?? {}, secretOutputNames: [] },
        };
      }
      const info = seen.get(`${args.type}::${args.name}`);
      const parent = info?.parentType
        ? byName.get(`${info.parentType}::${info.parentName}`)
        : undefined;
      const parentTypes = parent ? `${parent.urn.split("::")[2]}$` : "";
      const urn = `urn:pulumi:${request.stack}::${request.project}::${parentTypes}${args.type}::${args.name}`;
      // The mocks would accept it; the engine refuses the whole update (runRecorded fails).
      if (urns.has(urn)) duplicates.push(urn);
      urns.add(urn);
      const registered: RegisteredResource = {
        type: args.type,
        name: args.name,
        urn,
        inputs: args.inputs,
        protect: info?.protect === true,
        parentUrn: parent?.urn,
        custom: args.custom !== false,
        ...(info?.replaceOnChanges?.length ? { replaceOnChanges: info.replaceOnChanges } : {}),
      };
      resources.push(registered);
      byName.set(`${args.type}::${args.name}`, registered);
      if (args.custom === false) return { id: `${args.name}`, state: args.inputs };
      const { id, state } = providerAnswer(args.type, args.name, args.inputs);
      // What the provider answered: the engine keeps its declared outputs (engineView.ts).
      Object.assign(registered, { outputs: state });
      return { id, state };
    },
    call(args: { token: string; inputs: Record<string, unknown> }) {
      return answerInvoke(request, args.token, args.inputs, warnings);
    },
  };
}

/** What the offline check's provider answers for a created resource: an ARM-shaped id and state. */
export function providerAnswer(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): { id: string; state: Record<string, unknown> } {
  const id = mockArmId(type, name, inputs);
  const extra =
    type === "random:index/randomPassword:RandomPassword"
      ? { result: "offline-check-password" }
      : {};
  return {
    id,
    state: { ...inputs, name: id.split("/").pop(), ...extra, ...mockOutputs(type, id) },
  };
}

/**
 * How the offline check answers the invokes a program makes (what the mocks, and the engine
 * conformance suite's engine, answer): a gallery read, tokens, and the live resources a rollout
 * observes (a 404 for what `live` lacks, as Azure would).
 */
export function answerInvoke(
  request: Pick<OfflineRunRequest, "live">,
  token: string,
  inputs: Record<string, unknown>,
  warnings: string[],
): Record<string, unknown> {
  switch (token) {
    case "azure-native:compute:getGallery":
      return {
        id: galleryArmId(
          MOCK_SUBSCRIPTION_ID,
          String(inputs.resourceGroupName),
          String(inputs.galleryName),
        ),
        name: inputs.galleryName,
      };
    case "azure-native:desktopvirtualization:getHostPoolRegistrationToken":
      return {
        token: "offline-check-registration-token",
        registrationTokenOperation: "Update",
      };
    case "azure-native:authorization:getClientToken":
      return { token: "offline-check-arm-token" };
    case "azure-native:authorization:getClientConfig":
      return {
        subscriptionId: MOCK_SUBSCRIPTION_ID,
        tenantId: MOCK_TENANT_ID,
        clientId: MOCK_TENANT_ID,
        objectId: MOCK_TENANT_ID,
      };
    // The live fleet a session host rollout observes (it lists the fleet through the simulated
    // ARM runRecorded installs; these reads remain for programs that read one host): the base's
    // (check --against), else none, so the check shows a first deployment's step.
    case "azure-native:compute:getVirtualMachine":
      return live(request.live?.vms, inputs.vmName, token);
    case "azure-native:desktopvirtualization:getSessionHost":
      return live(
        request.live?.sessionHosts,
        `${inputs.hostPoolName}/${inputs.sessionHostName}`,
        token,
      );
    case "azure-native:desktopvirtualization:getHostPool":
      return live(request.live?.hostPools, inputs.hostPoolName, token);
    // A build cannot run offline: the check shows each version as its build will make it
    // (built, so declared from the build's output; docs/building-images.md says so). A recipe changed
    // against the base then shows as the replacement of that version, which
    // check --against refuses.
    case "azure-native:virtualmachineimages:getVirtualMachineImageTemplate":
      return { lastRunStatus: { runState: "Succeeded" }, tags: {} };
    case "azure-native:compute:getGalleryImageVersion":
      return live(
        undefined,
        `${String(inputs.galleryImageName)}/${String(inputs.galleryImageVersionName)}`,
        token,
      );
    default:
      warnings.push(`invoke ${token}: the offline check cannot answer it; it returns nothing`);
      return {};
  }
}

/**
 * Makes TypeScript programs run, unless the worker itself already runs from source (this
 * package's tests preload scripts/registerTypeScript.cjs; or ts-node), whose hook then compiles the
 * program as well. Types are stripped here; the type-check runs on its own (typescript.ts).
 */
function registerTypeScript(dir: string): void {
  const marks = process as unknown as Record<symbol, unknown>;
  if (marks[Symbol.for("ts-node.register.instance")] || marks[Symbol.for(SOURCE_HOOK)]) return;
  const tsconfig = path.join(dir, "tsconfig.json");
  registerTranspiler(fs.existsSync(tsconfig) ? fs.readFileSync(tsconfig, "utf8") : undefined);
}

/** The mark scripts/registerTypeScript.cjs leaves on `process`. */
const SOURCE_HOOK = "global-image.registerTypeScript";

/** The program's entry file. */
export function programEntry(request: OfflineRunRequest): string {
  if (request.main) return path.resolve(request.dir, request.main);
  const pkg = path.join(request.dir, "package.json");
  const main = fs.existsSync(pkg)
    ? (JSON.parse(fs.readFileSync(pkg, "utf8")) as { main?: string }).main
    : undefined;
  return path.resolve(request.dir, main ?? "index.ts");
}

/** The live resource named `key`, or a 404 as the engine hands it to the program. */
function live(
  resources: Record<string, Record<string, unknown>> | undefined,
  key: unknown,
  token: string,
): Record<string, unknown> {
  const found = resources?.[String(key)];
  if (found) return found;
  // gRPC's message reaches the program as the error's `details`.
  const message = `ResourceNotFound (404): ${String(key)} is not in the Azure the offline check sees (${token})`;
  throw Object.assign(new Error(message), { details: message });
}
