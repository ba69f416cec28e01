/**
 * A stand-in for the Pulumi engine that speaks its real gRPC protocol, with the stubs and entry
 * points `@pulumi/pulumi` ships (../shared/reference/pulumi-engine-protocol.md; pulumi/pulumi
 * sdk/nodejs/cmd, pkg/resource/deploy/step_generator.go, pkg/resource/plugin/analyzer_plugin.go):
 *
 * - serves Engine and ResourceMonitor on 127.0.0.1; a program started with `cmd/run` (as the
 *   nodejs language host starts it) or a component provider's Construct registers through it;
 * - before each registration's step it calls the policy pack's Analyze with the resource's
 *   inputs; after the program ends, AnalyzeStack with every resource's outputs (a component's
 *   `registerOutputs`; a provider resource's declared outputs, unknown in a preview when computed);
 * - the "provider" answers as the offline check's does (providerAnswer, answerInvoke), so the two
 *   judge the same registrations.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import { EngineMode, providerOutputs } from "../../src/check/engineView";
import { answerInvoke, providerAnswer } from "../../src/check/offlineRun";

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's generated stubs are CommonJS */
const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const resrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const engineproto = require("@pulumi/pulumi/proto/engine_pb");
const enginerpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
const analyzerrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const emptyproto = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

type Props = Record<string, unknown>;

/** A resource as the engine keeps it. */
export interface EngineResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent?: string;
  readonly protect: boolean;
  readonly inputs: Props;
  outputs: Props;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
}

/** A policy diagnostic as the engine receives it. */
export interface Diagnostic {
  readonly policy: string;
  readonly enforcementLevel: string;
  readonly message: string;
  readonly urn?: string;
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

/** An analyzer client (the started pack), with the calls the engine makes. */
export class Pack {
  private constructor(
    private readonly client: any,
    readonly child: ChildProcess,
  ) {}

  /**
   * Starts a policy pack as the nodejs language host does: `node run-policy-pack <engine> .`
   * with the pack folder as working directory (`run-policy-pack` resolved from the pack).
   */
  static async start(packDir: string, engine: string, env: Record<string, string>): Promise<Pack> {
    const entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    const { child, port } = await startPlugin([entry, engine, "."], packDir, env);
    const client = new analyzerrpc.AnalyzerClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    return new Pack(client, child);
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) =>
      this.client[method](request, (err: Error | null, resp: T) =>
        err ? reject(err) : resolve(resp),
      ),
    );
  }

  /** GetAnalyzerInfo: each policy's name, level and config schema (properties, required). */
  async info(): Promise<
    Array<{ name: string; level: string; schema?: { properties: Props; required: string[] } }>
  > {
    await this.call("handshake", new analyzerproto.AnalyzerHandshakeRequest()).catch(
      (err: { code?: number }) => {
        if (err.code !== grpc.status.UNIMPLEMENTED) throw err;
      },
    );
    const resp: any = await this.call("getAnalyzerInfo", new emptyproto.Empty());
    return resp.getPoliciesList().map((p: any) => ({
      name: p.getName(),
      level: LEVELS[p.getEnforcementlevel()],
      schema: p.getConfigschema()
        ? {
            properties: p.getConfigschema().getProperties()?.toJavaScript() ?? {},
            required: p.getConfigschema().getRequiredList(),
          }
        : undefined,
    }));
  }

  /** Configure with the policy config the engine built (defaults applied, then validated). */
  async configure(config: Record<string, { enforcementLevel: string; properties: Props }>) {
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    for (const [name, c] of Object.entries(config)) {
      const pc = new analyzerproto.PolicyConfig();
      pc.setEnforcementlevel(LEVELS.indexOf(c.enforcementLevel));
      pc.setProperties(structproto.Struct.fromJavaScript(c.properties));
      req.getPolicyconfigMap().set(name, pc);
    }
    await this.call("configure", req);
  }

  /** Analyze: one resource's inputs, before its step. */
  async analyze(r: EngineResource): Promise<Diagnostic[]> {
    const req = described(new analyzerproto.AnalyzeRequest(), r, r.inputs);
    return diagnostics(await this.call("analyze", req));
  }

  /** AnalyzeStack: every resource's outputs, after every step. */
  async analyzeStack(resources: readonly EngineResource[]): Promise<Diagnostic[]> {
    const req = new analyzerproto.AnalyzeStackRequest();
    req.setResourcesList(
      resources.map((r) => {
        const a = described(new analyzerproto.AnalyzerResource(), r, r.outputs);
        a.setParent(r.parent ?? "");
        a.setDependenciesList(r.dependencies);
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
          const deps = new analyzerproto.AnalyzerPropertyDependencies();
          deps.setUrnsList(urns);
          a.getPropertydependenciesMap().set(key, deps);
        }
        return a;
      }),
    );
    return diagnostics(await this.call("analyzeStack", req));
  }

  stop(): void {
    this.client.close();
    this.child.kill("SIGKILL");
  }
}

