/**
 * Policy config with defaults applied in code: the policy SDK hands `getConfig()` only what the
 * user set (the Pulumi CLI applies `configSchema` defaults, the SDK and offline runs do not).
 */
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
