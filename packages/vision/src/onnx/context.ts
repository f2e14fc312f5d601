import { ModelLoadError, UnsupportedOpError } from '../errors';
import { type GraphBuilder, type OnnxAttr } from './graph-builder';
import { isChannelsFirst, NCHW_TO_NHWC, NHWC_TO_NCHW, physicalAxis, transposeData } from './layout';
import { dataInputs, type TfNode } from './tf-graph';
import { type ConstValue, type Dims, sizeOf, type TensorValue, type Value } from './values';

/**
 * State of one conversion, handed to every op converter: the TF values seen so far and the ONNX graph being
 * built, plus the helpers that keep the layout rule of values.ts (rank-4 runtime tensors are NCHW).
 */
export class ConversionContext {
  private readonly values = new Map<string, Value>();
  private readonly materialised = new Map<string, string>();
  private readonly int64Cache = new Map<string, string>();
  private readonly scalarCache = new Map<number, string>();

  constructor(readonly builder: GraphBuilder) {}

  /** Records the value of node `node` (its output 0). */
  set(node: TfNode, value: Value): void {
    this.values.set(node.name, value);
  }

  /** The value of node `name` (its output 0), once converted. */
  value(name: string): Value {
    const value = this.values.get(name);
    if (value === undefined) throw new ModelLoadError(`node '${name}' has no value yet`);
    return value;
  }

  /** The value of data input `index` of `node`. */
  input(node: TfNode, index: number): Value {
    const ref = dataInputs(node)[index];
    if (ref === undefined) {
      throw new ModelLoadError(`node '${node.name}' (${node.op}) has no input ${index}`);
    }
    if (ref.output !== 0) {
      throw new UnsupportedOpError(node.op, node.name, `it reads output ${ref.output} of '${ref.node}'`);
    }
    return this.value(ref.node);
  }

  inputCount(node: TfNode): number {
    return dataInputs(node).length;
  }

  /** Input `index`, which must be a TF constant (weights, axes, shapes). */
  constInput(node: TfNode, index: number, what: string): ConstValue {
    const value = this.input(node, index);
    if (value.kind !== 'const') {
      throw new UnsupportedOpError(node.op, node.name, `its ${what} (input ${index}) must be a constant`);
    }
    return value;
  }

  /** Input `index` with a known rank in `ranks`. */
  rankedInput(node: TfNode, index: number, ranks: readonly number[]): Value {
    const value = this.input(node, index);
    if (!ranks.includes(value.shape.length)) {
      throw new UnsupportedOpError(
        node.op,
        node.name,
        `input ${index} has rank ${value.shape.length} (supported: ${ranks.join(', ')})`,
      );
    }
    return value;
  }

  /** Adds an ONNX node with one output. */
  emit(opType: string, inputs: readonly string[], base: string, attrs?: Readonly<Record<string, OnnxAttr>>) {
    return this.builder.addNode(opType, inputs, base, attrs);
  }

  /** An int64 initializer (axes, shapes, pads), shared between nodes that need the same values. */
  int64(values: readonly number[], base = 'const_i64'): string {
    const key = values.join(',');
    let name = this.int64Cache.get(key);
    if (name === undefined) {
      name = this.builder.addInitializer(
        base,
        BigInt64Array.from(values, (v) => BigInt(v)),
        [values.length],
      );
      this.int64Cache.set(key, name);
    }
    return name;
  }

  /** A float32 scalar initializer (rank 0), shared. */
  floatScalar(value: number): string {
    let name = this.scalarCache.get(value);
    if (name === undefined) {
      name = this.builder.addInitializer(`scalar_${value}`, Float32Array.of(value), []);
      this.scalarCache.set(value, name);
    }
    return name;
  }

