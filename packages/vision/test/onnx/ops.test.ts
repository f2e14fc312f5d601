// Each supported TF op, on a small random graph, run by TF.js (cpu) and by onnxruntime-node on the converted
// model: the outputs must agree.
import * as tf from '@tensorflow/tfjs';
import { supportedTfOps } from '../../src/onnx';
import type { TfAttrValue } from '../../src/onnx/tf-graph';
import { compareRuntimes } from './compare-runtimes';
import { attr, convAttrs, TfGraphFixture } from './tf-graph-fixture';

const TOLERANCE = 1e-4;

interface Case {
  name: string;
  /** Builds the graph; returns the output node and the input shape to run with (batch 2). */
  build: (g: TfGraphFixture) => { out: string; input: number[] };
}

/** An NHWC image input of [n, h, w, c] with a dynamic batch. */
function image(g: TfGraphFixture, h: number, w: number, c: number): { x: string; input: number[] } {
  return { x: g.placeholder('x', [-1, h, w, c]), input: [2, h, w, c] };
}

function conv(
  name: string,
  size: [number, number],
  kernel: [number, number],
  io: [number, number],
  attrs: Record<string, TfAttrValue>,
): Case {
  return {
    name,
    build: (g) => {
      const { x, input } = image(g, size[0], size[1], io[0]);
      const w = g.const('w', [kernel[0], kernel[1], io[0], io[1]]);
      return { out: g.op('Conv2D', 'conv', [x, w], attrs), input };
    },
  };
}

function fusedConv(activation: string | undefined, extra: Record<string, TfAttrValue> = {}): Case {
  return {
    name: `_FusedConv2D BiasAdd${activation === undefined ? '' : ` + ${activation}`}`,
    build: (g) => {
      const { x, input } = image(g, 7, 6, 3);
      const w = g.const('w', [3, 3, 3, 5]);
      const bias = g.const('bias', [5]);
      const args = activation === 'Prelu' ? [bias, g.const('alpha', [5], undefined, 0, 0.5)] : [bias];
      const fused = activation === undefined ? ['BiasAdd'] : ['BiasAdd', activation];
      const out = g.op('_FusedConv2D', 'conv', [x, w, ...args], {
        ...convAttrs('SAME', [2, 2]),
        fused_ops: attr.strings(fused),
        num_args: attr.i(args.length),
        epsilon: attr.f(0),
        ...extra,
      });
      return { out, input };
    },
  };
}

function depthwise(
  name: string,
  size: [number, number],
  kernel: [number, number],
  channels: number,
  multiplier: number,
  attrs: Record<string, TfAttrValue>,
  fused?: string[],
): Case {
  return {
    name,
    build: (g) => {
      const { x, input } = image(g, size[0], size[1], channels);
      const w = g.const('w', [kernel[0], kernel[1], channels, multiplier]);
      if (fused === undefined) return { out: g.op('DepthwiseConv2dNative', 'dw', [x, w], attrs), input };
      const bias = g.const('bias', [channels * multiplier]);
      const out = g.op('FusedDepthwiseConv2dNative', 'dw', [x, w, bias], {
        ...attrs,
        fused_ops: attr.strings(fused),
        num_args: attr.i(1),
      });
      return { out, input };
    },
  };
}

/** A binary op between the image and a second operand made by `other`. */
function binary(
  op: string,
  label: string,
  other: (g: TfGraphFixture, x: string) => string,
  swap = false,
): Case {
  return {
    name: `${op} ${label}`,
    build: (g) => {
      const { x, input } = image(g, 5, 6, 4);
      const y = other(g, x);
      return { out: g.op(op, 'out', swap ? [y, x] : [x, y]), input };
    },
  };
}

/** A unary op, on an input first mapped by `prepare` (e.g. to positive values). */
function unary(
  op: string,
  attrs: Record<string, TfAttrValue> = {},
  prepare?: (g: TfGraphFixture, x: string) => string,
): Case {
  return {
    name: `${op}${Object.keys(attrs).length > 0 ? ` ${JSON.stringify(attrs)}` : ''}`,
    build: (g) => {
      const { x, input } = image(g, 4, 5, 3);
      const scaled = g.op('Mul', 'scaled', [x, g.const('three', [], [3])]);
      const source = prepare === undefined ? scaled : prepare(g, scaled);
      return { out: g.op(op, 'out', [source], attrs), input };
    },
  };
}

