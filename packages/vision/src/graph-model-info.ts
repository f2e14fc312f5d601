import { ModelLoadError } from './errors';
import { FEATURE_VECTOR_NODE_SUFFIX } from './model-spec';

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<
    string,
    { shape?: { dim?: { size?: string | number }[]; unknownRank?: boolean }; type?: string }
  >;
}

/** What the embedder needs to know of a TF.js graph model, read from its topology (no backend needed). */
export interface GraphModelInfo {
  inputNode: string;
  outputNode: string;
  /** Input image height and width ([n, height, width, 3] float32 in [0, 1]). */
  inputHeight: number;
  inputWidth: number;
  /** Names of every node, in graph order. */
  nodeNames: string[];
}

export interface DescribeGraphModelOptions {
  /** Node to read the embedding from; default: the feature-vector node if any, else the graph's first output. */
  outputNode?: string;
  /** Input side when the input shape leaves it open (default 224). */
  defaultInputSize?: number;
}

const bareName = (node: string): string => node.replace(/^\^/, '').replace(/:\d+$/, '');

/** Output nodes as TF.js derives them without a signature: nodes that no other node consumes. */
function terminalNodes(nodes: readonly GraphNode[]): string[] {
  const consumed = new Set<string>();
  for (const n of nodes) for (const i of n.input ?? []) consumed.add(bareName(i));
  return nodes.filter((n) => !consumed.has(n.name) && n.op !== 'Const').map((n) => n.name);
}

function resolveOutputNode(
  info: { nodeNames: string[]; outputs: string[] },
  requested: string | undefined,
): string {
  if (requested !== undefined) {
    if (!info.nodeNames.includes(bareName(requested)))
      throw new ModelLoadError(`output node '${requested}' is not in the model graph`);
    return requested;
  }
  const feature = info.nodeNames.find((n) => n.endsWith(FEATURE_VECTOR_NODE_SUFFIX));
  if (feature !== undefined) return feature;
  const first = info.outputs[0];
  if (first === undefined)
    throw new ModelLoadError('the model declares no outputs; name one with outputNode');
  return first;
}

/**
 * Reads the image input (one `Placeholder`, float32, `[n, h, w, 3]`) and the embedding node of a TF.js graph
 * model's topology.
 */
export function describeGraphModel(
  topology: unknown,
  location: string,
  options: DescribeGraphModelOptions = {},
): GraphModelInfo {
  const nodes = ((topology as { node?: GraphNode[] } | undefined)?.node ?? []) as GraphNode[];
  const nodeNames = nodes.map((n) => n.name);
  const outputNode = resolveOutputNode({ nodeNames, outputs: terminalNodes(nodes) }, options.outputNode);
  const inputs = nodes.filter((n) => n.op === 'Placeholder');
  const input = inputs[0];
  if (inputs.length !== 1 || input === undefined) {
    throw new ModelLoadError(
      `${location}: expected a model with one image input, found ${inputs.length} inputs`,
    );
  }
  const shapeAttr = input.attr?.['shape']?.shape;
  const shape =
    shapeAttr === undefined || shapeAttr.unknownRank === true || shapeAttr.dim === undefined
      ? undefined
      : shapeAttr.dim.map((d) => Number(d.size ?? -1));
  if (shape !== undefined && (shape.length !== 4 || (shape[3]! > 0 && shape[3] !== 3))) {
    throw new ModelLoadError(
      `${location}: input '${input.name}' has shape [${shape.join(',')}], expected [n, height, width, 3]`,
    );
  }
  const dtype = input.attr?.['dtype']?.type ?? 'DT_FLOAT';
  if (dtype !== 'DT_FLOAT') {
    throw new ModelLoadError(`${location}: input '${input.name}' has dtype ${dtype}, expected float32`);
  }
  const fallback = options.defaultInputSize ?? 224;
  const side = (v: number | undefined) => (v !== undefined && v > 0 ? v : fallback);
  return {
    inputNode: input.name,
    outputNode,
    inputHeight: side(shape?.[1]),
    inputWidth: side(shape?.[2]),
    nodeNames,
  };
}
