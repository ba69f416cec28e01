/**
 * Edits config values of a `Pulumi.<stack>.yaml` file in place, as text: only the edited value or
 * the inserted lines change, so comments, quoting, layout, CRLF line endings and a byte-order mark
 * stay as they were. An edit that would reach another value through an anchor, alias or merge key
 * is refused naming the anchor, and every result is read back: unless it reads as exactly the
 * intended change, nothing is returned (fail closed).
 */
import {
  Document,
  Node,
  Scalar,
  YAMLMap,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parse,
  parseDocument,
  stringify,
  visit,
} from "yaml";
import { canonicalJson } from "../evidence/canonical";
import { STACK_YAML_OPTIONS } from "./stackFile";

/** A value `editStack` writes: a scalar, or (for a new key only) a mapping. */
export type EditValue = string | boolean | number | { readonly [key: string]: unknown };

/** One edit: the key path under `config` (e.g. `["global-image:images", "win11", "activeVersion"]`). */
export interface StackEdit {
  readonly path: readonly string[];
  readonly value: EditValue;
  /** Add the last key to its (existing, block-style) mapping when it is missing. @default false */
  readonly create?: boolean;
}

/** Why an edit cannot be made safely; the message names the file, the config path and the fix. */
export class StackEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackEditError";
  }
}

/** `yamlText` with `edits` applied (in order); throws a StackEditError, never edits unsafely. */
export function editStack(yamlText: string, edits: readonly StackEdit[], file: string): string {
  const bom = yamlText.startsWith("\uFEFF") ? "\uFEFF" : "";
  let body = yamlText.slice(bom.length);
  const eol = /^[^\n]*\r\n/.test(body) ? "\r\n" : "\n";
  const expected = parse(body, STACK_YAML_OPTIONS) as Record<string, unknown>;
  for (const edit of edits) {
    body = applyEdit(body, edit, eol, file);
    setDeep(expected, ["config", ...edit.path], edit.value);
  }
  let actual: unknown;
  try {
    actual = parse(body, STACK_YAML_OPTIONS);
  } catch {
    actual = undefined;
  }
  if (actual === undefined || canonicalJson(actual) !== canonicalJson(expected)) {
    throw new StackEditError(
      `${file}: the edit of ${edits.map((e) => label(e.path)).join(", ")} would not read back as exactly that change; nothing was written. Make it by hand.`,
    );
  }
  return bom + body;
}

function applyEdit(body: string, edit: StackEdit, eol: string, file: string): string {
  const doc = parseDocument(body, STACK_YAML_OPTIONS);
  if (doc.errors.length > 0) throw new StackEditError(`${file}: ${doc.errors[0].message}`);
  const shared = sharedAnchors(doc);
  const keys = ["config", ...edit.path];
  let node: unknown = doc.contents;
  for (let i = 0; i < keys.length; i++) {
    const at = keys.slice(1, i); // the config path of `node`
    guard(node, at, shared, file);
    if (!isMap(node)) throw notMapping(file, at, edit.path);
    const pair = node.items.find((p) => keyOf(p.key) === keys[i]);
    if (pair === undefined) {
      if (node.items.some((p) => keyOf(p.key) === MERGE))
        throw new StackEditError(
          `${file}: config ${label(keys.slice(1, i + 1))} is not written out but comes through a merge key (<<); write it out under ${label(at)} before editing it`,
        );
      if (i === keys.length - 1 && edit.create)
        return insert(body, node, keys[i], edit.value, eol, file, at);
      throw new StackEditError(
        `${file}: config ${label(edit.path)} is not set; cannot change it in place`,
      );
    }
    node = pair.value;
  }
  guard(node, edit.path, shared, file);
  if (!isScalar(node) || node.range === null || node.range === undefined)
    throw new StackEditError(
      `${file}: config ${label(edit.path)} is not a single value; cannot change it in place`,
    );
  if (typeof edit.value === "object")
    throw new StackEditError(
      `${file}: config ${label(edit.path)} is a single value; cannot replace it with a mapping`,
    );
  const [start, end] = node.range;
  return body.slice(0, start) + render(edit.value, node.type, node.type) + body.slice(end);
}

const MERGE = "<<";

function keyOf(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  return typeof key.value === "symbol" ? MERGE : String(key.value);
}

