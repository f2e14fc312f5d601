import type { BackendName } from './backend';

/**
 * One loaded model on one runtime: takes preprocessed images (`n × height × width × 3` float32 in [0, 1], NHWC,
 * as `rgbToFloat` writes them) and returns `n × dim` embedding values. `run` must not hold the event loop for
 * long (ONNX Runtime runs on its own threads; TF.js wasm does not, see the README).
 */
export interface InferenceRuntime {
  readonly backend: BackendName;
  /** What provides it, for logs: e.g. `onnxruntime-node 1.30.0 (cpu, 1 intra-op thread)`. */
  readonly provider: string;
  /** Whether inference runs on a GPU. */
  readonly gpu: boolean;
  /**
   * What the runtime read from the model itself, when the embedder could not know it beforehand (an `.onnx`
   * file): the input's height and width, and the output holding the embedding.
   */
  readonly inputHeight?: number;
  readonly inputWidth?: number;
  readonly outputName?: string;
  run(batch: Float32Array, n: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}
