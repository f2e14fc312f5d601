import { createHash } from 'node:crypto';
import { type Logger, silentLogger } from '@lookalike/core';
import type { BackendChoice, BackendName } from './backend';
import { errorMessage, ImageDecodeError, type ImageDecodeReason, ModelLoadError } from './errors';
import { describeGraphModel } from './graph-model-info';
import type { InferenceRuntime } from './inference-runtime';
import { loadModelArtifacts } from './model-artifacts';
import { createModelSource } from './model-loader';
import { DEFAULT_MODEL } from './model-spec';
import {
  decodeToRgb,
  preprocessVersion,
  type PaddingMode,
  type PreprocessOptions,
  resolvePreprocessOptions,
  rgbToFloat,
} from './preprocess';
import { type ModelToRun, openRuntime } from './runtime-selection';

export interface EmbedderOptions {
  /**
   * Model spec: `bundled:mobilenet_v2_140_224` (default), a TF.js graph model (`file://…/model.json` or
   * `http(s)://…/model.json`) or an ONNX file (`file://…/model.onnx`, `https://…/model.onnx`).
   */
  model?: string;
  /** Node (TF.js graph) or output name (ONNX file) holding the embedding (see `LoadModelOptions.outputNode`). */
  outputNode?: string;
  /** Name used in `modelId` for URL models (default: the model directory's or file's name). */
  modelName?: string;
  /** Inference runtime (default `auto`: a working GPU, then ONNX Runtime CPU, then TF.js wasm, then cpu). */
  backend?: BackendChoice;
  /** Images per model call (default 16). */
  batchSize?: number;
  /** ONNX Runtime intra-op threads on CPU (default 1: the best images/s per core measured on 2-core boxes). */
  threads?: number;
  /** Cache folder of converted ONNX models (default `defaultModelCacheDir()`). */
  modelCacheDir?: string;
  /** Decoding limits and strictness; the output size always follows the model input. */
  preprocess?: Partial<Omit<PreprocessOptions, 'width' | 'height'>>;
  /** For `http(s)://` models. */
  fetch?: typeof fetch;
  timeoutMs?: number;
  logger?: Logger;
  /** Tests: pretend the ONNX CUDA provider is (not) installed, and replace the tfjs-node module loader. */
  cudaProviderInstalled?: boolean;
  requireModule?: (id: string) => unknown;
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

/** A model read into memory and described: what every runtime needs to open it. */
interface ResolvedModel {
  toRun: ModelToRun;
  name: string;
  /** sha256 of the model itself (TF.js: topology + weights; ONNX: the file's bytes). */
  sha256: string;
  outputNode: string | undefined;
  inputHeight: number | undefined;
  inputWidth: number | undefined;
}

async function resolveModel(options: EmbedderOptions): Promise<ResolvedModel> {
  const source = createModelSource(options.model ?? DEFAULT_MODEL, {
    name: options.modelName,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
  });
  if (source.format === 'onnx') {
    const bytes = await source.readOnnxModel();
    return {
      toRun: { format: 'onnx', bytes, location: source.location, outputName: options.outputNode },
      name: source.name,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      outputNode: options.outputNode,
      inputHeight: undefined,
      inputWidth: undefined,
    };
  }
  const loaded = await loadModelArtifacts(source);
  const info = describeGraphModel(loaded.artifacts.modelTopology, source.location, {
    outputNode: options.outputNode,
  });
  return {
    toRun: { format: 'graph-model', loaded, info },
    name: source.name,
    sha256: loaded.sha256,
    outputNode: info.outputNode,
    inputHeight: info.inputHeight,
    inputWidth: info.inputWidth,
  };
}

/**
 * Turns image bytes into embedding vectors (default model: MobileNetV2-1.4 224, 1792-d) on ONNX Runtime or TF.js.
 * A bad image never fails a call: it is reported in `failures` and the others are embedded.
 */
export class Embedder {
  /** Vector length (1792 for the default model). */
  readonly dim: number;
  /**
   * Stable id for cache keys: `<model name>-<12 hex>`, the hash covering the model (topology and weights, or the
   * ONNX file), the output, the input size and the preprocessing version — not the runtime: every runtime gives
   * the same vectors to float rounding (cosine ≥ 0.9999, see the README), so they share cache entries.
   */
  readonly modelId: string;
  readonly backend: BackendName;
  /** What runs the model, e.g. `onnxruntime-node 1.30.0 (cpu, 1 intra-op thread)`. */
  readonly provider: string;
  readonly gpu: boolean;
  readonly batchSize: number;
  readonly inputHeight: number;
  readonly inputWidth: number;
  readonly outputNode: string;
  /** Full sha256 of the model. */
  readonly modelSha256: string;
  /** How letterboxed sides are filled (part of `modelId`). */
  readonly padding: PaddingMode;

