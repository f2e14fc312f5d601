import { createHash } from 'node:crypto';
import { type Logger, silentLogger } from '@lookalike/core';
import * as tf from '@tensorflow/tfjs';
import { type BackendChoice, type BackendName, initBackend } from './backend';
import { errorMessage, ImageDecodeError, type ImageDecodeReason } from './errors';
import { loadModel, type LoadedModel } from './model-loader';
import { DEFAULT_MODEL } from './model-spec';
import {
  decodeToRgb,
  PREPROCESS_VERSION,
  type PreprocessOptions,
  resolvePreprocessOptions,
  rgbToFloat,
} from './preprocess';

export interface EmbedderOptions {
  /** Model spec: `bundled:mobilenet_v2_140_224` (default), a `file://` URL/path or an `http(s)://` URL. */
  model?: string;
  /** Graph node to read the embedding from (see `LoadModelOptions.outputNode`). */
  outputNode?: string;
  /** Name used in `modelId` for URL models (default: the model directory's name). */
  modelName?: string;
  /** TF.js backend (default `auto`: tensorflow → wasm → cpu). Process-wide: all embedders share it. */
  backend?: BackendChoice;
  /** Images per model call (default 16). Throughput on wasm barely depends on it; memory does. */
  batchSize?: number;
  /** Decoding limits and strictness; the output size always follows the model input. */
  preprocess?: Partial<Omit<PreprocessOptions, 'width' | 'height'>>;
  /** For `http(s)://` models. */
  fetch?: typeof fetch;
  timeoutMs?: number;
  logger?: Logger;
}

/** One input that could not be embedded; the rest of the call is unaffected. */
export interface EmbedFailure {
  /** Index in the `images` array given to `embed`. */
  index: number;
  reason: ImageDecodeReason;
  message: string;
}

export interface EmbedResult {
  /** Vector length. */
  dim: number;
  /** `ok.length × dim` values, row i is the embedding of `images[ok[i]]`. Raw model output (not normalised). */
  vectors: Float32Array;
  /** Input indices that were embedded, ascending. */
  ok: number[];
  /** Inputs that were not, ascending by index. */
  failures: EmbedFailure[];
}

interface PreparedChunk {
  batch: Float32Array;
  ok: number[];
  failures: EmbedFailure[];
}

const DEFAULT_BATCH_SIZE = 16;

/**
 * Turns image bytes into embedding vectors with a TF.js graph model (default: MobileNetV2-1.4 224, 1792-d).
 * A bad image never fails a call: it is reported in `failures` and the others are embedded.
 */
export class Embedder {
  /** Vector length (1792 for the default model). */
  readonly dim: number;
  /**
   * Stable id for cache keys: `<model name>-<12 hex>`, the hash covering the model's topology and weights, the
   * output node, the input size and the preprocessing version. Same model from any location → same hash.
   */
  readonly modelId: string;
  readonly backend: BackendName;
  readonly batchSize: number;
  readonly inputHeight: number;
  readonly inputWidth: number;
  readonly outputNode: string;
  /** Full sha256 of the model's topology and weights. */
  readonly modelSha256: string;

  private disposed = false;

  private constructor(
    private readonly model: LoadedModel,
    backend: BackendName,
    dim: number,
    batchSize: number,
    private readonly preprocess: PreprocessOptions,
    private readonly logger: Logger,
  ) {
    this.dim = dim;
    this.backend = backend;
    this.batchSize = batchSize;
    this.inputHeight = model.inputHeight;
    this.inputWidth = model.inputWidth;
    this.outputNode = model.outputNode;
    this.modelSha256 = model.sha256;
    const id = createHash('sha256')
      .update(
        [model.sha256, model.outputNode, `${model.inputHeight}x${model.inputWidth}`, PREPROCESS_VERSION].join(
          '\n',
        ),
      )
      .digest('hex');
    this.modelId = `${model.name}-${id.slice(0, 12)}`;
  }

  /** Starts the backend, loads the model and runs one warm-up inference (which also measures `dim`). */
  static async create(options: EmbedderOptions = {}): Promise<Embedder> {
    const logger = options.logger ?? silentLogger;
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    const backend = await initBackend(options.backend ?? 'auto', { logger });
    const model = await loadModel(options.model ?? DEFAULT_MODEL, {
      outputNode: options.outputNode,
      name: options.modelName,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      logger,
    });
    try {
      const preprocess = resolvePreprocessOptions({
        ...options.preprocess,
        width: model.inputWidth,
        height: model.inputHeight,
      });
      const dim = await Embedder.probeDim(model);
      const embedder = new Embedder(model, backend.name, dim, batchSize, preprocess, logger);
      logger.info(
        { modelId: embedder.modelId, dim, backend: backend.name, batchSize, outputNode: model.outputNode },
        'embedder ready',
      );
      return embedder;
    } catch (err) {
      model.graph.dispose();
      throw err;
    }
  }