/** `message` with the resource's URN, type, name, options and the given properties set. */
function described(message: any, r: EngineResource, props: Props): any {
  message.setUrn(r.urn);
  message.setType(r.type);
  message.setName(r.name);
  message.setProperties(structproto.Struct.fromJavaScript(props));
  message.setOptions(options(r));
  return message;
}

function options(r: EngineResource): unknown {
  const o = new analyzerproto.AnalyzerResourceOptions();
  o.setProtect(r.protect);
  o.setParent(r.parent ?? "");
  return o;
}

/**
 * The diagnostics of a response. The policy SDK sends `description + "\n" + message`; the
 * message alone is what `check` prints (the policies' own messages have no line breaks).
 */
function diagnostics(resp: any): Diagnostic[] {
  return resp.getDiagnosticsList().map((d: any) => ({
    policy: d.getPolicyname(),
    enforcementLevel: LEVELS[d.getEnforcementlevel()],
    message: String(d.getMessage()).split("\n").slice(1).join("\n") || d.getMessage(),
    ...(d.getUrn() ? { urn: d.getUrn() } : {}),
  }));
}

/** Starts a plugin process and reads the port from its first stdout line. */
export function startPlugin(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      const port = Number(line.trim());
      if (Number.isInteger(port) && port > 0) resolve({ child, port });
      else reject(new Error(`plugin printed ${line} instead of a port: ${stderr}`));
    });
    child.once("exit", (code) =>
      reject(new Error(`plugin exited with ${code} before printing a port: ${stderr}`)),
    );
  });
}

/** What a deployment through the engine produced. */
export interface Deployment {
  readonly resources: EngineResource[];
  /** Diagnostics of Analyze (before each step) and AnalyzeStack (after all). */
  readonly analyze: Diagnostic[];
  readonly analyzeStack: Diagnostic[];
  /** What the program logged (errors included), and its exit code. */
  readonly logs: Array<{ severity: number; message: string }>;
  readonly exitCode: number | null;
  readonly stderr: string;
}

/** The Engine and ResourceMonitor services of one deployment. */
export class Engine {
  readonly resources: EngineResource[] = [];
  readonly analyze: Diagnostic[] = [];
  readonly logs: Array<{ severity: number; message: string }> = [];
  private readonly server = new grpc.Server();
  private readonly pending: Array<Promise<unknown>> = [];
  address = "";

  constructor(
    private readonly project: string,
    private readonly stack: string,
    readonly mode: EngineMode,
    private readonly stackOutputs: Record<string, Props> = {},
  ) {}

  /** The policy pack each registration is analyzed by (set once it started). */
  pack?: Pack;

  async start(): Promise<string> {
    this.server.addService(enginerpc.EngineService, this.engineService());
    this.server.addService(resrpc.ResourceMonitorService, this.monitorService());
    const port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    this.address = `127.0.0.1:${port}`;
    return this.address;
  }

  stop(): void {
    this.server.forceShutdown();
  }

  /** Waits for every Analyze call made so far. */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  private engineService() {
    let root = "";
    const ok = (_call: unknown, cb: (e: null, r: unknown) => void) =>
      cb(null, new emptyproto.Empty());
    return {
      log: (call: any, cb: any) => {
        this.logs.push({
          severity: call.request.getSeverity(),
          message: call.request.getMessage(),
        });
        cb(null, new emptyproto.Empty());
      },
      getRootResource: (_call: any, cb: any) => {
        const resp = new engineproto.GetRootResourceResponse();
        resp.setUrn(root);
        cb(null, resp);
      },
      setRootResource: (call: any, cb: any) => {
        root = call.request.getUrn();
        cb(null, new engineproto.SetRootResourceResponse());
      },
      startDebugging: ok,
      requirePulumiVersion: ok,
    };
  }

  private urnOf(type: string, name: string, parent: string): string {
    const parentRes = this.resources.find((r) => r.urn === parent);
    const qualified =
      parentRes && parentRes.type !== "pulumi:pulumi:Stack"
        ? `${parent.split("::")[2]}$${type}`
        : type;
    return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
  }

