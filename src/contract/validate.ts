/**
 * The ARM contract check: every request body a program would send, for the types in ARM_TYPES,
 * validated against the vendored specs with Azure's own validator (oav's live request
 * validation: schemas, `allOf`, discriminators, formats, additional and read-only properties),
 * plus one rule stricter than the spec's letter: a value an `x-ms-enum` with `modelAsString` does
 * not list (formally extensible, in practice a typo such as `RemoteApp` for
 * `preferredAppGroupType`), unless the spec calls the enum deprecated (VM sizes).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { canonicalJson } from "../evidence/canonical";
import { ArmRequest, toArmRequest } from "./armRequest";
import { SESSION_HOST_CONTROL_TYPE } from "../consumers/sessionHostCalls";
import { controlRequests } from "./controlRequests";
import {
  ARM_TYPES,
  AVD_SPEC,
  Located,
  bodySchema,
  propertiesOf,
  resolve,
  specsRoot,
} from "./specs";

/** One rule a body breaks. */
export interface ContractViolation {
  /** The resource's name in the program. */
  readonly resource: string;
  readonly type: string;
  /** Where in the ARM body, as a JSON path: `$.properties.publishingProfile.endOfLifeDate`. */
  readonly path: string;
  /** oav's error code (e.g. INVALID_FORMAT, OBJECT_ADDITIONAL_PROPERTIES), or ENUM_NOT_LISTED. */
  readonly rule: string;
  readonly message: string;
}

/** What the check covered and found. */
export interface ContractReport {
  /** Bodies validated. */
  readonly checked: number;
  /** The covered types seen. */
  readonly types: string[];
  /** azure-native types seen that the vendored specs do not cover. */
  readonly notChecked: string[];
  readonly violations: ContractViolation[];
}

/** A registered resource, as the offline run and the tests record it. */
export interface ContractResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly custom?: boolean;
}

type Validator = {
  validateLiveRequest(request: {
    url: string;
    method: string;
    headers: Record<string, string>;
    body: unknown;
  }): Promise<{
    errors: Array<{ code: string; message: string; jsonPathsInPayload?: string[] }>;
    runtimeException?: { code: string; message: string };
  }>;
};
const validators = new Map<string, Promise<Validator>>();

/** oav's validator for these spec files (built once per set: 0.4-2 s; checkContract asks one a spec). */
function validatorFor(specs: readonly string[]): Promise<Validator> {
  const key = [...specs].sort().join("|");
  let validator = validators.get(key);
  if (!validator) {
    validator = (async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- heavy: loaded only when a contract is checked
      const { LiveValidator } = require("oav") as typeof import("oav");
      const live = new LiveValidator(
        {
          directory: specsRoot(),
          swaggerPathsPattern: [...specs],
          git: { shouldClone: false },
          // oav's default compiles a validator for every operation of the spec in the background
          // (seconds of CPU per spec); the contract needs a handful, compiled when first asked.
          loadValidatorInBackground: false,
        },
        () => undefined, // oav logs spec-loading chatter; the violations are what matters here
      );
      await live.initialize();
      return live as unknown as Validator;
    })();
    validators.set(key, validator);
  }
  return validator;
}

/**
 * Validates every covered azure-native body among `resources`. With `cacheDir`, a request that
 * passed before (the same URL and body, against the same specs) is not validated again, so an
 * unchanged program does not even load the validator.
 */
export async function checkContract(
  resources: readonly ContractResource[],
  cacheDir?: string,
): Promise<ContractReport> {
  const azure = resources.filter((r) => r.custom !== false && r.type.startsWith("azure-native:"));
  const covered = azure.filter((r) => ARM_TYPES[r.type] !== undefined);
  const controls = resources.filter((r) => r.type === SESSION_HOST_CONTROL_TYPE);
  const notChecked = [
    ...new Set(azure.filter((r) => !ARM_TYPES[r.type]).map((r) => r.type)),
  ].sort();
  const types = [...new Set([...covered, ...controls].map((r) => r.type))].sort();
  const cache = new PassedCache(cacheDir);
  const requests = [
    ...covered.map((resource) => ({
      resource,
      request: toArmRequest(resource.type, resource.inputs, resource.name),
      spec: ARM_TYPES[resource.type].spec,
    })),
    ...controls.flatMap((resource) =>
      (controlRequests(resource.inputs) ?? []).map((request) => ({
        resource,
        request,
        spec: AVD_SPEC,
      })),
    ),
  ].map((r) => ({ ...r, digest: digestOf(r.request) }));
  for (const r of requests) if (passedHere.has(r.digest)) cache.add(r.digest);
  const pending = requests.filter((r) => !cache.has(r.digest));
  // A control whose calls cannot be read is a failure, never an empty pass.
  const violations: ContractViolation[] = controls
    .filter((r) => controlRequests(r.inputs) === undefined)
    .map((r) => ({
      resource: r.name,
      type: r.type,
      path: "$",
      rule: "UNREADABLE_INPUTS",
      message: "its hostPoolId or ops are missing or unknown, so its calls cannot be checked",
    }));
  if (pending.length > 0) {
    // The same request (URL and body) is judged once: oav compiles schemas per validation, and
    // a fleet repeats bodies. Its violations are reported for every resource that sends it.
    const judged = new Map<string, ContractViolation[]>();
    for (const { resource, request, digest, spec } of pending) {
      let found = judged.get(digest);
      // One validator per spec file, whatever mix of types a caller sends: a validator per set
      // was built again for every new mix (a test run judges dozens of mixes).
      if (found === undefined)
        judged.set(digest, (found = await checkOne(await validatorFor([spec]), resource, request)));
      if (found.length === 0) {
        cache.add(digest);
        passedHere.add(digest);
      }
      violations.push(...found.map((v) => ({ ...v, resource: resource.name })));
    }
  }
  cache.save();
  return { checked: requests.length, types, notChecked, violations };
}