/** Anchors some alias refers to: editing under one would change every place that uses it. */
function sharedAnchors(doc: Document): Set<string> {
  const used = new Set<string>();
  visit(doc, { Alias: (_, alias) => void used.add(alias.source) });
  return used;
}

function guard(node: unknown, at: readonly string[], shared: Set<string>, file: string): void {
  if (isAlias(node))
    throw new StackEditError(
      `${file}: config ${label(at)} is an alias of anchor &${node.source}; editing it would change every user of the anchor. Write the value out under ${label(at)}, then run the command again`,
    );
  const anchor = (node as Node | undefined)?.anchor;
  if (anchor !== undefined && shared.has(anchor))
    throw new StackEditError(
      `${file}: config ${label(at)} is anchor &${anchor}, which is used elsewhere in the file; editing it would change those too. Copy the value where *${anchor} is used, then run the command again`,
    );
}

function notMapping(file: string, at: readonly string[], path: readonly string[]): StackEditError {
  const json = at.length === 1 ? " (a JSON string?): write it as a YAML mapping" : "";
  return new StackEditError(
    `${file}: config ${label(at)} is not a YAML mapping${json}; cannot edit ${label(path)}`,
  );
}

/** Adds `key: value` as the last entry of a block mapping, indented like its siblings. */
function insert(
  body: string,
  map: YAMLMap,
  key: string,
  value: EditValue,
  eol: string,
  file: string,
  at: readonly string[],
): string {
  const first = map.items[0]?.key as Scalar | undefined;
  if (map.flow || first?.range === null || first?.range === undefined)
    throw new StackEditError(
      `${file}: config ${label(at)} is written in flow style ({ ... }) or empty; write it as a block mapping to let global-image add ${key}`,
    );
  const column = first.range[0] - (body.lastIndexOf("\n", first.range[0] - 1) + 1);
  const indent = " ".repeat(column);
  const end = contentEnd(map);
  let at2 = body.indexOf("\n", end);
  if (at2 === -1) at2 = body.length;
  else if (body[at2 - 1] === "\r") at2 -= 1;
  const keyText = render(key, first.type, Scalar.PLAIN);
  const text =
    typeof value === "object"
      ? `${keyText}:${eol}${stringify(value, { indent: 2, lineWidth: 0 })
          .trimEnd()
          .split("\n")
          .map((l) => `${indent}  ${l}`)
          .join(eol)}`
      : `${keyText}: ${render(value, Scalar.PLAIN, Scalar.PLAIN)}`;
  return `${body.slice(0, at2)}${eol}${indent}${text}${body.slice(at2)}`;
}

/** Where the last value written inside `node` ends (a nested mapping's range runs further). */
function contentEnd(node: unknown): number {
  if (isMap(node) || isSeq(node)) {
    const last = node.items[node.items.length - 1] as unknown;
    if (last === undefined) return (node as Node).range?.[1] ?? 0;
    if (isPair(last))
      return last.value === null || last.value === undefined
        ? contentEnd(last.key)
        : contentEnd(last.value);
    return contentEnd(last);
  }
  return (node as Node | null)?.range?.[1] ?? 0;
}

/** A scalar in the given style; plain only when it reads back as the same string. */
function render(value: string | boolean | number, style: unknown, fallback: unknown): string {
  if (typeof value !== "string") return String(value);
  const type = style ?? fallback;
  if (type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (type === Scalar.PLAIN && plainSafe(value)) return value;
  if (type === Scalar.BLOCK_FOLDED || type === Scalar.BLOCK_LITERAL)
    throw new StackEditError(
      `a block scalar (| or >) cannot be edited in place; write the value on one line`,
    );
  return JSON.stringify(value);
}

function plainSafe(value: string): boolean {
  if (value === "" || /[\n\r#]|^\s|\s$/.test(value)) return false;
  // YAML 1.1 readers (the Pulumi CLI's among them) may read a plain date as a timestamp.
  if (/^\d{4}-\d{1,2}-\d{1,2}/.test(value)) return false;
  try {
    return canonicalJson(parse(`k: ${value}`)) === canonicalJson({ k: value });
  } catch {
    return false;
  }
}

function setDeep(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/** `global-image:images.win11.activeVersion`. */
function label(path: readonly string[]): string {
  return path
    .map((k, i) => (i === 0 ? k : /^[A-Za-z_][\w-]*$/.test(k) ? `.${k}` : `["${k}"]`))
    .join("");
}
