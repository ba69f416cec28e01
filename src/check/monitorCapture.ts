/**
 * What the mock runtime does not hand its `newResource` callback but the engine keeps: each
 * component's `registerOutputs` and each resource's dependencies. Read from the SDK's resource
 * monitor (the mock one), keyed by `type::name` (the mock monitor's URNs chain only one parent
 * type; the engine's chain all, so callers map them back through type and name).
 */
type Pulumi = typeof import("@pulumi/pulumi");

/** A resource's dependencies, as `type::name` keys. */
export interface CapturedDependencies {
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
}

/** What was captured, by `type::name`. */
export interface MonitorCapture {
  readonly outputs: Map<string, Record<string, unknown>>;
  readonly dependencies: Map<string, CapturedDependencies>;
}

interface ProtoStruct {
  toJavaScript(): Record<string, unknown>;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(fn: (value: { getUrnsList(): string[] }, key: string) => void): void;
  };
}
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): ProtoStruct | undefined;
}
type Callback = (...args: unknown[]) => void;
interface Monitor {
  registerResource(req: RegisterRequest, cb: Callback): unknown;
  registerResourceOutputs(req: OutputsRequest, cb: Callback): unknown;
}

/** `type::name` of a URN. */
export function keyOfUrn(urn: string): string {
  const parts = urn.split("::");
  const name = parts.slice(3).join("::");
  const type = parts[2].split("$").pop() as string;
  return `${type}::${name}`;
}

/** Starts capturing on the monitor `pulumi` talks to (call right after `setMocks`). */
export function captureMonitor(pulumi: Pulumi): MonitorCapture {
  const capture: MonitorCapture = { outputs: new Map(), dependencies: new Map() };
  const runtime = pulumi.runtime as unknown as {
    getMonitor(): Monitor | undefined;
    deserializeProperties(struct: unknown, keepUnknowns?: boolean): Record<string, unknown>;
  };
  const monitor = runtime.getMonitor();
  if (!monitor) throw new Error("no resource monitor: set the mocks first");
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value, key) => {
      propertyDependencies[key] = value.getUrnsList().map(keyOfUrn);
    });
    capture.dependencies.set(`${req.getType()}::${req.getName()}`, {
      dependencies: req.getDependenciesList().map(keyOfUrn),
      propertyDependencies,
    });
    return register(req, cb);
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, cb) => {
    const struct = req.getOutputs();
    capture.outputs.set(
      keyOfUrn(req.getUrn()),
      struct ? runtime.deserializeProperties(struct, true) : {},
    );
    return registerOutputs(req, cb);
  };
  return capture;
}
