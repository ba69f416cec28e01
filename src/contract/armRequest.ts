/**
 * azure-native's SDK shape → the ARM request it sends: the URL's path parameters (resource group,
 * names) come out of the arguments and into the URL; the ARM envelope (`location`, `tags`,
 * `identity`, `sku`, ...) stays top level; and every member of a property the spec marks
 * `x-ms-client-flatten` (usually `properties`, sometimes nested ones such as a NIC's
 * `ipConfigurations[].properties`) moves back under that property. Driven by the spec itself, so
 * a new type needs only its row in ARM_TYPES.
 */
import { MOCK_SUBSCRIPTION_ID } from "../mocks/armIds";
import { plainData } from "../mocks/secrets";
import { ARM_TYPES, ArmType, Located, bodySchema, propertiesOf, resolve } from "./specs";

/** An ARM request: the URL (with `api-version`), the JSON body, and the method (PUT if absent). */
export interface ArmRequest {
  readonly url: string;
  readonly body?: Record<string, unknown>;
  readonly method?: "PUT" | "PATCH" | "DELETE" | "POST" | "GET";
}

/** What the provider fills in when the program leaves it out: the resource group's region. */
export const PROVIDER_LOCATION = "westeurope";

/** Left out, a name argument is the program's name plus a random suffix (Pulumi auto-naming). */
const AUTONAME_SUFFIX = "a1b2c3d";

/** The ARM request azure-native sends for a resource of `token` with these inputs. */
export function toArmRequest(
  token: string,
  inputs: Readonly<Record<string, unknown>>,
  name: string,
): ArmRequest {
  const type = ARM_TYPES[token];
  if (!type) throw new Error(`${token}: not a type the contract check covers`);
  const plain = plainData(inputs) as Record<string, unknown>;
  const params = [...type.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const url = `https://management.azure.com${urlPath(type, params, plain, name)}?api-version=${type.apiVersion}`;
  const rest = Object.fromEntries(Object.entries(plain).filter(([k]) => !params.includes(k)));
  const located = bodySchema(type);
  const body = unflatten(rest, located) as Record<string, unknown>;
  // azure-native takes user-assigned identities as a list of ids and sends ARM's map of them.
  const identity = body.identity as Record<string, unknown> | undefined;
  if (Array.isArray(identity?.userAssignedIdentities))
    body.identity = {
      ...identity,
      userAssignedIdentities: Object.fromEntries(
        (identity.userAssignedIdentities as unknown[]).map((id) => [String(id), {}]),
      ),
    };
  // azure-native fills a missing location from the resource group.
  if (body.location === undefined && propertiesOf(located).has("location"))
    body.location = PROVIDER_LOCATION;
  return { url, body };
}

function urlPath(
  type: ArmType,
  params: readonly string[],
  inputs: Record<string, unknown>,
  name: string,
): string {
  return params.reduce((p, param) => {
    const value =
      param === "subscriptionId"
        ? MOCK_SUBSCRIPTION_ID
        : typeof inputs[param] === "string" && inputs[param] !== ""
          ? (inputs[param] as string)
          : `${name}${AUTONAME_SUFFIX}`;
    return p.replace(`{${param}}`, encodeURIComponent(value));
  }, type.path);
}

/** Moves the members of flattened properties back under them, at every depth. */
export function unflatten(value: unknown, located: Located): unknown {
  const { schema, file } = resolve(located);
  if (Array.isArray(value))
    return schema.items ? value.map((v) => unflatten(v, { schema: schema.items!, file })) : value;
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const props = propertiesOf({ schema, file });
  if (props.size === 0) {
    const map = schema.additionalProperties;
    if (map === undefined || typeof map === "boolean") return record;
    return Object.fromEntries(
      Object.entries(record).map(([k, v]) => [k, unflatten(v, { schema: map, file })]),
    );
  }
  const out: Record<string, unknown> = {};
  const moved = new Set<string>();
  for (const [prop, located] of props) {
    if (located.schema["x-ms-client-flatten"] !== true) continue;
    const members = flattenedMembers(located);
    // A member named like a read-only envelope property (an extension's `type`) is the member's:
    // the SDK never takes read-only properties as inputs.
    const own = Object.fromEntries(
      Object.entries(record).filter(
        ([k]) => members.has(k) && (!props.has(k) || isReadOnly(props.get(k)!)),
      ),
    );
    if (Object.keys(own).length === 0) continue;
    for (const k of Object.keys(own)) moved.add(k);
    out[prop] = unflatten(own, located);
  }
  for (const [k, v] of Object.entries(record)) {
    if (moved.has(k)) continue;
    const located = props.get(k);
    out[k] = located ? unflatten(v, located) : v; // an unknown key stays: the validator names it
  }
  return out;
}

function isReadOnly(located: Located): boolean {
  return located.schema.readOnly === true || resolve(located).schema.readOnly === true;
}

/** The names that appear at the parent level when `located` is flattened (nested flattens too). */
function flattenedMembers(located: Located): Set<string> {
  const names = new Set<string>();
  for (const [k, inner] of propertiesOf(located)) {
    names.add(k);
    if (inner.schema["x-ms-client-flatten"] === true)
      for (const n of flattenedMembers(inner)) names.add(n);
  }
  return names;
}
