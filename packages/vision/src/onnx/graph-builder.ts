import { endianness } from 'node:os';
import { onnx } from 'onnx-proto';

/** An ONNX node attribute, tagged with its ONNX kind (JS numbers do not tell ints from floats). */
export type OnnxAttr =
  { i: number } | { f: number } | { s: string } | { ints: readonly number[] } | { floats: readonly number[] };

export type InitializerData = Float32Array | Int32Array | BigInt64Array;

/** One dimension of a graph input/output: a size, or a symbolic name for a size known only at run time. */
export type OnnxDim = number | string;

const ELEM_TYPE = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
} as const;

export type OnnxElemType = keyof typeof ELEM_TYPE;

function elemTypeOf(data: InitializerData): number {
  if (data instanceof Float32Array) return ELEM_TYPE.float32;
  if (data instanceof Int32Array) return ELEM_TYPE.int32;
  return ELEM_TYPE.int64;
}

function attributeProto(name: string, value: OnnxAttr): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('i' in value) return { name, type: T.INT, i: value.i };
  if ('f' in value) return { name, type: T.FLOAT, f: value.f };
  if ('s' in value) return { name, type: T.STRING, s: Buffer.from(value.s, 'utf8') };
  if ('ints' in value) return { name, type: T.INTS, ints: [...value.ints] };
  return { name, type: T.FLOATS, floats: [...value.floats] };
}

function valueInfo(name: string, elemType: OnnxElemType, dims: readonly OnnxDim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM_TYPE[elemType],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface BuildOptions {
  graphName: string;
  opset: number;
  irVersion: number;
  producerVersion: string;
  docString?: string;
}

/**
 * Accumulates the nodes, initializers, inputs and outputs of one ONNX graph (in the order they are added,
 * which must be topological) and writes the ModelProto with the official onnx.proto bindings (onnx-proto).
 * Value names are made unique here.
 */
export class GraphBuilder {
  private readonly names = new Set<string>();
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];

  constructor() {
    if (endianness() !== 'LE')
      throw new Error('the ONNX writer needs a little-endian host (raw tensor data)');
  }

  /** `base` if no value has that name yet, else `base_1`, `base_2`, …; the name is then taken. */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Takes `name` exactly (graph input and output names); throws if it is taken already. */
  reserve(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX value name '${name}' is used twice`);
    this.names.add(name);
    return name;
  }

  addInput(name: string, elemType: OnnxElemType, dims: readonly OnnxDim[]): void {
    this.inputs.push(valueInfo(name, elemType, dims));
  }

  addOutput(name: string, elemType: OnnxElemType, dims: readonly OnnxDim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  /** Adds a constant tensor (row-major data of `dims`) and returns its value name. */
  addInitializer(base: string, data: InitializerData, dims: readonly number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length)
      throw new Error(`initializer '${base}': ${data.length} values for dims [${dims.join(',')}]`);
    const name = this.uniqueName(base);
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: elemTypeOf(data),
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return name;
  }

  /** Adds a node with one output, named from `base`, and returns the output's name. */
  addNode(
    opType: string,
    inputs: readonly string[],
    base: string,
    attrs: Readonly<Record<string, OnnxAttr>> = {},
  ): string {
    const output = this.uniqueName(base);
    this.addNodeWithOutputs(opType, inputs, [output], attrs);
    return output;
  }

  /** Adds a node whose outputs are already named (e.g. reserved graph outputs). */
  addNodeWithOutputs(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs: Readonly<Record<string, OnnxAttr>> = {},
  ): void {
    this.nodes.push({
      opType,
      name: `${outputs[0] ?? opType}/${opType}`,
      input: [...inputs],
      output: [...outputs],
      attribute: Object.entries(attrs).map(([k, v]) => attributeProto(k, v)),
    });
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  get initializerCount(): number {
    return this.initializers.length;
  }

  /** The serialized ModelProto. */
  build(options: BuildOptions): Uint8Array {
    const model: onnx.IModelProto = {
      irVersion: options.irVersion,
      opsetImport: [{ domain: '', version: options.opset }],
      producerName: 'lookalike',
      producerVersion: options.producerVersion,
      docString: options.docString ?? '',
      graph: {
        name: options.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return onnx.ModelProto.encode(model).finish();
  }
}
