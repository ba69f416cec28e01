/**
 * Field-level checks shared by every validator. Each takes the argument path and the raw value
 * (JavaScript, YAML and stack-config callers can pass anything) and throws a GlobalImageError in
 * the one message format, or returns the typed value.
 */
import { invalid, joinField, keyField } from "./errors";
import { ReplicaStorageType, enumValues } from "./kinds";

/** The tag prefix this package owns; user tags must not use it. */
export const TAG_PREFIX = "global-image:";

/** A non-empty string, or an error naming the field. */
export function requireString(field: string, value: unknown, fix: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw invalid(field, value, "must be a non-empty string", fix);
  }
  return value;
}

/** An optional non-empty string. */
export function optionalString(field: string, value: unknown, fix: string): string | undefined {
  return value === undefined ? undefined : requireString(field, value, fix);
}

/** One of an `as const` enum's values, or `fallback` when absent. */
export function requireEnum<T extends Record<string, string>>(
  field: string,
  value: unknown,
  values: T,
  fallback?: T[keyof T],
): T[keyof T] {
  if (value === undefined && fallback !== undefined) return fallback;
  const allowed = enumValues(values);
  if (typeof value !== "string" || !(allowed as string[]).includes(value)) {
    throw invalid(
      field,
      value,
      `must be one of ${allowed.map((v) => `"${v}"`).join(", ")}`,
      `Set "${field}" to one of those values${fallback !== undefined ? ` or leave it out for "${fallback}"` : ""}.`,
    );
  }
  return value as T[keyof T];
}

/** An integer at least `min`; when absent, `fallback`, or an error if there is none. */
export function requireInteger(
  field: string,
  value: unknown,
  min: number,
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    const leaveOut = fallback === undefined ? "" : `, or leave it out for ${fallback}`;
    throw invalid(
      field,
      value,
      `must be a whole number of at least ${min}`,
      `Set "${field}" to ${min} or more${leaveOut}.`,
    );
  }
  return value;
}

/** A whole number from `min` to `max` (Azure's bound), or `fallback` when absent. */
export function requireIntegerIn(
  field: string,
  value: unknown,
  min: number,
  max: number,
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const leaveOut = fallback === undefined ? "" : `, or leave it out for ${fallback}`;
    throw invalid(
      field,
      value,
      `must be a whole number from ${min} to ${max}`,
      `Set "${field}" to ${min}-${max}${leaveOut}.`,
    );
  }
  return value;
}

/** An optional boolean, or `fallback` when absent. */
export function optionalBoolean(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw invalid(
      field,
      value,
      "must be true or false",
      `Set "${field}" to true or false, or leave it out for ${fallback}.`,
    );
  }
  return value;
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** True when `value` is an ISO 8601 date (`2027-06-30`) or date-time with an offset. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d, h = "0", mi = "0", s = "0"] = m.slice(1);
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const calendarOk =
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(mo) - 1 &&
    date.getUTCDate() === Number(d);
  return calendarOk && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60;
}

/** An optional ISO 8601 date, returned exactly as given (no clock, no reformatting). */
export function optionalIsoDate(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isIsoDate(value)) {
    throw invalid(
      field,
      value,
      'must be an ISO 8601 date such as "2027-06-30" or "2027-06-30T00:00:00Z"',
      `Write "${field}" as YYYY-MM-DD (a real calendar date), or a date-time with Z or an offset.`,
    );
  }
  return value;
}

/** A plain object (not an array, not null), or an error. */
export function requireObject(field: string, value: unknown, fix: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(field, value, "must be an object", fix);
  }
  return value as Record<string, unknown>;
}

/** Optional tags: an object whose keys do not use the reserved `global-image:` prefix. */
export function checkTags(field: string, value: unknown): void {
  if (value === undefined) return;
  const tags = requireObject(field, value, `Give "${field}" as a map of tag name to value.`);
  for (const key of Object.keys(tags)) {
    if (key.toLowerCase().startsWith(TAG_PREFIX)) {
      throw invalid(
        joinField(field, keyField(key)),
        key,
        `uses the reserved tag prefix "${TAG_PREFIX}"`,
        `Rename the tag: this package writes the "${TAG_PREFIX}*" tags itself.`,
      );
    }
  }
}

/** A replication target: where a version is copied, how many replicas, on which storage. */
export interface RegionPlan {
  readonly name: string;
  readonly replicas: number;
  readonly storageAccountType: ReplicaStorageType;
}

/** Region names compare without case and spaces: "West Europe" and "westeurope" are one region. */
export function normalizeRegion(name: string): string {
  return name.replace(/\s+/g, "").toLowerCase();
}

/** A non-empty list of distinct regions with defaults applied (1 replica, Standard_ZRS). */
export function checkRegions(field: string, value: unknown): RegionPlan[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid(
      field,
      value,
      "must be a non-empty list of regions",
      `List at least one region, e.g. [{ name: "westeurope" }]; the gallery's own region is the usual first.`,
    );
  }
  const seen = new Map<string, number>();
  return value.map((raw, i) => {
    const at = `${field}[${i}]`;
    const region = requireObject(
      at,
      raw,
      `Give each region as { name, replicas?, storageAccountType? }.`,
    );
    const name = requireString(
      `${at}.name`,
      region.name,
      `Name an Azure region, e.g. "westeurope".`,
    );
    const key = normalizeRegion(name);
    const first = seen.get(key);
    if (first !== undefined) {
      throw invalid(
        `${at}.name`,
        name,
        `repeats the region of ${field}[${first}]`,
        `List each region once; raise "replicas" instead of repeating a region.`,
      );
    }
    seen.set(key, i);
    return {
      name,
      replicas: requireInteger(`${at}.replicas`, region.replicas, 1, 1),
      storageAccountType: requireEnum(
        `${at}.storageAccountType`,
        region.storageAccountType,
        ReplicaStorageType,
        ReplicaStorageType.Standard_ZRS,
      ),
    };
  });
}

/**
 * Throws on the first key of `value` that is not one of `known`, naming it and the settings there
 * are: a misspelled setting must not be ignored.
 */
export function checkKnownKeys(
  at: string,
  value: Record<string, unknown>,
  known: readonly string[],
  what: string,
): void {
  const unknown = Object.keys(value).find((k) => !known.includes(k));
  if (unknown !== undefined)
    throw invalid(
      joinField(at, unknown),
      value[unknown],
      `is not ${what}`,
      `Known here: ${known.join(", ")}.`,
    );
}

/** An Output or a Promise: known only at deployment, so ARM judges it, not these checks. */
export function isOutputLike(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && ("__pulumiOutput" in value || "then" in value)
  );
}
