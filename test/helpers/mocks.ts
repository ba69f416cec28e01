/**
 * The Pulumi mock runtime for tests: ARM-shaped ids, a recorder of every registration (type, name,
 * inputs and the resource options the mocks do not see), and `promiseOf` with a timeout.
 */
import * as pulumi from "@pulumi/pulumi";
import { galleryArmId } from "../../src/domain/common/armId";
import {
  MOCK_SUBSCRIPTION_ID as SUBSCRIPTION_ID,
  mockArmId,
  mockOutputs,
} from "../../src/mocks/armIds";
import type { RegisteredResource } from "../../src/check/policyRun";
import * as path from "node:path";
import { submit } from "./contractRun";
import { MonitorCapture, captureMonitor } from "../../src/check/monitorCapture";
import { attachCaptured } from "../../src/check/offlineRun";
import { SimulatedArm } from "../../src/mocks/simulatedArm";
import { ARM_TRANSPORT } from "../../src/consumers/armReader";

/** One registered resource as the engine would see it, plus its options. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, any>;
  readonly id: string;
  readonly opts: pulumi.CustomResourceOptions;
  /** The URN the engine would give it (parent types chained, as the engine does). */
  readonly urn: string;
  readonly parentUrn?: string;
  /** The provider reference the engine was given (`<provider urn>::<id>`), when not the default. */
  readonly provider?: string;
}

/** What a transformation saw of a resource: its options and its parent. */
interface Seen {
  readonly opts: pulumi.CustomResourceOptions;
  readonly parent?: { type: string; name: string };
}

/** The live Azure state the mocks' get invokes answer from. */
export interface LiveAzure {
  vms: Record<string, Record<string, any>>;
  sessionHosts: Record<string, Record<string, any>>;
  hostPools: Record<string, Record<string, any>>;
  /** Image Builder templates by name (`lastRunStatus`, `tags`). */
  imageTemplates: Record<string, Record<string, any>>;
  /** Gallery image versions by `<image>/<version>` (`tags`). */
  galleryVersions: Record<string, Record<string, any>>;
}

/** Records registrations; `reset()` between tests. */
export class Recorder {
  readonly registrations: Registration[] = [];
  /** What a `pulumi.StackReference` to each stack name reads. */
  readonly stackOutputs: Record<string, Record<string, unknown>> = {};
  /**
   * What Azure's reads answer (azure-native's get invokes): VMs by name, session hosts by
   * `<pool>/<host>`, host pools by name. Anything absent is a 404.
   */
  readonly live: LiveAzure = {
    vms: {},
    sessionHosts: {},
    hostPools: {},
    imageTemplates: {},
    galleryVersions: {},
  };
  /**
   * The ARM a rollout step lists the fleet from (installed by installMocks): answers from
   * `live`, counts requests, takes injected faults.
   */
  readonly arm = new SimulatedArm(() => this.live);
  /** The token of every invoke the program made, in order (cleared by `reset`). */
  readonly invokes: string[] = [];
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly project = "project",
    private readonly stack = "dev",
  ) {}

  /** Resource options to pass to a component so its children's options are recorded too. */
  readonly opts: pulumi.ComponentResourceOptions = {
    transformations: [
      (args) => {
        const parent = args.opts.parent as unknown as
          { __pulumiType: string; __name: string } | undefined;
        this.seen.set(`${args.type}::${args.name}`, {
          opts: args.opts,
          parent: parent ? { type: parent.__pulumiType, name: parent.__name } : undefined,
        });
        return undefined;
      },
    ],
  };

  /** Outputs and dependencies the mock monitor saw (set by installMocks). */
  capture?: MonitorCapture;
  /** What the mocks answered for each provider resource, by `type::name`. */
  readonly states = new Map<string, Record<string, unknown>>();

  reset(): void {
    this.registrations.length = 0;
    this.invokes.length = 0;
    this.seen.clear();
    this.states.clear();
    this.capture?.outputs.clear();
    this.capture?.dependencies.clear();
  }

  add(args: pulumi.runtime.MockResourceArgs, id: string): void {
    const seen = this.seen.get(`${args.type}::${args.name}`);
    const parent = seen?.parent
      ? this.registrations.find((r) => r.type === seen.parent!.type && r.name === seen.parent!.name)
      : undefined;
    const parentTypes = parent ? `${parent.urn.split("::")[2]}$` : "";
    this.registrations.push({
      type: args.type,
      name: args.name,
      custom: args.custom ?? true,
      inputs: args.inputs,
      id,
      opts: seen?.opts ?? {},
      urn: `urn:pulumi:${this.stack}::${this.project}::${parentTypes}${args.type}::${args.name}`,
      parentUrn: parent?.urn,
      provider: args.provider,
    });
  }

  /**
   * The registrations as the engine keeps them: inputs, the provider's answer or a component's
   * registered outputs (engineView turns them into what each policy call gets), dependencies.
   */
  engineResources(): RegisteredResource[] {
    const resources: RegisteredResource[] = this.registrations.map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      inputs: r.inputs,
      protect: r.opts.protect === true,
      parentUrn: r.parentUrn,
      custom: r.custom,
      ...(r.custom ? { outputs: this.states.get(`${r.type}::${r.name}`) ?? r.inputs } : {}),
    }));
    if (this.capture) attachCaptured(resources, this.capture);
    return resources;
  }

  /** Every registration of a type, in registration order. */
  registered(type: string): Registration[] {
    return this.registrations.filter((r) => r.type === type);
  }

  /** The one registration of a type and name, or an error listing what was registered. */
  get(type: string, name: string): Registration {
    const found = this.registrations.find((r) => r.type === type && r.name === name);
    if (!found) {
      const names = this.registered(type).map((r) => r.name);
      throw new Error(`no ${type} named ${name}; registered: ${names.join(", ") || "none"}`);
    }
    return found;
  }

  /** Registrations of azure-native (or any non-component) resources. */
  customResources(): Registration[] {
    return this.registrations.filter((r) => r.custom);
  }
}

