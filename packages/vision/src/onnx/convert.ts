import type * as tf from '@tensorflow/tfjs';
import { ModelLoadError, UnsupportedOpError } from '../errors';
import { ConversionContext } from './context';
import { GraphBuilder, type OnnxDim } from './graph-builder';
import { OP_CONVERTERS } from './ops/registry';
import { attrShape, attrType } from './tf-attrs';
import { graphNodes, nodesNeededFor, parseInputRef, type TfNode } from './tf-graph';
import { type ConstValue, type Dims, UNKNOWN, type Value } from './values';
import { decodeConstants } from './weights';

/** Changes whenever the converter's output for the same model may change (part of the cache key). */
export const CONVERTER_VERSION = '1';
/** ONNX opset of the converted models (13: Squeeze, Unsqueeze, Pad, Clip, ReduceSum take inputs). */
export const ONNX_OPSET = 13;
/** ONNX IR version of the converted models (onnxruntime 1.30 reads IR ≤ 11). */
export const ONNX_IR_VERSION = 8;

/** Symbolic name of the batch dimension in the converted model's input and output. */
export const BATCH_DIM = 'batch';

export interface ConvertOptions {
  /** The graph node whose value the ONNX model outputs (e.g. the `feature_vector/SpatialSqueeze` node). */
  outputNode: string;
  /** Input height and width, where the TF input leaves them open (needed for SAME padding). */
  inputHeight?: number;
  inputWidth?: number;
}

export interface ConvertedOnnxModel {
  /** The serialized ONNX ModelProto. */
  bytes: Uint8Array;
  /** Name of the one input: the TF placeholder's, same layout as in TF.js (NHWC float32, dynamic batch). */
  inputName: string;
  /** Name of the one output: the output node's name (without `:0`), in TF's layout. */
  outputName: string;
  /** Input shape, -1 for the batch: e.g. [-1, 224, 224, 3]. */
  inputShape: number[];
  /** Output shape, -1 for the batch: e.g. [-1, 1792]. */
  outputShape: number[];
  /** Width of a rank-2 output ([n, dim]), e.g. 1792. */
  dim?: number;
  opset: number;
}

function bareOutputName(outputNode: string): string {
  const ref = parseInputRef(outputNode);
  if (ref.control || ref.output !== 0) {
    throw new ModelLoadError(`output '${outputNode}': only output 0 of a node can be the model output`);
  }
  return ref.node;
}

function onnxDims(shape: Dims, prefix: string): OnnxDim[] {
  return shape.map((d, i) => (d !== UNKNOWN ? d : i === 0 ? BATCH_DIM : `${prefix}_d${i}`));
}

/** The input placeholder's shape, with the image size filled in from the options where TF leaves it open. */
function placeholderShape(node: TfNode, options: ConvertOptions): number[] {
  const dtype = attrType(node, 'dtype', 'DT_FLOAT');
  if (dtype !== 'DT_FLOAT')
    throw new ModelLoadError(`input '${node.name}' has dtype ${dtype} (expected DT_FLOAT)`);
  const shape = attrShape(node, 'shape');
  if (shape === undefined) throw new ModelLoadError(`input '${node.name}' has no known rank`);
  if (shape.length !== 4) return shape;
  const side = (axis: 1 | 2, given: number | undefined, what: string): number => {
    const declared = shape[axis] as number;
    if (given !== undefined && (!Number.isInteger(given) || given < 1)) {
      throw new RangeError(`${what} must be a positive integer, got ${given}`);
    }
    if (declared !== UNKNOWN && given !== undefined && given !== declared) {
      throw new ModelLoadError(`input '${node.name}' has ${what} ${declared}, not ${given}`);
    }
    return declared !== UNKNOWN ? declared : (given ?? UNKNOWN);
  };
  if (shape[3] === UNKNOWN) throw new ModelLoadError(`input '${node.name}' has an unknown channel count`);
  return [
    shape[0] as number,
    side(1, options.inputHeight, 'inputHeight'),
    side(2, options.inputWidth, 'inputWidth'),
    shape[3] as number,
  ];
}

