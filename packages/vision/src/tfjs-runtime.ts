import * as tf from '@tensorflow/tfjs';
import type { InferenceRuntime } from './inference-runtime';
import type { TfjsBackendInfo } from './tfjs-backend';

/**
 * A TF.js graph model on the active TF.js backend. On `wasm` and `cpu` a model call runs on the JS thread and
 * holds the event loop for the whole batch; only the `tensorflow` (libtensorflow) backend runs elsewhere.
 */
export class TfjsRuntime implements InferenceRuntime {
  readonly backend: TfjsBackendInfo['name'];
  readonly provider: string;
  readonly gpu: boolean;

  constructor(
    private readonly graph: tf.GraphModel,
    private readonly outputNode: string,
    private readonly height: number,
    private readonly width: number,
    info: TfjsBackendInfo,
  ) {
    this.backend = info.name;
    this.provider = info.provider;
    this.gpu = info.gpu;
  }

  async run(batch: Float32Array, n: number): Promise<Float32Array> {
    const out = tf.tidy(() => {
      const x = tf.tensor4d(batch, [n, this.height, this.width, 3], 'float32');
      const y = this.graph.execute(x, this.outputNode);
      if (Array.isArray(y)) throw new Error(`output node '${this.outputNode}' yielded several tensors`);
      return y.reshape([n, -1]);
    });
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }

  dispose(): Promise<void> {
    this.graph.dispose();
    return Promise.resolve();
  }
}