/** Requests that passed in this process (a test suite checks after every test). */
const passedHere = new Set<string>();

/** The violations of one request against `spec` (a resource's PUT or a call), for tests. */
export async function checkRequest(
  spec: string,
  request: ArmRequest,
  resource: ContractResource,
): Promise<ContractViolation[]> {
  return checkOne(await validatorFor([spec]), resource, request);
}

async function checkOne(
  validator: Validator,
  resource: ContractResource,
  { url, body, method = "PUT" }: ArmRequest,
): Promise<ContractViolation[]> {
  const at = (path: string, rule: string, message: string): ContractViolation => ({
    resource: resource.name,
    type: resource.type,
    path,
    rule,
    message,
  });
  const result = await validator.validateLiveRequest({
    url,
    method,
    headers: { "content-type": "application/json" },
    body,
  });
  // Anything oav could not do is a failure, never a pass.
  if (result.runtimeException)
    return [
      at(
        "$",
        result.runtimeException.code,
        `the body could not be checked: ${result.runtimeException.message}`,
      ),
    ];
  return [
    ...result.errors.map((e) => at(e.jsonPathsInPayload?.[0] ?? "$", e.code, e.message)),
    // The rule beyond oav's reads resource bodies (the calls' PATCH bodies hold no enums).
    ...(ARM_TYPES[resource.type]
      ? stricter(body, bodySchema(ARM_TYPES[resource.type]), "$").map((p) =>
          at(p.path, p.rule, p.message),
        )
      : []),
  ];
}

/** The rule beyond oav's: values a `modelAsString` enum does not list. */
export function stricter(
  value: unknown,
  located: Located,
  path: string,
): Array<{ path: string; rule: string; message: string }> {
  const { schema, file } = resolve(located);
  const enumValues = schema.enum;
  // An enum the spec itself calls deprecated (VM sizes) lists old values only: any is accepted.
  const deprecated = /deprecated/i.test(String(schema.description ?? ""));
  if (
    typeof value === "string" &&
    Array.isArray(enumValues) &&
    schema["x-ms-enum"]?.modelAsString === true &&
    !deprecated
  ) {
    const listed = enumValues.map(String);
    if (!listed.includes(value) && !listed.some((v) => v.toLowerCase() === value.toLowerCase()))
      return [
        {
          path,
          rule: "ENUM_NOT_LISTED",
          message: `"${value}" is not one of the values this API version lists (${listed.join(", ")})`,
        },
      ];
    return [];
  }
  if (Array.isArray(value))
    return schema.items
      ? value.flatMap((v, i) => stricter(v, { schema: schema.items!, file }, `${path}[${i}]`))
      : [];
  if (value === null || typeof value !== "object") return [];
  const props = propertiesOf({ schema, file });
  const map = schema.additionalProperties;
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const child = props.get(k);
    const at = `${path}.${k}`;
    if (child) return stricter(v, child, at);
    if (map && typeof map === "object") return stricter(v, { schema: map, file }, at);
    return [];
  });
}

/** The identity of a request against these specs and this package's checks. */
function digestOf(request: ArmRequest): string {
  return createHash("sha256")
    .update(
      `${contractVersion()}\n${request.method ?? "PUT"} ${request.url}\n${canonicalJson(request.body ?? null)}`,
    )
    .digest("hex");
}

/** Bump when the mapping or the rules change: every cached pass is then void. */
const RULES_VERSION = "contract-2";
let version: string | undefined;

/**
 * What a cached pass was judged against: the rules, oav's version and the content of the vendored
 * specs, so a changed spec or oav voids old passes.
 */
function contractVersion(): string {
  if (version === undefined) {
    const hash = createHash("sha256").update(RULES_VERSION);
    hash.update(fs.readFileSync(require.resolve("oav/package.json")));
    for (const spec of [...new Set(Object.values(ARM_TYPES).map((t) => t.spec))].sort())
      hash.update(fs.readFileSync(path.join(specsRoot(), spec)));
    version = hash.digest("hex");
  }
  return version;
}

/** Requests that passed, remembered in `<cacheDir>/contract-passed.json` (a list of digests). */
class PassedCache {
  private readonly file?: string;
  private readonly passed = new Set<string>();
  private changed = false;

  constructor(dir: string | undefined) {
    if (dir === undefined) return;
    this.file = path.join(dir, "contract-passed.json");
    try {
      for (const d of JSON.parse(fs.readFileSync(this.file, "utf8")) as string[])
        this.passed.add(d);
    } catch {
      // none yet, or unreadable: validate everything
    }
  }

  has(digest: string): boolean {
    return this.passed.has(digest);
  }

  add(digest: string): void {
    this.changed = this.changed || !this.passed.has(digest);
    this.passed.add(digest);
  }

  save(): void {
    if (!this.file || !this.changed) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, JSON.stringify([...this.passed].slice(-10_000)));
      fs.renameSync(temp, this.file);
    } catch {
      // a cache that cannot be written only costs time
    }
  }
}