  private monitorService() {
    const unimplemented = (_call: unknown, cb: (e: any) => void) =>
      cb({ code: grpc.status.UNIMPLEMENTED, details: "not in this engine" });
    return {
      supportsFeature: (call: any, cb: any) => {
        const resp = new resproto.SupportsFeatureResponse();
        resp.setHassupport(call.request.getId() === "secrets");
        cb(null, resp);
      },
      getDeploymentInfo: (_call: any, cb: any) => {
        const resp = new resproto.DeploymentInfo();
        resp.setSupportedfeaturesList([
          resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS,
        ]);
        cb(null, resp);
      },
      registerResource: (call: any, cb: any) => this.register(call.request, cb),
      registerResourceOutputs: (call: any, cb: any) => {
        const found = this.resources.find((r) => r.urn === call.request.getUrn());
        if (found) found.outputs = call.request.getOutputs()?.toJavaScript() ?? {};
        cb(null, new emptyproto.Empty());
      },
      invoke: (call: any, cb: any) => {
        const args = call.request.getArgs()?.toJavaScript() ?? {};
        try {
          const result = answerInvoke({}, call.request.getTok(), args, []);
          const resp = new resproto.ResourceInvokeResponse();
          resp.setReturn(structproto.Struct.fromJavaScript(result));
          cb(null, resp);
        } catch (err) {
          cb({ code: grpc.status.UNKNOWN, details: (err as Error).message });
        }
      },
      readResource: (call: any, cb: any) => {
        const req = call.request;
        const type = req.getType();
        const urn = this.urnOf(type, req.getName(), req.getParent());
        const name = String(req.getProperties()?.toJavaScript().name ?? "");
        const state =
          type === "pulumi:pulumi:StackReference"
            ? { name, outputs: this.stackOutputs[name] ?? {}, secretOutputNames: [] }
            : {};
        const resp = new resproto.ReadResourceResponse();
        resp.setUrn(urn);
        resp.setProperties(structproto.Struct.fromJavaScript(state));
        cb(null, resp);
      },
      registerPackage: (_call: any, cb: any) => {
        const resp = new resproto.RegisterPackageResponse();
        resp.setRef("engine-conformance");
        cb(null, resp);
      },
      registerStackTransform: unimplemented,
      registerStackInvokeTransform: unimplemented,
      registerResourceHook: unimplemented,
      registerErrorHook: unimplemented,
      call: unimplemented,
      existsResource: unimplemented,
      signalAndWaitForShutdown: (_call: any, cb: any) => cb(null, new emptyproto.Empty()),
    };
  }

  private register(req: any, cb: any): void {
    const type: string = req.getType();
    const name: string = req.getName();
    const custom: boolean = req.getCustom();
    const urn = this.urnOf(type, name, req.getParent());
    const inputs: Props = req.getObject()?.toJavaScript() ?? {};
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((v: any, k: string) => {
      propertyDependencies[k] = v.getUrnsList();
    });
    const resource: EngineResource = {
      urn,
      type,
      name,
      custom,
      parent: req.getParent() || undefined,
      protect: req.getProtect?.() === true,
      inputs,
      outputs: {},
      dependencies: req.getDependenciesList(),
      propertyDependencies,
    };
    this.resources.push(resource);
    // Analyze runs before the step (a mandatory diagnostic here stops the step in `pulumi up`).
    // The engine attributes a resource diagnostic without a URN to the resource analyzed.
    const analyzed = this.pack
      ? this.pack.analyze(resource).then((d) => this.analyze.push(...d.map((x) => ({ urn, ...x }))))
      : Promise.resolve();
    this.pending.push(analyzed);
    void analyzed.then(
      () => {
        const resp = new resproto.RegisterResourceResponse();
        resp.setUrn(urn);
        if (!custom) {
          resp.setObject(structproto.Struct.fromJavaScript({}));
          return cb(null, resp);
        }
        const answer = providerAnswer(type, name, inputs);
        if (this.mode === "preview") {
          // A create in a preview: the provider computes nothing yet (the SDK marks what is
          // missing unknown); the engine records the inputs it knows as outputs.
          resource.outputs = providerOutputs(type, inputs, {}, "preview");
          resp.setId("");
          resp.setObject(structproto.Struct.fromJavaScript(inputs));
        } else {
          resource.outputs = providerOutputs(type, inputs, answer.state, "update");
          resp.setId(answer.id);
          resp.setObject(structproto.Struct.fromJavaScript(answer.state));
        }
        cb(null, resp);
      },
      (err: Error) => cb({ code: grpc.status.INTERNAL, details: err.message }),
    );
  }
}