const positive = (g: TfGraphFixture, x: string) =>
  g.op('AddV2', 'positive', [g.op('Abs', 'abs', [x]), g.const('half', [], [0.5])]);

function pool(
  op: 'AvgPool' | 'MaxPool',
  size: [number, number],
  k: number,
  s: number,
  padding: 'SAME' | 'VALID',
): Case {
  return {
    name: `${op} ${k}x${k}/${s} ${padding} on ${size.join('x')}`,
    build: (g) => {
      const { x, input } = image(g, size[0], size[1], 3);
      const out = g.op(op, 'pool', [x], {
        ksize: attr.ints([1, k, k, 1]),
        strides: attr.ints([1, s, s, 1]),
        padding: attr.s(padding),
        data_format: attr.s('NHWC'),
      });
      return { out, input };
    },
  };
}

function reduce(op: string, axes: number[], keepDims: boolean): Case {
  return {
    name: `${op} axes [${axes.join(',')}] keep_dims=${keepDims}`,
    build: (g) => {
      const { x, input } = image(g, 4, 5, 3);
      const out = g.op(op, 'reduce', [x, g.ints('axes', [axes.length], axes)], {
        keep_dims: attr.b(keepDims),
      });
      return { out, input };
    },
  };
}

function concat(label: string, axis: number, parts: (g: TfGraphFixture, x: string) => string[]): Case {
  return {
    name: `ConcatV2 ${label} axis ${axis}`,
    build: (g) => {
      const { x, input } = image(g, 4, 5, 3);
      const inputs = parts(g, x);
      const out = g.op('ConcatV2', 'concat', [...inputs, g.ints('axis', [], [axis])], {
        N: attr.i(inputs.length),
        Tidx: attr.type('DT_INT32'),
      });
      return { out, input };
    },
  };
}

function pad(
  op: 'Pad' | 'PadV2' | 'MirrorPad',
  paddings: number[],
  extra: (g: TfGraphFixture) => string[] = () => [],
  attrs: Record<string, TfAttrValue> = {},
): Case {
  return {
    name: `${op} [${paddings.join(',')}]${attrs.mode === undefined ? '' : ' REFLECT'}`,
    build: (g) => {
      const { x, input } = image(g, 5, 4, 3);
      const out = g.op(op, 'pad', [x, g.ints('paddings', [4, 2], paddings), ...extra(g)], attrs);
      return { out, input };
    },
  };
}

function dense(label: string, fused: string[] | undefined, transposeB = false): Case {
  return {
    name: `${fused === undefined ? 'MatMul' : '_FusedMatMul'} ${label}`,
    build: (g) => {
      const x = g.placeholder('x', [-1, 6]);
      const w = g.const('w', transposeB ? [5, 6] : [6, 5]);
      const common = { transpose_a: attr.b(false), transpose_b: attr.b(transposeB) };
      if (fused === undefined) return { out: g.op('MatMul', 'mm', [x, w], common), input: [3, 6] };
      const bias = g.const('bias', [5]);
      const out = g.op('_FusedMatMul', 'mm', [x, w, bias], {
        ...common,
        fused_ops: attr.strings(fused),
        num_args: attr.i(1),
        epsilon: attr.f(0),
      });
      return { out, input: [3, 6] };
    },
  };
}

