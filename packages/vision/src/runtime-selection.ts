import { type Logger, silentLogger } from '@lookalike/core';
import type { BackendChoice } from './backend';
import { BackendUnavailableError, errorMessage } from './errors';
import type { GraphModelInfo } from './graph-model-info';
import type { InferenceRuntime } from './inference-runtime';
import type { LoadedModelArtifacts } from './model-artifacts';
import { buildGraphModel } from './model-loader';
import { defaultModelCacheDir, getOrConvertOnnxModel } from './onnx';
import { onnxCudaProviderInstalled } from './onnx-execution-provider';
import { type OnnxExecutionProvider, OnnxRuntime } from './onnx-runtime';
import { initTfjsBackend, type TfjsBackendInfo } from './tfjs-backend';
import { TfjsRuntime } from './tfjs-runtime';

export interface OpenRuntimeOptions {
  /** ONNX Runtime intra-op threads on CPU. */
  threads: number;
  /** Where converted ONNX models are cached. */
  modelCacheDir?: string;
  logger?: Logger;
  /** Tests: pretend the CUDA provider library is (not) installed. */
  cudaProviderInstalled?: boolean;
  /** Tests: module loader for the tfjs-node bindings. */
  requireModule?: (id: string) => unknown;
}

/** One way of running the model, tried in order until one opens. */
type Candidate = 'onnx-cuda' | 'tensorflow-gpu' | 'onnx-cpu' | 'tensorflow' | 'wasm' | 'cpu';

/**
 * The order tried for a choice. `auto`: a GPU that works (ONNX Runtime CUDA, then tfjs-node-gpu), else ONNX
 * Runtime CPU, else TF.js wasm, else the TF.js cpu backend.
 */
export function runtimeCandidates(choice: BackendChoice, cudaInstalled: boolean): Candidate[] {
  const onnx: Candidate[] = cudaInstalled ? ['onnx-cuda', 'onnx-cpu'] : ['onnx-cpu'];
  switch (choice) {
    case 'auto':
      return [
        ...(cudaInstalled ? (['onnx-cuda'] as const) : []),
        'tensorflow-gpu',
        'onnx-cpu',
        'wasm',
        'cpu',
      ];
    case 'onnx':
      return onnx;
    case 'tensorflow':
    case 'wasm':
    case 'cpu':
      return [choice];
  }
}

/** A candidate could not be used; `quiet` = a normal absence (no GPU binding installed), not worth a warning. */
class Unavailable extends Error {
  constructor(
    message: string,
    readonly quiet = false,
  ) {
    super(message);
  }
}

/** A model read into memory, ready to open: a TF.js graph model (any runtime) or an ONNX file (ONNX Runtime). */
export type ModelToRun =
  | { format: 'graph-model'; loaded: LoadedModelArtifacts; info: GraphModelInfo }
  | { format: 'onnx'; bytes: Uint8Array; location: string; outputName?: string };

/**
 * Opens the model on the first runtime of the choice's order that works and logs which one and why. An explicit
 * choice that cannot start throws `BackendUnavailableError` with each reason.
 */
export async function openRuntime(
  model: ModelToRun,
  choice: BackendChoice,
  options: OpenRuntimeOptions,
): Promise<InferenceRuntime> {
  const logger = options.logger ?? silentLogger;
  const cudaInstalled = options.cudaProviderInstalled ?? onnxCudaProviderInstalled();
  const reasons: string[] = [];
  if (!cudaInstalled)
    reasons.push('onnx-cuda: the CUDA execution provider of onnxruntime-node is not installed');
  for (const candidate of runtimeCandidates(choice, cudaInstalled)) {
    try {
      const runtime = await open(candidate, model, options, logger);
      logger.info(
        {
          backend: runtime.backend,
          provider: runtime.provider,
          gpu: runtime.gpu,
          requested: choice,
          ...(reasons.length > 0 ? { skipped: reasons } : {}),
        },
        `inference runtime ${candidate} selected`,
      );
      return runtime;
    } catch (err) {
      const quiet = err instanceof Unavailable && err.quiet;
      const reason = `${candidate}: ${errorMessage(err)}`;
      reasons.push(reason);
      if (!quiet)
        logger.warn(
          { candidate, reason: errorMessage(err) },
          'inference runtime unavailable, trying the next',
        );
    }
  }
  throw new BackendUnavailableError(choice, `backend '${choice}' is unavailable: ${reasons.join(' | ')}`);
}

async function open(
  candidate: Candidate,
  model: ModelToRun,
  options: OpenRuntimeOptions,
  logger: Logger,
): Promise<InferenceRuntime> {
  switch (candidate) {
    case 'onnx-cuda':
    case 'onnx-cpu':
      return openOnnx(candidate === 'onnx-cuda' ? 'cuda' : 'cpu', model, options, logger);
    case 'tensorflow-gpu':
    case 'tensorflow':
    case 'wasm':
    case 'cpu':
      if (model.format === 'onnx') throw new Unavailable('an .onnx model runs only on ONNX Runtime', true);
      return openTfjs(candidate, model, options, logger);
  }
}

async function openTfjs(
  candidate: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu',
  model: Extract<ModelToRun, { format: 'graph-model' }>,
  options: OpenRuntimeOptions,
  logger: Logger,
): Promise<InferenceRuntime> {
  let info: TfjsBackendInfo;
  if (candidate === 'tensorflow-gpu') {
    info = await initTfjsBackend('tensorflow', { logger, requireModule: options.requireModule }).catch(
      (err: unknown) => {
        // tfjs-node-gpu not being installed is the normal case on CPU machines: no warning.
        throw new Unavailable(errorMessage(err), /-gpu is not installed/.test(errorMessage(err)));
      },
    );
    if (!info.gpu) throw new Unavailable(`${info.provider} sees no GPU`, true);
  } else {
    info = await initTfjsBackend(candidate, { logger, requireModule: options.requireModule });
  }
  const graph = await buildGraphModel(model.loaded);
  return new TfjsRuntime(graph, model.info.outputNode, model.info.inputHeight, model.info.inputWidth, info);
}

async function openOnnx(
  provider: OnnxExecutionProvider,
  model: ModelToRun,
  options: OpenRuntimeOptions,
  logger: Logger,
): Promise<InferenceRuntime> {
  if (model.format === 'onnx') {
    return OnnxRuntime.create({
      bytes: model.bytes,
      outputName: model.outputName,
      executionProvider: provider,
      threads: options.threads,
      location: model.location,
    });
  }
  const converted = await getOrConvertOnnxModel(model.loaded, {
    outputNode: model.info.outputNode,
    cacheDir: options.modelCacheDir ?? defaultModelCacheDir(),
    logger,
  });
  return OnnxRuntime.create({
    bytes: converted.bytes,
    inputName: converted.inputName,
    outputName: converted.outputName,
    executionProvider: provider,
    threads: options.threads,
    defaultInputSize: model.info.inputHeight,
    location: model.loaded.location,
  });
}