/** The config the engine hands Configure: defaults from each schema, then the file's settings. */
export function engineConfig(
  info: Awaited<ReturnType<Pack["info"]>>,
  file: Record<string, Record<string, unknown>> = {},
): Record<string, { enforcementLevel: string; properties: Props }> {
  const result: Record<string, { enforcementLevel: string; properties: Props }> = {};
  for (const policy of info) {
    const defaults = Object.fromEntries(
      Object.entries(policy.schema?.properties ?? {}).flatMap(([k, v]) =>
        (v as Props).default === undefined ? [] : [[k, (v as Props).default]],
      ),
    );
    const { enforcementLevel, ...given } = file[policy.name] ?? {};
    result[policy.name] = {
      enforcementLevel: typeof enforcementLevel === "string" ? enforcementLevel : policy.level,
      properties: { ...defaults, ...given },
    };
  }
  return result;
}

/** A program to run as `pulumi up` runs it. */
export interface ProgramRun {
  /** The project directory (where Pulumi.yaml is). */
  readonly root: string;
  /** `main` of Pulumi.yaml, relative to the root ("" for the package's main). */
  readonly main: string;
  readonly project: string;
  readonly stack: string;
  /** Config as `pulumi config` holds it: `"<ns>:<key>"` → string value. */
  readonly config: Record<string, string>;
  readonly mode: EngineMode;
  readonly stackOutputs?: Record<string, Props>;
}

/**
 * Runs a program through the engine: the pack started and configured first (if any), the program
 * started as the nodejs language host does (`cmd/run --pwd <dirname(main)> <basename(main)>`),
 * Analyze per registration, AnalyzeStack at the end.
 */
export async function deploy(
  run: ProgramRun,
  pack?: string | SharedPack,
  policyConfig?: Record<string, Record<string, unknown>>,
): Promise<Deployment> {
  const env = {
    PULUMI_NODEJS_PROJECT: run.project,
    PULUMI_NODEJS_STACK: run.stack,
    PULUMI_NODEJS_ORGANIZATION: "organization",
    PULUMI_NODEJS_DRY_RUN: String(run.mode === "preview"),
    PULUMI_CONFIG: JSON.stringify({}),
  };
  const engine = new Engine(run.project, run.stack, run.mode, run.stackOutputs);
  const address = await engine.start();
  const own = typeof pack === "string";
  try {
    if (pack !== undefined) {
      engine.pack = own ? await Pack.start(pack, address, env) : pack.pack;
      await engine.pack.configure(engineConfig(await engine.pack.info(), policyConfig));
    }
    const { exitCode, stderr } = await runProgram(run, address);
    await engine.settled();
    const analyzeStack = engine.pack ? await engine.pack.analyzeStack(engine.resources) : [];
    return {
      resources: engine.resources,
      analyze: engine.analyze,
      analyzeStack,
      logs: engine.logs,
      exitCode,
      stderr,
    };
  } finally {
    if (own) engine.pack?.stop();
    engine.stop();
  }
}

/**
 * A pack started once for several deployments of a suite (each pack process costs a second and a
 * half to start). Its calls are the same; the engine would start one per deployment.
 */
export interface SharedPack {
  readonly pack: Pack;
  stop(): void;
}

export async function sharedPack(packDir: string): Promise<SharedPack> {
  const logs = new Engine("shared", "shared", "update");
  const pack = await Pack.start(packDir, await logs.start(), {});
  return {
    pack,
    stop: () => {
      pack.stop();
      logs.stop();
    },
  };
}

function runProgram(
  run: ProgramRun,
  monitor: string,
): Promise<{ exitCode: number | null; stderr: string }> {
  const entry = require.resolve("@pulumi/pulumi/cmd/run", { paths: [run.root] });
  const main = path.resolve(run.root, run.main || ".");
  const pwd = run.main ? path.dirname(main) : run.root;
  const program = run.main ? path.basename(main) : ".";
  const args = [
    entry,
    `--monitor=${monitor}`,
    `--engine=${monitor}`,
    `--organization=organization`,
    `--project=${run.project}`,
    `--root-directory=${run.root}`,
    `--stack=${run.stack}`,
    `--pwd=${pwd}`,
    ...(run.mode === "preview" ? ["--dry-run"] : []),
    `--parallel=8`,
    program,
  ];
  const config = Object.fromEntries(
    Object.entries(run.config).map(([k, v]) => {
      const [ns, ...rest] = k.split(":");
      return [`${ns}:config:${rest.join(":")}`, v];
    }),
  );
  const child = spawn(process.execPath, args, {
    cwd: pwd,
    env: {
      ...process.env,
      PULUMI_CONFIG: JSON.stringify(config),
      PULUMI_CONFIG_SECRET_KEYS: "[]",
      // What the language host sets for `runtime.options.typescript: true` in Pulumi.yaml.
      PULUMI_NODEJS_TYPESCRIPT: "true",
      // `tsc --noEmit` type-checks in npm test; the engine honours this variable (cmd/run).
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stdout!.on("data", () => undefined);
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (exitCode) => resolve({ exitCode, stderr })));
}