function refuseUnsupported(nodes: readonly TfNode[]): void {
  const unsupported = nodes.filter(
    (n) => n.op !== 'Placeholder' && n.op !== 'Const' && !OP_CONVERTERS.has(n.op),
  );
  const first = unsupported[0];
  if (first === undefined) return;
  const others = [...new Set(unsupported.map((n) => n.op))].filter((op) => op !== first.op);
  throw new UnsupportedOpError(
    first.op,
    first.name,
    others.length === 0
      ? 'the op is not supported'
      : `the op is not supported (nor are ${others.map((o) => `'${o}'`).join(', ')}, also in the graph)`,
  );
}

/**
 * Converts a TF.js graph model (GraphDef JSON + weights) to an ONNX model that computes `outputNode` from the
 * same input as TF.js: NHWC float32 with a dynamic batch. Internally the model is NCHW (one Transpose after
 * the input); only the nodes the output depends on are converted; constants become initializers (filters
 * HWIO → OIHW, depthwise HWC·M → (C·M)·1·H·W with `group`). An op it cannot translate is an
 * `UnsupportedOpError` naming the op and the node; a malformed graph a `ModelLoadError`.
 */
export async function convertGraphModelToOnnx(
  artifacts: tf.io.ModelArtifacts,
  options: ConvertOptions,
): Promise<ConvertedOnnxModel> {
  const outputName = bareOutputName(options.outputNode);
  const nodes = nodesNeededFor(graphNodes(artifacts.modelTopology), outputName);
  refuseUnsupported(nodes);
  const placeholders = nodes.filter((n) => n.op === 'Placeholder');
  const input = placeholders[0];
  if (input === undefined || placeholders.length > 1) {
    throw new ModelLoadError(
      `output '${outputName}' depends on ${placeholders.length} graph inputs (exactly one is supported)`,
    );
  }
  const constNames = new Set(nodes.filter((n) => n.op === 'Const').map((n) => n.name));
  const constants = await decodeConstants(artifacts, constNames);

  const builder = new GraphBuilder();
  const inputName = builder.reserve(input.name);
  if (outputName === inputName) throw new ModelLoadError(`output '${outputName}' is the input itself`);
  builder.reserve(outputName);
  const ctx = new ConversionContext(builder);

  const inputShape = placeholderShape(input, options);
  for (const node of nodes) {
    let value: Value;
    if (node.op === 'Placeholder') {
      builder.addInput(inputName, 'float32', onnxDims(inputShape, inputName));
      value = ctx.fromPlain(inputName, inputShape, inputName);
    } else if (node.op === 'Const') {
      const constant: ConstValue | undefined = constants.get(node.name);
      if (constant === undefined) throw new ModelLoadError(`constant '${node.name}' has no weight data`);
      value = constant;
    } else {
      value = (OP_CONVERTERS.get(node.op) as NonNullable<ReturnType<typeof OP_CONVERTERS.get>>)(ctx, node);
    }
    ctx.set(node, value);
  }

  const result = ctx.value(outputName);
  if (result.kind === 'const') throw new ModelLoadError(`output '${outputName}' is a constant`);
  // Back to TF's layout (NHWC for a rank-4 output), under the output's own name.
  builder.addNodeWithOutputs('Identity', [ctx.plain(result, outputName)], [outputName]);
  builder.addOutput(outputName, result.dtype, onnxDims(result.shape, outputName));

  const bytes = builder.build({
    graphName: input.name === 'input' ? 'lookalike' : `lookalike/${input.name}`,
    opset: ONNX_OPSET,
    irVersion: ONNX_IR_VERSION,
    producerVersion: CONVERTER_VERSION,
    docString: `Converted from a TF.js graph model by @lookalike/vision; output: ${outputName}`,
  });
  const outputShape = [...result.shape];
  const dim = outputShape.length === 2 && (outputShape[1] as number) > 0 ? outputShape[1] : undefined;
  return {
    bytes,
    inputName,
    outputName,
    inputShape,
    outputShape,
    opset: ONNX_OPSET,
    ...(dim === undefined ? {} : { dim }),
  };
}
