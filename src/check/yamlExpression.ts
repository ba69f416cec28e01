/**
 * Pulumi YAML's interpolation syntax, parsed: `${name}`, `${name.prop[0]["key"]}`, and strings
 * with interpolations inside (`vm-${pulumi.stack}`); `$${` is a literal `${`. Pure: no Pulumi.
 */

/** A reference: a root name (resource, variable, config key or `pulumi`) and a property path. */
export interface Reference {
  readonly root: string;
  readonly path: readonly (string | number)[];
  /** The reference as written, for messages. */
  readonly text: string;
}

/** A string value: literal text and references, in order. */
export type TemplatePart = { readonly literal: string } | { readonly ref: Reference };

/** The parts of a string value; a string without `${` is one literal. */
export function parseTemplate(text: string, field: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$${", i)) {
      literal += "${";
      i += 3;
    } else if (text.startsWith("${", i)) {
      const end = text.indexOf("}", i);
      if (end < 0) throw new Error(`${field}: "${text}" has a "\${" without its closing "}"`);
      if (literal) parts.push({ literal });
      literal = "";
      parts.push({ ref: parseReference(text.slice(i + 2, end).trim(), field) });
      i = end + 1;
    } else {
      literal += text[i];
      i += 1;
    }
  }
  if (literal || parts.length === 0) parts.push({ literal });
  return parts;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*/;
const ACCESSOR = /^(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*(\d+)\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\])/;

/** `name.prop[0]["key"]` → root and path; anything else is an error naming the field. */
export function parseReference(text: string, field: string): Reference {
  const root = NAME.exec(text)?.[0];
  if (!root) throw new Error(`${field}: "\${${text}}" is not a reference (name.property[index])`);
  const path: (string | number)[] = [];
  let rest = text.slice(root.length);
  while (rest.length > 0) {
    const match = ACCESSOR.exec(rest);
    if (!match)
      throw new Error(`${field}: "\${${text}}" has "${rest}" where .property or [index] belongs`);
    if (match[1] !== undefined) path.push(match[1]);
    else if (match[2] !== undefined) path.push(Number(match[2]));
    else path.push(JSON.parse(`"${match[3]}"`) as string);
    rest = rest.slice(match[0].length);
  }
  return { root, path, text };
}

/** `value` followed along `path`; undefined where a step is missing (as a stack output may be). */
export function walk(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>(
    (v, key) =>
      v === null || v === undefined ? undefined : (v as Record<string | number, unknown>)[key],
    value,
  );
}
