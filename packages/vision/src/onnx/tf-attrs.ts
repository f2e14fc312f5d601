import type { TfAttrValue, TfNode } from './tf-graph';

/**
 * Readers for the attributes of a TF GraphDef node in protobuf-JSON form: `{i: "1"}` (int64 as a string),
 * `{f: 0.5}`, `{s: <base64>}`, `{b: true}`, `{type: "DT_FLOAT"}`, `{list: {i: [...]}}`, `{shape: {dim: [...]}}`.
 * Each returns `fallback` when the attribute is absent, and throws a TypeError when it has another kind.
 */

function attr(node: TfNode, name: string): TfAttrValue | undefined {
  return node.attr?.[name];
}

function wrongKind(node: TfNode, name: string, expected: string): TypeError {
  return new TypeError(`node '${node.name}' (${node.op}): attribute '${name}' is not ${expected}`);
}

function toInt(value: string | number, node: TfNode, name: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw wrongKind(node, name, 'an integer');
  return n;
}

function decodeBase64(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

/** True when the node sets attribute `name`. */
export function hasAttr(node: TfNode, name: string): boolean {
  return attr(node, name) !== undefined;
}

export function attrInt(node: TfNode, name: string, fallback: number): number {
  const a = attr(node, name);
  if (a === undefined) return fallback;
  if (a.i === undefined) throw wrongKind(node, name, 'an int');
  return toInt(a.i, node, name);
}

export function attrFloat(node: TfNode, name: string, fallback: number): number {
  const a = attr(node, name);
  if (a === undefined) return fallback;
  // protobuf JSON leaves out zero values, so `{}` is 0.
  if (a.f === undefined) {
    if (Object.keys(a).length === 0) return 0;
    throw wrongKind(node, name, 'a float');
  }
  return Number(a.f);
}

export function attrBool(node: TfNode, name: string, fallback: boolean): boolean {
  const a = attr(node, name);
  if (a === undefined) return fallback;
  if (a.b === undefined) {
    if (Object.keys(a).length === 0) return false;
    throw wrongKind(node, name, 'a bool');
  }
  return a.b === true;
}

export function attrString(node: TfNode, name: string, fallback: string): string {
  const a = attr(node, name);
  if (a === undefined) return fallback;
  if (a.s === undefined) {
    if (Object.keys(a).length === 0) return '';
    throw wrongKind(node, name, 'a string');
  }
  return decodeBase64(a.s);
}

export function attrType(node: TfNode, name: string, fallback: string): string {
  const a = attr(node, name);
  if (a === undefined) return fallback;
  if (a.type === undefined) throw wrongKind(node, name, 'a type');
  return a.type;
}

export function attrInts(node: TfNode, name: string, fallback: readonly number[]): number[] {
  const a = attr(node, name);
  if (a === undefined) return [...fallback];
  if (a.list === undefined) throw wrongKind(node, name, 'a list');
  return (a.list.i ?? []).map((v) => toInt(v, node, name));
}

export function attrStrings(node: TfNode, name: string, fallback: readonly string[]): string[] {
  const a = attr(node, name);
  if (a === undefined) return [...fallback];
  if (a.list === undefined) throw wrongKind(node, name, 'a list');
  return (a.list.s ?? []).map(decodeBase64);
}

/** A `shape` attribute as dims (-1 for unknown); undefined for an absent attribute or an unknown rank. */
export function attrShape(node: TfNode, name: string): number[] | undefined {
  const a = attr(node, name);
  if (a === undefined) return undefined;
  if (a.shape === undefined) throw wrongKind(node, name, 'a shape');
  if (a.shape.unknownRank === true) return undefined;
  return (a.shape.dim ?? []).map((d) => (d.size === undefined ? 0 : toInt(d.size, node, name)));
}