/**
 * Installs the mocks (call at the top of a test file, before any resource is created). `project`
 * is the Pulumi project name a program's `new pulumi.Config()` reads its keys under.
 */
export function installMocks(
  project = "project",
  stack = "dev",
  preview = false,
  { contract = !preview }: { contract?: boolean } = {},
): Recorder {
  const recorder = new Recorder(project, stack);
  // Every body any test of the suite registers must be one ARM accepts (a preview's unknowns
  // cannot be judged; suites that build deliberately odd consumers opt out).
  if (contract) checkContractAfterAll(recorder);
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (args.type === "pulumi:pulumi:StackReference") {
          const stack = args.inputs.name as string;
          return {
            id: stack,
            state: {
              name: stack,
              outputs: recorder.stackOutputs[stack] ?? {},
              secretOutputNames: [],
            },
          };
        }
        const id = args.custom === false ? "" : mockArmId(args.type, args.name, args.inputs);
        recorder.add(args, id);
        const answer = (state: Record<string, unknown>) => {
          recorder.states.set(`${args.type}::${args.name}`, state);
          return state;
        };
        // During a preview, ids of resources not created yet are unknown.
        if (preview && id) return { id: undefined as unknown as string, state: args.inputs };
        if (args.type === "random:index/randomPassword:RandomPassword") {
          return { id: "none", state: answer({ ...args.inputs, result: "Mock-Passw0rd!" }) };
        }
        if (!id) return { id: `${args.name}_id`, state: args.inputs };
        return {
          id,
          state: answer({
            ...args.inputs,
            name: id.split("/").pop(),
            ...mockOutputs(args.type, id),
          }),
        };
      },
      call(args) {
        recorder.invokes.push(args.token);
        if (args.token === "azure-native:compute:getGallery") {
          const id = galleryArmId(
            SUBSCRIPTION_ID,
            args.inputs.resourceGroupName,
            args.inputs.galleryName,
          );
          return { id, name: args.inputs.galleryName, location: "westeurope" };
        }
        const live = recorder.live;
        const found = <T>(value: T | undefined, what: string): T => {
          // The engine hands an invoke's failure to the program as `details` (gRPC's message).
          const message = `ResourceNotFound (404): ${what} was not found`;
          if (value === undefined) throw Object.assign(new Error(message), { details: message });
          return value;
        };
        switch (args.token) {
          case "azure-native:authorization:getClientToken":
            return { token: "mock-arm-token" };
          case "azure-native:authorization:getClientConfig":
            return CLIENT_CONFIG;
          case "azure-native:compute:getVirtualMachine":
            return found(live.vms[args.inputs.vmName], `VM ${args.inputs.vmName}`);
          case "azure-native:desktopvirtualization:getSessionHost": {
            const key = `${args.inputs.hostPoolName}/${args.inputs.sessionHostName}`;
            return found(live.sessionHosts[key], `session host ${key}`);
          }
          case "azure-native:virtualmachineimages:getVirtualMachineImageTemplate":
            return found(
              live.imageTemplates[args.inputs.imageTemplateName],
              `template ${args.inputs.imageTemplateName}`,
            );
          case "azure-native:compute:getGalleryImageVersion": {
            const key = `${args.inputs.galleryImageName}/${args.inputs.galleryImageVersionName}`;
            return found(live.galleryVersions[key], `version ${key}`);
          }
          case "azure-native:desktopvirtualization:getHostPool":
            return found(
              live.hostPools[args.inputs.hostPoolName],
              `pool ${args.inputs.hostPoolName}`,
            );
        }
        if (args.token === "azure-native:desktopvirtualization:getHostPoolRegistrationToken") {
          return {
            token: `mock-token-for-${args.inputs.hostPoolName}`,
            registrationTokenOperation: "Update",
          };
        }
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    project,
    stack,
    preview,
  );
  recorder.capture = captureMonitor(pulumi);
  (globalThis as Record<symbol, unknown>)[ARM_TRANSPORT] = recorder.arm;
  return recorder;
}

