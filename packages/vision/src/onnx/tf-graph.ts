import { ModelLoadError } from '../errors';

/** One attribute value of a TF GraphDef node, in the protobuf-JSON form that TF.js's model.json uses. */
export interface TfAttrValue {
  i?: string | number;
  f?: number;
  s?: string;
  b?: boolean;
  type?: string;
  shape?: { dim?: { size?: string | number }[]; unknownRank?: boolean };
  list?: { i?: (string | number)[]; f?: number[]; s?: string[]; b?: boolean[]; type?: string[] };
  tensor?: unknown;
}

/** One node of a TF GraphDef as JSON (`modelTopology.node[]` of a TF.js graph model). */
export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttrValue>;
  device?: string;
}

/** A parsed input reference: `node`, `node:1` or `^node` (a control dependency). */
export interface TfInputRef {
  node: string;
  output: number;
  control: boolean;
}

export function parseInputRef(ref: string): TfInputRef {
  if (ref.startsWith('^')) return { node: ref.slice(1), output: 0, control: true };
  const match = /^(.*):(\d+)$/.exec(ref);
  if (match === null) return { node: ref, output: 0, control: false };
  return { node: match[1] as string, output: Number(match[2]), control: false };
}

/** The data (non-control) inputs of a node, parsed. */
export function dataInputs(node: TfNode): TfInputRef[] {
  return (node.input ?? []).map(parseInputRef).filter((r) => !r.control);
}

/** Reads `modelTopology.node` of a TF.js graph model, checking the shape of each entry. */
export function graphNodes(modelTopology: unknown): TfNode[] {
  const nodes = (modelTopology as { node?: unknown } | null)?.node;
  if (!Array.isArray(nodes))
    throw new ModelLoadError('the model topology has no node list (not a graph model)');
  for (const n of nodes as unknown[]) {
    const node = n as Partial<TfNode> | null;
    if (typeof node?.name !== 'string' || typeof node.op !== 'string') {
      throw new ModelLoadError('the model topology has a node without a name or an op');
    }
  }
  return nodes as TfNode[];
}

/**
 * The nodes that the value of `output` depends on (control dependencies ignored), in an order where every
 * node comes after its inputs. Everything else in the graph (e.g. a classifier head) is left out.
 */
export function nodesNeededFor(nodes: readonly TfNode[], output: string): TfNode[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const root = byName.get(output);
  if (root === undefined) throw new ModelLoadError(`output node '${output}' is not in the model graph`);

  const ordered: TfNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  // Iterative depth-first post-order, so that deep graphs do not overflow the stack.
  const stack: { node: TfNode; next: number }[] = [{ node: root, next: 0 }];
  state.set(root.name, 'visiting');
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { node: TfNode; next: number };
    const inputs = dataInputs(top.node);
    if (top.next < inputs.length) {
      const ref = inputs[top.next++] as TfInputRef;
      const child = byName.get(ref.node);
      if (child === undefined) {
        throw new ModelLoadError(`node '${top.node.name}' reads '${ref.node}', which is not in the graph`);
      }
      const seen = state.get(child.name);
      if (seen === 'visiting') throw new ModelLoadError(`the graph has a cycle through node '${child.name}'`);
      if (seen === undefined) {
        state.set(child.name, 'visiting');
        stack.push({ node: child, next: 0 });
      }
      continue;
    }
    state.set(top.node.name, 'done');
    ordered.push(top.node);
    stack.pop();
  }
  return ordered;
}
