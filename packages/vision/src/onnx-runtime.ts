import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { errorMessage, ModelLoadError } from './errors';
import type { InferenceRuntime } from './inference-runtime';
import { onnxRuntimeInstall } from './onnx-execution-provider';

type Ort = typeof import('onnxruntime-node');

export type OnnxExecutionProvider = 'cuda' | 'cpu';

/**
 * Images per `session.run` on the CPU provider. MobileNetV2-1.4 on one intra-op thread is fastest per image at
 * the smallest batches (measured on a 2-core AMD EPYC, images/s at batch 1/2/4/8/16/32: 155/150/146/135/97–135/
 * 104–131: a single image's activations stay in cache), so a CPU batch runs image by image; a GPU gets it whole.
 */
export const ONNX_CPU_IMAGES_PER_RUN = 1;

/** Layout of an ONNX model's image input; the embedder always hands over NHWC. */
export type OnnxInputLayout = 'nhwc' | 'nchw';

export interface OnnxRuntimeOptions {
  /** Serialized ONNX model. */
  bytes: Uint8Array;
  /** Input to feed; default: the model's only input. */
  inputName?: string;
  /** Output that holds the embedding; default: the model's first output. */
  outputName?: string;
  executionProvider: OnnxExecutionProvider;
  /** Intra-op threads of the CPU provider (ignored on CUDA). */
  threads: number;
  /** Input size when the model leaves it open (dynamic height/width); default 224. */
  defaultInputSize?: number;
  /** For errors. */
  location: string;
}

function ort(): Ort {
  return require('onnxruntime-node') as Ort;
}

/**
 * A model on ONNX Runtime. `run` is asynchronous: inference happens on ORT's own threads, so the event loop
 * stays free (BullMQ keeps renewing locks) while a batch runs.
 */
export class OnnxRuntime implements InferenceRuntime {
  readonly backend = 'onnx' as const;
  readonly gpu: boolean;

  private constructor(
    private readonly session: InferenceSession,
    private readonly ortModule: Ort,
    readonly inputName: string,
    readonly outputName: string,
    readonly layout: OnnxInputLayout,
    readonly inputHeight: number,
    readonly inputWidth: number,
    readonly provider: string,
    executionProvider: OnnxExecutionProvider,
  ) {
    this.gpu = executionProvider === 'cuda';
  }

  static async create(options: OnnxRuntimeOptions): Promise<OnnxRuntime> {
    const m = ort();
    const threads = options.threads;
    let session: InferenceSession;
    try {
      session = await m.InferenceSession.create(options.bytes, {
        executionProviders: [options.executionProvider],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
      });
    } catch (err) {
      throw new ModelLoadError(
        `${options.location}: ONNX Runtime cannot open the model on ${options.executionProvider}: ${errorMessage(err)}`,
        { cause: err },
      );
    }
    try {
      const inputName = pick(session.inputNames, options.inputName, 'input', options.location);
      const outputName = pick(session.outputNames, options.outputName, 'output', options.location);
      const shape = inputShape(session, inputName, options.location);
      const { layout } = shape;
      const height = shape.height ?? options.defaultInputSize ?? 224;
      const width = shape.width ?? options.defaultInputSize ?? 224;
      const where =
        options.executionProvider === 'cuda'
          ? 'cuda'
          : `cpu, ${threads} intra-op thread${threads === 1 ? '' : 's'}`;
      const provider = `onnxruntime-node ${onnxRuntimeInstall().version} (${where})`;
      return new OnnxRuntime(
        session,
        m,
        inputName,
        outputName,
        layout,
        height,
        width,
        provider,
        options.executionProvider,
      );
    } catch (err) {
      await session.release().catch(() => undefined);
      throw err;
    }
  }