/** What azure-native's getClientConfig answers under the mocks. */
const CLIENT_CONFIG = {
  subscriptionId: SUBSCRIPTION_ID,
  tenantId: "11111111-1111-1111-1111-111111111111",
  clientId: "22222222-2222-2222-2222-222222222222",
  objectId: "33333333-3333-3333-3333-333333333333",
};

/**
 * The value of an Output; a rejection when it fails (the error a `pulumi up` would report), or
 * after `ms` (unknown values never resolve).
 */
export function promiseOf<T>(output: pulumi.Output<T>, ms = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`output did not resolve within ${ms} ms`)), ms);
    const promise = (o: pulumi.Output<T>) => {
      // An Output's own promises of its state reject with its value; handled, as `pulumi up`'s
      // language host handles them (it reports the failure and ends the program).
      const inner = o as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean> };
      inner.isKnown.catch(() => undefined);
      inner.isSecret.catch(() => undefined);
      return (o as unknown as { promise(): Promise<T> }).promise();
    };
    const derived = output.apply((value) => {
      clearTimeout(timer);
      resolve(value);
      return value;
    });
    // The SDK's own promise of the value rejects when the Output failed (and so does the
    // derived one, handled here).
    promise(derived).catch(() => undefined);
    promise(output).catch((err: unknown) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Lets pending registrations reach the mocks. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** How the engine marks a secret value in serialized inputs (what a policy pack sees too). */
const SECRET_SIG = {
  key: "4dabf18193072939515e22adb298388d",
  value: "1b47061264138c4ac30d75fd1eb44270",
};

/** The value inside a serialized secret, or an error when `value` was not sent as a secret. */
export function secretValue(value: unknown): unknown {
  const wrapper = value as Record<string, unknown> | undefined;
  if (wrapper?.[SECRET_SIG.key] !== SECRET_SIG.value) {
    throw new Error(`expected a secret, got ${JSON.stringify(value)}`);
  }
  return wrapper.value;
}

/**
 * After the suite, the ARM contract over everything its tests registered (see installMocks),
 * judged with the whole run's bodies in Jest's global teardown (contractRun.ts).
 */
function checkContractAfterAll(recorder: Recorder): void {
  const all: Registration[] = [];
  const add = recorder.add.bind(recorder);
  recorder.add = (args, id) => {
    add(args, id);
    all.push(recorder.registrations[recorder.registrations.length - 1]);
  };
  afterAll(async () => {
    const suite = path.relative(REPO_ROOT, expect.getState().testPath ?? "unknown suite");
    const bodies = all
      .filter((r) => r.custom)
      .map(({ type, name, inputs, custom }) => ({ type, name, inputs, custom }));
    await submit(suite, JSON.parse(JSON.stringify(bodies)));
  }, 120_000);
}

const REPO_ROOT = path.join(__dirname, "..", "..");