const CASES: Case[] = [
  // Conv2D: SAME on odd and even sizes, strides 1 and 2, even kernels, non-square inputs, VALID, dilations, explicit.
  conv('Conv2D 3x3 SAME stride 1 on 7x7', [7, 7], [3, 3], [3, 4], convAttrs('SAME')),
  conv('Conv2D 3x3 SAME stride 2 on 8x8 (even)', [8, 8], [3, 3], [3, 4], convAttrs('SAME', [2, 2])),
  conv('Conv2D 3x3 SAME stride 2 on 7x7 (odd)', [7, 7], [3, 3], [3, 4], convAttrs('SAME', [2, 2])),
  conv('Conv2D 2x2 SAME stride 1 on 6x5 (even kernel)', [6, 5], [2, 2], [2, 3], convAttrs('SAME')),
  conv('Conv2D 5x3 SAME strides 2,1 on 9x10', [9, 10], [5, 3], [3, 2], convAttrs('SAME', [2, 1])),
  conv('Conv2D 1x1 SAME stride 2 on 7x7', [7, 7], [1, 1], [4, 6], convAttrs('SAME', [2, 2])),
  conv('Conv2D 3x3 VALID stride 2 on 9x8', [9, 8], [3, 3], [3, 4], convAttrs('VALID', [2, 2])),
  conv('Conv2D 3x3 VALID stride 1 on 6x6', [6, 6], [3, 3], [2, 2], convAttrs('VALID')),
  conv('Conv2D 3x3 SAME dilation 2 on 9x9', [9, 9], [3, 3], [3, 4], convAttrs('SAME', [1, 1], [2, 2])),
  conv('Conv2D 3x3 VALID dilation 2 on 9x8', [9, 8], [3, 3], [2, 3], convAttrs('VALID', [1, 1], [2, 2])),
  conv(
    'Conv2D 3x3 EXPLICIT padding',
    [7, 6],
    [3, 3],
    [3, 4],
    convAttrs('EXPLICIT', [2, 2], [1, 1], { explicit_paddings: attr.ints([0, 0, 1, 2, 2, 0, 0, 0]) }),
  ),
  fusedConv(undefined),
  fusedConv('Relu'),
  fusedConv('Relu6'),
  fusedConv('Elu'),
  fusedConv('Sigmoid'),
  fusedConv('LeakyRelu', { leakyrelu_alpha: attr.f(0.3) }),
  fusedConv('Prelu'),
  // Depthwise: multipliers 1..3, strides, dilations, VALID.
  depthwise('DepthwiseConv2dNative 3x3 SAME stride 1', [7, 7], [3, 3], 4, 1, convAttrs('SAME')),
  {
    name: 'DepthwiseConv2d (the op name TF.js also accepts) multiplier 2',
    build: (g) => {
      const { x, input } = image(g, 6, 7, 3);
      return {
        out: g.op('DepthwiseConv2d', 'dw', [x, g.const('w', [3, 3, 3, 2])], convAttrs('SAME', [2, 2])),
        input,
      };
    },
  },
  depthwise(
    'DepthwiseConv2dNative 3x3 SAME stride 2 multiplier 2 on 8x8',
    [8, 8],
    [3, 3],
    3,
    2,
    convAttrs('SAME', [2, 2]),
  ),
  depthwise(
    'DepthwiseConv2dNative 5x5 SAME stride 2 on 9x9',
    [9, 9],
    [5, 5],
    3,
    1,
    convAttrs('SAME', [2, 2]),
  ),
  depthwise('DepthwiseConv2dNative 3x3 VALID multiplier 2', [6, 7], [3, 3], 2, 2, convAttrs('VALID')),
  depthwise(
    'DepthwiseConv2dNative 3x3 SAME dilation 2',
    [9, 9],
    [3, 3],
    3,
    1,
    convAttrs('SAME', [1, 1], [2, 2]),
  ),
  depthwise(
    'FusedDepthwiseConv2dNative BiasAdd + Relu6 multiplier 3',
    [7, 7],
    [3, 3],
    2,
    3,
    convAttrs('SAME', [2, 2]),
    ['BiasAdd', 'Relu6'],
  ),
  depthwise('FusedDepthwiseConv2dNative BiasAdd', [6, 6], [3, 3], 4, 1, convAttrs('SAME'), ['BiasAdd']),
  // Element-wise binary ops against channel vectors, scalars, [W, C] constants, runtime tensors of lower rank.
  ...['Add', 'AddV2', 'Sub', 'Mul', 'RealDiv', 'Div', 'Maximum', 'Minimum'].map((op) =>
    binary(op, 'with a [C] constant', (g) => g.const('c', [4], undefined, 0.5, 1.5)),
  ),
  binary('Sub', 'of a [C] constant minus x', (g) => g.const('c', [4]), true),
  binary('RealDiv', 'of a scalar by x', (g) => g.const('c', [], [0.7]), true),
  binary('Mul', 'with a scalar', (g) => g.const('c', [], [2.5])),
  binary('AddV2', 'with a [W, C] constant', (g) => g.const('c', [6, 4])),
  binary('Mul', 'with a [1, H, 1, C] constant', (g) => g.const('c', [1, 5, 1, 4])),
  binary('AddV2', 'with a [H, W, C] constant', (g) => g.const('c', [5, 6, 4])),
  binary('Mul', 'with a [1, 1, 1, C] constant', (g) => g.const('c', [1, 1, 1, 4])),
  binary('AddV2', 'with a runtime tensor of the same shape', (g, x) => g.op('Relu', 'r', [x])),
  binary('Mul', 'with a runtime [N, 1, 1, C] tensor (squeeze-excite)', (g, x) =>
    g.op('Sigmoid', 'gate', [
      g.op('Mean', 'se', [x, g.ints('axes', [2], [1, 2])], { keep_dims: attr.b(true) }),
    ]),
  ),
  binary('Sub', 'with a runtime [C] tensor', (g, x) =>
    g.op('Mean', 'm', [x, g.ints('axes', [3], [0, 1, 2])], { keep_dims: attr.b(false) }),
  ),
  binary('Pow', 'with a scalar exponent', (g) => g.const('c', [], [3])),
  binary('SquaredDifference', 'with a [C] constant', (g) => g.const('c', [4])),
  binary('BiasAdd', 'of a [C] bias', (g) => g.const('c', [4])),
  {
    name: 'BiasAdd on a rank-2 tensor',
    build: (g) => ({
      out: g.op('BiasAdd', 'out', [g.placeholder('x', [-1, 5]), g.const('b', [5])]),
      input: [3, 5],
    }),
  },
  {
    name: 'AddN of three tensors',
    build: (g) => {
      const { x, input } = image(g, 4, 4, 3);
      return {
        out: g.op('AddN', 'sum', [x, g.op('Relu', 'r', [x]), g.op('Neg', 'n', [x])], { N: attr.i(3) }),
        input,
      };
    },
  },
  {
    name: 'Swish pattern x · sigmoid(x) and hard-swish x · relu6(x + 3) / 6',
    build: (g) => {
      const { x, input } = image(g, 4, 4, 3);
      const swish = g.op('Mul', 'swish', [x, g.op('Sigmoid', 'sig', [x])]);
      const shifted = g.op('AddV2', 'plus3', [swish, g.const('three', [], [3])]);
      const relu6 = g.op('Relu6', 'r6', [shifted]);
      const out = g.op('Mul', 'hswish', [swish, g.op('RealDiv', 'div6', [relu6, g.const('six', [], [6])])]);
      return { out, input };
    },
  },
  // Element-wise unary ops.
  unary('Relu'),
  unary('Relu6'),
  unary('Elu'),
  unary('Selu'),
  unary('Sigmoid'),
  unary('Tanh'),
  unary('Softplus'),
  unary('LeakyRelu', { alpha: attr.f(0.1) }),
  unary('Abs'),
  unary('Neg'),
  unary('Exp'),
  unary('Square'),
  unary('Sqrt', {}, positive),
  unary('Rsqrt', {}, positive),
  unary('Log', {}, positive),
  unary('Reciprocal', {}, positive),
  {
    name: 'Prelu with a [C] alpha',
    build: (g) => {
      const { x, input } = image(g, 4, 5, 3);
      return { out: g.op('Prelu', 'out', [x, g.const('alpha', [3], undefined, 0, 0.5)]), input };
    },
  },
  {
    name: 'Identity, StopGradient and Snapshot',
    build: (g) => {
      const { x, input } = image(g, 3, 3, 2);
      const r = g.op('Relu', 'r', [g.op('Identity', 'id', [x])]);
      return { out: g.op('Snapshot', 'snap', [g.op('StopGradient', 'sg', [r])]), input };
    },
  },
  // Pooling.
  pool('AvgPool', [7, 7], 3, 2, 'SAME'),
  pool('AvgPool', [8, 8], 3, 2, 'SAME'),
  pool('AvgPool', [8, 8], 2, 2, 'VALID'),
  pool('AvgPool', [7, 7], 7, 1, 'VALID'),
  pool('MaxPool', [8, 8], 3, 2, 'SAME'),
  pool('MaxPool', [7, 6], 2, 2, 'VALID'),
  pool('MaxPool', [5, 5], 5, 1, 'VALID'),
  // Reductions (spatial means become global pools; the others keep or drop axes across the NCHW layout).
  reduce('Mean', [1, 2], true),
  reduce('Mean', [1, 2], false),
  reduce('Mean', [3], false),
  reduce('Mean', [-1], true),
  reduce('Mean', [2], false),
  reduce('Sum', [1], false),
  reduce('Sum', [1, 2], true),
  reduce('Max', [1, 2], false),
  reduce('Max', [3], true),
  reduce('Min', [2, 3], false),
  // Squeeze / Reshape / ExpandDims.
  {
    name: 'AvgPool 7x7 then Squeeze [1, 2] (the feature-vector head)',
    build: (g) => {
      const { x, input } = image(g, 7, 7, 5);
      const p = g.op('AvgPool', 'pool', [x], {
        ksize: attr.ints([1, 7, 7, 1]),
        strides: attr.ints([1, 1, 1, 1]),
        padding: attr.s('VALID'),
        data_format: attr.s('NHWC'),
      });
      return { out: g.op('Squeeze', 'squeeze', [p], { squeeze_dims: attr.ints([1, 2]) }), input };
    },
  },
  {
    name: 'Squeeze without axes',
    build: (g) => {
      const { x, input } = image(g, 1, 1, 4);
      return { out: g.op('Squeeze', 'squeeze', [x], { axis: attr.ints([]) }), input };
    },
  },
  {
    name: 'Squeeze [2] across the channel order',
    build: (g) => {
      const { x, input } = image(g, 3, 1, 4);
      return { out: g.op('Squeeze', 'squeeze', [x], { squeeze_dims: attr.ints([2]) }), input };
    },
  },
  {
    name: 'Reshape [N, H, W, C] → [-1, H·W·C] (flatten in NHWC order)',
    build: (g) => {
      const { x, input } = image(g, 3, 4, 5);
      return { out: g.op('Reshape', 'flat', [x, g.ints('shape', [2], [-1, 60])]), input };
    },
  },
  {
    name: 'Reshape [N, K] → [-1, 1, 1, K] then Conv2D',
    build: (g) => {
      const x = g.placeholder('x', [-1, 6]);
      const r = g.op('Reshape', 'r', [x, g.ints('shape', [4], [-1, 1, 1, 6])]);
      const out = g.op('Conv2D', 'conv', [r, g.const('w', [1, 1, 6, 4])], convAttrs('SAME'));
      return { out, input: [3, 6] };
    },
  },
  {
    name: 'ExpandDims rank 3 → rank 4',
    build: (g) => {
      const { x, input } = image(g, 4, 5, 3);
      const m = g.op('Mean', 'm', [x, g.ints('axes', [1], [1])], { keep_dims: attr.b(false) });
      const e = g.op('ExpandDims', 'e', [m, g.ints('axis', [], [-2])]);
      return {
        out: g.op('MaxPool', 'pool', [e], {
          ksize: attr.ints([1, 2, 1, 1]),
          strides: attr.ints([1, 2, 1, 1]),
          padding: attr.s('SAME'),
        }),
        input,
      };
    },
  },
  // Dense layers and softmax.
  dense('plain', undefined),
  dense('transpose_b', undefined, true),
  dense('BiasAdd', ['BiasAdd']),
  dense('BiasAdd + Relu', ['BiasAdd', 'Relu']),
  dense('BiasAdd + Sigmoid, transpose_b', ['BiasAdd', 'Sigmoid'], true),
  {
    name: 'Softmax on a rank-2 tensor',
    build: (g) => ({ out: g.op('Softmax', 'sm', [g.placeholder('x', [-1, 7])]), input: [3, 7] }),
  },
  {
    name: 'Softmax over the channels of a rank-4 tensor',
    build: (g) => {
      const { x, input } = image(g, 3, 4, 5);
      return { out: g.op('Softmax', 'sm', [x]), input };
    },
  },
  {
    name: 'LogSoftmax on a rank-2 tensor',
    build: (g) => ({ out: g.op('LogSoftmax', 'lsm', [g.placeholder('x', [-1, 7])]), input: [3, 7] }),
  },
  // Concatenation, along channels (last and -1), height and width, with a constant part; rank 2.
  concat('channels', 3, (g, x) => [x, g.op('Relu', 'r', [x])]),
  concat('channels (negative)', -1, (g, x) => [x, g.op('Neg', 'n', [x]), x]),
  concat('height with a constant', 1, (g, x) => [x, g.const('c', [2, 4, 5, 3])]),
  concat('width', 2, (g, x) => [g.op('Relu', 'r', [x]), x]),
  {
    name: 'ConcatV2 rank 2 axis 1',
    build: (g) => {
      const x = g.placeholder('x', [-1, 4]);
      const out = g.op('ConcatV2', 'concat', [x, g.op('Tanh', 't', [x]), g.ints('axis', [], [1])], {
        N: attr.i(2),
      });
      return { out, input: [3, 4] };
    },
  },
  // Padding.
  pad('Pad', [0, 0, 1, 2, 2, 1, 0, 0]),
  pad('Pad', [0, 0, 0, 1, 1, 0, 1, 2]),
  pad('PadV2', [0, 0, 1, 1, 0, 2, 0, 0], (g) => [g.const('value', [], [0.5])]),
  pad('MirrorPad', [0, 0, 2, 1, 1, 2, 0, 0], () => [], { mode: attr.s('REFLECT') }),
  // Batch norm.
  ...['FusedBatchNorm', 'FusedBatchNormV2', 'FusedBatchNormV3'].map((op): Case => ({
    name: `${op} (inference)`,
    build: (g) => {
      const { x, input } = image(g, 4, 4, 3);
      const params = [
        g.const('scale', [3]),
        g.const('offset', [3]),
        g.const('mean', [3]),
        g.const('var', [3], undefined, 0.5, 2),
      ];
      const out = g.op(op, 'bn', [x, ...params], {
        epsilon: attr.f(0.001),
        is_training: attr.b(false),
        data_format: attr.s('NHWC'),
      });
      return { out, input };
    },
  })),
  // A small MobileNet-like stack: preprocessing, conv, depthwise, residual add, global pool, dense, softmax.
  {
    name: 'MobileNetV2-like block stack',
    build: (g) => {
      const { x, input } = image(g, 16, 15, 3);
      const scaled = g.op('Sub', 'sub', [
        g.op('Mul', 'mul', [g.const('two', [], [2]), x]),
        g.const('one', [], [1]),
      ]);
      const fusedAttrs = (ops: string[]) => ({ fused_ops: attr.strings(ops), num_args: attr.i(1) });
      const c1 = g.op('_FusedConv2D', 'c1', [scaled, g.const('w1', [3, 3, 3, 8]), g.const('b1', [8])], {
        ...convAttrs('SAME', [2, 2]),
        ...fusedAttrs(['BiasAdd', 'Relu6']),
      });
      const dw = g.op(
        'FusedDepthwiseConv2dNative',
        'dw',
        [c1, g.const('w2', [3, 3, 8, 1]), g.const('b2', [8])],
        {
          ...convAttrs('SAME'),
          ...fusedAttrs(['BiasAdd', 'Relu6']),
        },
      );
      const proj = g.op('_FusedConv2D', 'proj', [dw, g.const('w3', [1, 1, 8, 8]), g.const('b3', [8])], {
        ...convAttrs('SAME'),
        ...fusedAttrs(['BiasAdd']),
      });
      const res = g.op('AddV2', 'res', [c1, proj]);
      const pooled = g.op('Mean', 'gap', [res, g.ints('axes', [2], [1, 2])], { keep_dims: attr.b(false) });
      const logits = g.op('_FusedMatMul', 'fc', [pooled, g.const('wf', [8, 4]), g.const('bf', [4])], {
        transpose_a: attr.b(false),
        transpose_b: attr.b(false),
        ...fusedAttrs(['BiasAdd']),
      });
      return { out: g.op('Softmax', 'prob', [logits]), input };
    },
  },
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('TF.js ops → ONNX, against TF.js on small random graphs', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const g = new TfGraphFixture();
    const { out, input } = c.build(g);
    const result = await compareRuntimes(g.artifacts(), input, { outputNode: out });
    expect(result.onnxShape).toEqual(result.tfjsShape);
    expect(result.converted.outputShape).toEqual([-1, ...result.tfjsShape.slice(1)]);
    expect(result.tfjs.every(Number.isFinite)).toBe(true);
    expect(result.relativeError).toBeLessThanOrEqual(TOLERANCE);
  });
});

test('every op the converter supports is covered by a case above', () => {
  const used = new Set<string>();
  for (const c of CASES) {
    const g = new TfGraphFixture();
    c.build(g);
    for (const node of g.nodes) used.add(node.op);
  }
  expect(supportedTfOps().filter((op) => !used.has(op))).toEqual([]);
});