  /**
   * A constant as an initializer, viewed as `shape` (same values, e.g. with leading 1-axes), in the ONNX layout
   * of that rank (rank 4: NCHW) or, with `logical`, in TF's axis order. Shared between its uses.
   */
  constant(value: ConstValue, shape: Dims = value.shape, logical = false): string {
    const nchw = !logical && isChannelsFirst(shape);
    const key = `${value.source}|${shape.join(',')}|${nchw ? 'nchw' : 'plain'}`;
    let name = this.materialised.get(key);
    if (name === undefined) {
      if (sizeOf(shape) !== value.data.length) {
        throw new ModelLoadError(`constant '${value.source}' cannot be viewed as [${shape.join(',')}]`);
      }
      const laid = nchw
        ? transposeData(value.data, shape, NHWC_TO_NCHW)
        : { data: value.data, shape: [...shape] };
      name = this.builder.addInitializer(nchw ? `${value.source}/nchw` : value.source, laid.data, laid.shape);
      this.materialised.set(key, name);
    }
    return name;
  }

  /** The ONNX name of a value as held in the ONNX graph (constants become initializers). */
  runtime(value: Value): string {
    return value.kind === 'const' ? this.constant(value) : value.name;
  }

  /** The ONNX name of the value in its logical (TF) axis order: a rank-4 tensor is transposed back to NHWC. */
  plain(value: Value, base: string): string {
    if (value.kind === 'const') return this.constant(value, value.shape, true);
    if (!isChannelsFirst(value.shape)) return value.name;
    return this.emit('Transpose', [value.name], `${base}/to_nhwc`, { perm: { ints: NCHW_TO_NHWC } });
  }

  /** Wraps an ONNX value held in logical axis order as a TensorValue, transposing a rank-4 one to NCHW. */
  fromPlain(name: string, shape: Dims, base: string, dtype: TensorValue['dtype'] = 'float32'): TensorValue {
    if (!isChannelsFirst(shape)) return { kind: 'tensor', name, shape, dtype };
    const nchw = this.emit('Transpose', [name], `${base}/to_nchw`, { perm: { ints: NHWC_TO_NCHW } });
    return { kind: 'tensor', name: nchw, shape, dtype };
  }

  /**
   * The ONNX name of an operand of an element-wise op whose result has rank `rank`, laid out so that ONNX's
   * NumPy broadcasting matches TF's: against a rank-4 (NCHW) result a lower-rank operand is first given
   * leading 1-axes (TF aligns trailing axes) and then laid out as NCHW, e.g. a [C] bias becomes [1, C, 1, 1].
   */
  broadcastOperand(value: Value, rank: number, base: string): string {
    const r = value.shape.length;
    if (rank !== 4 || r === 4) return this.runtime(value);
    if (r > 4) throw new ModelLoadError(`operand '${base}' has rank ${r}, above the result's ${rank}`);
    const padded = [...new Array<number>(4 - r).fill(1), ...value.shape];
    if (value.kind === 'const') {
      // A single value broadcasts the same in any layout: keep it a scalar.
      if (value.data.length === 1) return this.constant(value, []);
      return this.constant(value, padded);
    }
    const axes = Array.from({ length: 4 - r }, (_, i) => i);
    const unsqueezed = this.emit('Unsqueeze', [value.name, this.int64(axes)], `${base}/to_rank4`);
    return this.emit('Transpose', [unsqueezed], `${base}/to_nchw`, { perm: { ints: NHWC_TO_NCHW } });
  }

  /**
   * Removes size-1 axes (logical indices) from a runtime tensor; the result (rank < 4 unless the input had
   * rank 5+) is in logical order. From an NCHW tensor this is a single Squeeze when the kept axes keep their
   * order, else a Transpose to NHWC first.
   */
  squeeze(value: TensorValue, axes: readonly number[], base: string): TensorValue {
    const rank = value.shape.length;
    const drop = new Set(axes);
    const shape = value.shape.filter((_, i) => !drop.has(i));
    if (drop.size === 0) return value;
    let source = value.name;
    let physical = [...drop].sort((a, b) => a - b);
    if (isChannelsFirst(value.shape)) {
      const kept = [0, 1, 2, 3].filter((a) => !drop.has(a)).map((a) => physicalAxis(a, rank));
      const inOrder = kept.every((p, i) => i === 0 || p > (kept[i - 1] as number));
      if (inOrder) physical = physical.map((a) => physicalAxis(a, rank)).sort((a, b) => a - b);
      else source = this.plain(value, base);
    }
    const name = this.emit('Squeeze', [source, this.int64(physical)], `${base}/squeeze`);
    return this.fromPlain(name, shape, base, value.dtype);
  }
}