  private static async probeDim(model: LoadedModel): Promise<number> {
    const out = tf.tidy(() => {
      const y = model.graph.execute(tf.zeros([1, model.inputHeight, model.inputWidth, 3]), model.outputNode);
      if (Array.isArray(y)) throw new Error('output node yielded several tensors');
      return y.reshape([1, -1]);
    });
    try {
      await out.data();
      const dim = out.shape[1];
      if (dim === undefined || dim < 1)
        throw new Error(`output node '${model.outputNode}' yields an empty vector`);
      return dim;
    } finally {
      out.dispose();
    }
  }

  /**
   * Embeds encoded images (any format sharp reads). Images that cannot be decoded are listed in `failures`
   * with a reason; all others are embedded. Decoding of the next chunk overlaps inference of the current one.
   */
  async embed(images: readonly Uint8Array[]): Promise<EmbedResult> {
    this.assertLive();
    const started = Date.now();
    const chunks: { start: number; end: number }[] = [];
    for (let start = 0; start < images.length; start += this.batchSize) {
      chunks.push({ start, end: Math.min(start + this.batchSize, images.length) });
    }
    const ok: number[] = [];
    const failures: EmbedFailure[] = [];
    const parts: Float32Array[] = [];
    let next: Promise<PreparedChunk> | undefined =
      chunks[0] && this.prepare(images, chunks[0].start, chunks[0].end);
    for (let c = 0; c < chunks.length && next !== undefined; c++) {
      const prepared: PreparedChunk = await next;
      const following = chunks[c + 1];
      next = following && this.prepare(images, following.start, following.end);
      failures.push(...prepared.failures);
      if (prepared.ok.length > 0) {
        parts.push(await this.embedPreprocessed(prepared.batch, prepared.ok.length));
        ok.push(...prepared.ok);
      }
    }
    const vectors = new Float32Array(ok.length * this.dim);
    let offset = 0;
    for (const part of parts) {
      vectors.set(part, offset);
      offset += part.length;
    }
    this.logger.debug(
      { images: images.length, ok: ok.length, failed: failures.length, ms: Date.now() - started },
      'embedded batch',
    );
    return { dim: this.dim, vectors, ok, failures };
  }

  /**
   * Runs the model on `n` already-preprocessed images: `batch` is `n × inputHeight × inputWidth × 3` float32 in
   * [0, 1], HWC (see `preprocessImage`). Returns `n × dim` values. Splits into `batchSize` model calls.
   */
  async embedPreprocessed(batch: Float32Array, n: number): Promise<Float32Array> {
    this.assertLive();
    const per = this.inputHeight * this.inputWidth * 3;
    if (!Number.isInteger(n) || n < 0 || batch.length !== n * per) {
      throw new RangeError(
        `embedPreprocessed: expected ${n} × ${per} = ${n * per} values, got ${batch.length}`,
      );
    }
    const result = new Float32Array(n * this.dim);
    for (let start = 0; start < n; start += this.batchSize) {
      const count = Math.min(this.batchSize, n - start);
      result.set(await this.run(batch.subarray(start * per, (start + count) * per), count), start * this.dim);
    }
    return result;
  }

  /** Releases the model's weights. The backend stays up (it is shared by the process). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.graph.dispose();
  }

  private async run(batch: Float32Array, n: number): Promise<Float32Array> {
    const out = tf.tidy(() => {
      const x = tf.tensor4d(batch, [n, this.inputHeight, this.inputWidth, 3], 'float32');
      const y = this.model.graph.execute(x, this.outputNode) as tf.Tensor;
      return y.reshape([n, -1]);
    });
    try {
      if (out.shape[1] !== this.dim)
        throw new Error(`model output has ${out.shape[1]} values per image, expected ${this.dim}`);
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }

  /** Decodes images[start, end) into one float batch; never rejects for a bad image. */
  private async prepare(images: readonly Uint8Array[], start: number, end: number): Promise<PreparedChunk> {
    const per = this.inputHeight * this.inputWidth * 3;
    const decoded = await Promise.all(
      images.slice(start, end).map(async (image, i) => {
        const index = start + i;
        try {
          return { index, rgb: (await decodeToRgb(image, this.preprocess)).data };
        } catch (err) {
          if (err instanceof ImageDecodeError)
            return { index, failure: { index, reason: err.reason, message: err.message } };
          // Not a decoding verdict (e.g. a libvips internal error): still only this image's problem.
          return {
            index,
            failure: {
              index,
              reason: 'corrupt' as const,
              message: `unexpected preprocessing error: ${errorMessage(err)}`,
            },
          };
        }
      }),
    );
    const ok: number[] = [];
    const failures: EmbedFailure[] = [];
    const good = decoded.filter((d) => d.rgb !== undefined).length;
    const batch = new Float32Array(good * per);
    for (const d of decoded) {
      if (d.rgb !== undefined) {
        rgbToFloat(d.rgb, batch, ok.length * per);
        ok.push(d.index);
      } else if (d.failure !== undefined) {
        failures.push(d.failure);
      }
    }
    return { batch, ok, failures };
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('Embedder has been disposed');
  }
}
