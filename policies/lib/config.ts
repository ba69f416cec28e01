/**
 * Policy config: defaults applied in code, and unknown keys refused.
 *
 * Defaults: the policy SDK hands `getConfig()` only what the engine sent; the Pulumi CLI applies
 * `configSchema` defaults, offline runs do not, so every policy applies them itself.
 *
 * Unknown keys: the engine validates the config against each policy's `configSchema`, but the
 * policy SDK sends it only `properties` and `required` (@pulumi/policy protoutil
 * `makeAnalyzerInfo`), and the engine builds `{ type: "object", properties, required }` from them
 * (pulumi/pulumi pkg/resource/analyzer `convertSchema`): `additionalProperties: false` never
 * reaches it, so a typo such as `minBackup` would pass silently. Each policy of the pack therefore
 * checks its own keys when it runs and throws, which fails `pulumi preview` and `pulumi up`.
 */
import type { Policy, PolicyConfigSchema } from "@pulumi/policy";

export function withDefaults<T extends object>(
  args: { getConfig<C extends object>(): C },
  defaults: T,
): T {
  const given = (args.getConfig<Partial<T>>() ?? {}) as Partial<T>;
  const merged = { ...defaults };
  for (const key of Object.keys(given) as Array<keyof T>) {
    if (given[key] !== undefined) merged[key] = given[key] as T[keyof T];
  }
  return merged;
}

/** The keys a policy's config may hold: its schema's properties and `enforcementLevel`. */
export function allowedKeys(schema: PolicyConfigSchema | undefined): string[] {
  return ["enforcementLevel", ...Object.keys(schema?.properties ?? {})];
}

/** The config keys of `given` that `policy` does not know, sorted. */
export function unknownKeys(policy: Policy, given: unknown): string[] {
  if (typeof given !== "object" || given === null) return [];
  const allowed = new Set(allowedKeys(policy.configSchema));
  return Object.keys(given)
    .filter((k) => !allowed.has(k))
    .sort();
}

/** The message a policy throws for unknown config keys. */
export function unknownKeysMessage(policy: Policy, keys: readonly string[]): string {
  const settings = allowedKeys(policy.configSchema).join(", ");
  return `policy config of "${policy.name}": ${keys.map((k) => `"${k}"`).join(", ")} ${keys.length === 1 ? "is not a setting" : "are not settings"} of this policy (a typo?). Its settings: ${settings}. Fix the --policy-pack-config file (global-image check names the same key).`;
}

/**
 * `policy` with its validation refusing unknown config keys first (see the file comment). The
 * same object shape, so the pack, the tests and the offline check run the same policies.
 */
export function strictConfig<P extends Policy>(policy: P): P {
  const guard = (args: { getConfig<C extends object>(): C }) => {
    const keys = unknownKeys(policy, args.getConfig());
    if (keys.length > 0) throw new Error(unknownKeysMessage(policy, keys));
  };
  const wrapped = { ...policy } as P & {
    validateStack?: (args: never, report: never) => unknown;
    validateResource?: unknown;
  };
  const stack = (policy as { validateStack?: (a: never, r: never) => unknown }).validateStack;
  if (stack)
    wrapped.validateStack = (args, report) => {
      guard(args as { getConfig<C extends object>(): C });
      return stack(args, report);
    };
  const resource = (policy as { validateResource?: unknown }).validateResource;
  if (resource) {
    const strict =
      (v: (a: never, r: never) => unknown) =>
      (args: never, report: never): unknown => {
        guard(args as { getConfig<C extends object>(): C });
        return v(args, report);
      };
    // The same shape as given: one function stays one function (tools call it directly).
    wrapped.validateResource = Array.isArray(resource)
      ? resource.map(strict)
      : strict(resource as (a: never, r: never) => unknown);
  }
  return wrapped;
}