  async run(batch: Float32Array, n: number): Promise<Float32Array> {
    const per = this.inputHeight * this.inputWidth * 3;
    if (batch.length !== n * per)
      throw new RangeError(
        `ONNX run: expected ${n} × ${this.inputHeight}×${this.inputWidth}×3 values, got ${batch.length}`,
      );
    const step = this.gpu ? n : ONNX_CPU_IMAGES_PER_RUN;
    if (step >= n) return this.runOnce(batch, n);
    const parts: Float32Array[] = [];
    for (let start = 0; start < n; start += step) {
      const count = Math.min(step, n - start);
      parts.push(await this.runOnce(batch.subarray(start * per, (start + count) * per), count));
    }
    const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  private async runOnce(batch: Float32Array, n: number): Promise<Float32Array> {
    const height = this.inputHeight;
    const width = this.inputWidth;
    const data = this.layout === 'nchw' ? nhwcToNchw(batch, n, height, width) : batch;
    const dims = this.layout === 'nchw' ? [n, 3, height, width] : [n, height, width, 3];
    const input: OrtTensor = new this.ortModule.Tensor('float32', data, dims);
    const outputs = await this.session.run({ [this.inputName]: input }, [this.outputName]);
    const out = outputs[this.outputName];
    try {
      if (out === undefined) throw new Error(`ONNX model produced no '${this.outputName}'`);
      if (out.type !== 'float32')
        throw new Error(`ONNX output '${this.outputName}' is ${out.type}, expected float32`);
      const values = out.data as Float32Array;
      // Copy out of ORT's buffer so that releasing the tensor cannot touch what we return.
      return new Float32Array(values);
    } finally {
      input.dispose();
      for (const t of Object.values(outputs)) t.dispose();
    }
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

function pick(
  names: readonly string[],
  wanted: string | undefined,
  what: 'input' | 'output',
  location: string,
): string {
  if (wanted !== undefined) {
    if (!names.includes(wanted))
      throw new ModelLoadError(
        `${location}: the ONNX model has no ${what} '${wanted}' (it has ${names.join(', ')})`,
      );
    return wanted;
  }
  if (what === 'input' && names.length !== 1)
    throw new ModelLoadError(
      `${location}: expected an ONNX model with one image input, found ${names.length}`,
    );
  const first = names[0];
  if (first === undefined) throw new ModelLoadError(`${location}: the ONNX model declares no ${what}s`);
  return first;
}

/** Reads `[n, h, w, 3]` (NHWC) or `[n, 3, h, w]` (NCHW) from the input's metadata. */
function inputShape(
  session: InferenceSession,
  inputName: string,
  location: string,
): { layout: OnnxInputLayout; height: number | undefined; width: number | undefined } {
  const meta = session.inputMetadata.find((m) => m.name === inputName);
  if (meta === undefined || !meta.isTensor)
    throw new ModelLoadError(`${location}: input '${inputName}' is not a tensor`);
  if (meta.type !== 'float32')
    throw new ModelLoadError(`${location}: input '${inputName}' has type ${meta.type}, expected float32`);
  const shape = meta.shape;
  const fixed = (v: number | string | undefined) => (typeof v === 'number' && v > 0 ? v : undefined);
  if (shape.length === 4 && fixed(shape[3]) === 3)
    return { layout: 'nhwc', height: fixed(shape[1]), width: fixed(shape[2]) };
  if (shape.length === 4 && fixed(shape[1]) === 3)
    return { layout: 'nchw', height: fixed(shape[2]), width: fixed(shape[3]) };
  throw new ModelLoadError(
    `${location}: input '${inputName}' has shape [${shape.join(',')}], expected [n, height, width, 3] or [n, 3, height, width]`,
  );
}

function nhwcToNchw(src: Float32Array, n: number, height: number, width: number): Float32Array {
  const plane = height * width;
  const dst = new Float32Array(src.length);
  for (let b = 0; b < n; b++) {
    const base = b * plane * 3;
    for (let p = 0; p < plane; p++) {
      const s = base + p * 3;
      dst[base + p] = src[s]!;
      dst[base + plane + p] = src[s + 1]!;
      dst[base + 2 * plane + p] = src[s + 2]!;
    }
  }
  return dst;
}
