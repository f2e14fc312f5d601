// What the converter refuses, and how it says so.
import * as tf from '@tensorflow/tfjs';
import { ModelLoadError, UnsupportedOpError } from '../../src/errors';
import { convertGraphModelToOnnx } from '../../src/onnx';
import { compareRuntimes } from './compare-runtimes';
import { attr, convAttrs, TfGraphFixture } from './tf-graph-fixture';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function convGraph(padding: 'SAME' | 'VALID', inputShape: number[]): TfGraphFixture {
  const g = new TfGraphFixture();
  const x = g.placeholder('x', inputShape);
  g.op('Conv2D', 'conv', [x, g.const('w', [3, 3, 3, 4])], convAttrs(padding, [2, 2]));
  return g;
}

async function conversionError(g: TfGraphFixture, outputNode: string): Promise<unknown> {
  return convertGraphModelToOnnx(g.artifacts(), { outputNode }).then(
    () => new Error('converted'),
    (err: unknown) => err,
  );
}

describe('unsupported ops', () => {
  test('an op without a converter is an UnsupportedOpError naming the op and the node', async () => {
    const g = new TfGraphFixture();
    const x = g.placeholder('x', [-1, 8]);
    const relu = g.op('Relu', 'relu', [x]);
    g.op('Cumsum', 'model/cumulative', [relu, g.ints('axis', [], [1])], { exclusive: attr.b(false) });
    const err = await conversionError(g, 'model/cumulative');
    expect(err).toBeInstanceOf(UnsupportedOpError);
    expect(err).toMatchObject({ op: 'Cumsum', node: 'model/cumulative' });
    expect((err as Error).message).toContain("'Cumsum'");
    expect((err as Error).message).toContain("'model/cumulative'");
  });

  test('every unsupported op of the graph is named in the message', async () => {
    const g = new TfGraphFixture();
    const x = g.placeholder('x', [-1, 8]);
    const a = g.op('Cumsum', 'a', [x, g.ints('axis', [], [1])]);
    g.op('Erf', 'b', [a]);
    const err = await conversionError(g, 'b');
    expect(err).toMatchObject({ op: 'Cumsum', node: 'a' });
    expect((err as Error).message).toContain("'Erf'");
  });

  test('an unsupported op outside what the output needs (e.g. a head) does not matter', async () => {
    const g = new TfGraphFixture();
    const x = g.placeholder('x', [-1, 8]);
    const relu = g.op('Relu', 'features', [x]);
    g.op('Cumsum', 'head', [relu, g.ints('axis', [], [1])]);
    const result = await compareRuntimes(g.artifacts(), [2, 8], { outputNode: 'features' });
    expect(result.relativeError).toBeLessThanOrEqual(1e-6);
    expect(result.converted.dim).toBe(8);
  });

  test.each([
    [
      'a fused batch norm in a convolution',
      (g: TfGraphFixture, x: string) =>
        g.op('_FusedConv2D', 'n', [x, g.const('w', [1, 1, 3, 2]), g.const('s', [2]), g.const('o', [2])], {
          ...convAttrs('SAME'),
          fused_ops: attr.strings(['FusedBatchNorm', 'Relu']),
          num_args: attr.i(4),
        }),
      /fused_ops \[FusedBatchNorm, Relu\]/,
    ],
    [
      'a fused activation TF.js does not have',
      (g: TfGraphFixture, x: string) =>
        g.op('_FusedConv2D', 'n', [x, g.const('w', [1, 1, 3, 2]), g.const('b', [2])], {
          ...convAttrs('SAME'),
          fused_ops: attr.strings(['BiasAdd', 'Gelu']),
          num_args: attr.i(1),
        }),
      /fused op 'Gelu'/,
    ],
    [
      'a filter computed at run time',
      (g: TfGraphFixture, x: string) =>
        g.op('Conv2D', 'n', [x, g.op('Relu', 'w', [g.const('w0', [1, 1, 3, 2])])], convAttrs('SAME')),
      /filter \(input 1\) must be a constant/,
    ],
    [
      'NCHW data_format',
      (g: TfGraphFixture, x: string) =>
        g.op('Conv2D', 'n', [x, g.const('w', [1, 1, 3, 2])], {
          ...convAttrs('SAME'),
          data_format: attr.s('NCHW'),
        }),
      /data_format 'NCHW'/,
    ],
    [
      'SYMMETRIC MirrorPad',
      (g: TfGraphFixture, x: string) =>
        g.op('MirrorPad', 'n', [x, g.ints('p', [4, 2], [0, 0, 1, 1, 1, 1, 0, 0])], {
          mode: attr.s('SYMMETRIC'),
        }),
      /mode 'SYMMETRIC'/,
    ],
    [
      'a batch stride',
      (g: TfGraphFixture, x: string) =>
        g.op('Conv2D', 'n', [x, g.const('w', [1, 1, 3, 2])], {
          ...convAttrs('SAME'),
          strides: attr.ints([2, 1, 1, 1]),
        }),
      /strides \[2,1,1,1\]/,
    ],
  ])('%s is an UnsupportedOpError that says why', async (_what, build, detail) => {
    const g = new TfGraphFixture();
    const x = g.placeholder('x', [-1, 6, 6, 3]);
    build(g, x);
    const err = await conversionError(g, 'n');
    expect(err).toBeInstanceOf(UnsupportedOpError);
    expect((err as UnsupportedOpError).node).toBe('n');
    expect((err as Error).message).toMatch(detail);
  });
});

describe('malformed requests', () => {
  test('an output node that is not in the graph', async () => {
    const err = await conversionError(convGraph('SAME', [-1, 8, 8, 3]), 'nope');
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toMatch(/'nope' is not in the model graph/);
  });

  test('SAME padding needs the input size: refused when open, exact when given', async () => {
    const open = convGraph('SAME', [-1, -1, -1, 3]);
    const err = await conversionError(open, 'conv');
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toMatch(/SAME padding on an input of unknown size/);

    const result = await compareRuntimes(open.artifacts(), [2, 9, 8, 3], {
      outputNode: 'conv',
      inputHeight: 9,
      inputWidth: 8,
    });
    expect(result.converted.inputShape).toEqual([-1, 9, 8, 3]);
    expect(result.relativeError).toBeLessThanOrEqual(1e-4);
  });

  test('VALID padding on an open input size converts with symbolic dimensions', async () => {
    const result = await compareRuntimes(convGraph('VALID', [-1, -1, -1, 3]).artifacts(), [1, 11, 7, 3], {
      outputNode: 'conv',
    });
    expect(result.converted.inputShape).toEqual([-1, -1, -1, 3]);
    expect(result.onnxShape).toEqual([1, 5, 3, 4]);
    expect(result.relativeError).toBeLessThanOrEqual(1e-4);
  });

  test('an input size that contradicts the graph', async () => {
    await expect(
      convertGraphModelToOnnx(convGraph('SAME', [-1, 8, 8, 3]).artifacts(), {
        outputNode: 'conv',
        inputHeight: 10,
      }),
    ).rejects.toThrow(/has inputHeight 8, not 10/);
  });
});