  private disposed = false;
  /** The model runs one batch at a time; calls of `embed` that overlap decode while they wait their turn. */
  private inference: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly runtime: InferenceRuntime,
    model: ResolvedModel & { inputHeight: number; inputWidth: number; outputNode: string },
    dim: number,
    batchSize: number,
    private readonly preprocess: PreprocessOptions,
    private readonly logger: Logger,
  ) {
    this.padding = preprocess.padding;
    this.dim = dim;
    this.backend = runtime.backend;
    this.provider = runtime.provider;
    this.gpu = runtime.gpu;
    this.batchSize = batchSize;
    this.inputHeight = model.inputHeight;
    this.inputWidth = model.inputWidth;
    this.outputNode = model.outputNode;
    this.modelSha256 = model.sha256;
    const id = createHash('sha256')
      .update(
        [
          model.sha256,
          model.outputNode,
          `${model.inputHeight}x${model.inputWidth}`,
          preprocessVersion(preprocess),
        ].join('\n'),
      )
      .digest('hex');
    this.modelId = `${model.name}-${id.slice(0, 12)}`;
  }

  /** Reads the model, opens it on the chosen runtime and runs one warm-up inference (which also measures `dim`). */
  static async create(options: EmbedderOptions = {}): Promise<Embedder> {
    const logger = options.logger ?? silentLogger;
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1)
      throw new RangeError(`threads must be a positive integer, got ${threads}`);
    const model = await resolveModel(options);
    const runtime = await openRuntime(model.toRun, options.backend ?? 'auto', {
      threads,
      modelCacheDir: options.modelCacheDir,
      logger,
      cudaProviderInstalled: options.cudaProviderInstalled,
      requireModule: options.requireModule,
    });
    try {
      const inputHeight = model.inputHeight ?? runtime.inputHeight ?? 224;
      const inputWidth = model.inputWidth ?? runtime.inputWidth ?? 224;
      const outputNode = model.outputNode ?? runtime.outputName ?? 'output';
      const preprocess = resolvePreprocessOptions({
        ...options.preprocess,
        width: inputWidth,
        height: inputHeight,
      });
      const probe = await runtime.run(new Float32Array(inputHeight * inputWidth * 3), 1);
      if (probe.length < 1) throw new ModelLoadError(`output '${outputNode}' yields an empty vector`);
      const resolved = { ...model, inputHeight, inputWidth, outputNode };
      const embedder = new Embedder(runtime, resolved, probe.length, batchSize, preprocess, logger);
      logger.info(
        {
          modelId: embedder.modelId,
          dim: embedder.dim,
          backend: runtime.backend,
          provider: runtime.provider,
          gpu: runtime.gpu,
          batchSize,
          outputNode,
        },
        'embedder ready',
      );
      return embedder;
    } catch (err) {
      await runtime.dispose().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Embeds encoded images (any format sharp reads). Images that cannot be decoded are listed in `failures`
   * with a reason; all others are embedded. Decoding of the next chunk overlaps inference of the current one, and
   * concurrent calls share the model in turn: a second call decodes its first chunk while the first one infers.
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

  /** Releases the model (a TF.js backend stays up: it is shared by the process). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.runtime.dispose();
  }

  private async run(batch: Float32Array, n: number): Promise<Float32Array> {
    const turn = this.inference.then(() => this.runtime.run(batch, n));
    this.inference = turn.catch(() => undefined);
    const out = await turn;
    if (out.length !== n * this.dim)
      throw new Error(`model output has ${out.length / n} values per image, expected ${this.dim}`);
    return out;
  }

  /** Decodes images[start, end) into one float batch; never rejects for a bad image. */
  /**
   * Decodes images[start, end) into one float batch; never rejects for a bad image. Each image is converted to
   * floats as soon as it is decoded (in its slot), so the event loop never holds a whole chunk's conversion.
   */
  private async prepare(images: readonly Uint8Array[], start: number, end: number): Promise<PreparedChunk> {
    const per = this.inputHeight * this.inputWidth * 3;
    const batch = new Float32Array((end - start) * per);
    const decoded = await Promise.all(
      images.slice(start, end).map(async (image, i) => {
        const index = start + i;
        try {
          rgbToFloat((await decodeToRgb(image, this.preprocess)).data, batch, i * per);
          return { index };
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
    decoded.forEach((d, slot) => {
      if (d.failure !== undefined) {
        failures.push(d.failure);
        return;
      }
      // Close the gaps failed images left (rare): slots move down, in order.
      if (ok.length !== slot) batch.copyWithin(ok.length * per, slot * per, (slot + 1) * per);
      ok.push(d.index);
    });
    return { batch: ok.length === end - start ? batch : batch.subarray(0, ok.length * per), ok, failures };
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('Embedder has been disposed');
  }
}
