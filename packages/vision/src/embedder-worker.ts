// Entry point of one EmbedderPool worker thread: one TF.js instance (own wasm module) and one Embedder.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Embedder, type EmbedderOptions, type EmbedResult } from './embedder';

/** What a pool passes to each worker (must survive structured clone: no logger, no functions). */
export type WorkerEmbedderOptions = Omit<EmbedderOptions, 'logger' | 'fetch'>;

export interface EmbedderWorkerData {
  lookalikeEmbedderWorker: true;
  options: WorkerEmbedderOptions;
}

export type WorkerRequest = { type: 'embed'; id: number; images: Uint8Array[] };

export type WorkerResponse =
  | {
      type: 'ready';
      dim: number;
      modelId: string;
      backend: string;
      batchSize: number;
      inputHeight: number;
      inputWidth: number;
      outputNode: string;
      modelSha256: string;
    }
  | { type: 'result'; id: number; result: EmbedResult }
  | { type: 'error'; id?: number; name: string; message: string };

function describe(err: unknown): { name: string; message: string } {
  return err instanceof Error
    ? { name: err.name, message: err.message }
    : { name: 'Error', message: String(err) };
}

async function main(port: NonNullable<typeof parentPort>, data: EmbedderWorkerData): Promise<void> {
  let embedder: Embedder;
  try {
    embedder = await Embedder.create(data.options);
  } catch (err) {
    port.postMessage({ type: 'error', ...describe(err) } satisfies WorkerResponse);
    port.close();
    return;
  }
  const { dim, modelId, backend, batchSize, inputHeight, inputWidth, outputNode, modelSha256 } = embedder;
  port.postMessage({
    type: 'ready',
    dim,
    modelId,
    backend,
    batchSize,
    inputHeight,
    inputWidth,
    outputNode,
    modelSha256,
  } satisfies WorkerResponse);

  // Requests are handled one at a time, in order.
  let queue = Promise.resolve();
  port.on('message', (msg: WorkerRequest) => {
    queue = queue.then(async () => {
      try {
        const result = await embedder.embed(msg.images);
        port.postMessage({ type: 'result', id: msg.id, result } satisfies WorkerResponse, [
          result.vectors.buffer as ArrayBuffer,
        ]);
      } catch (err) {
        port.postMessage({ type: 'error', id: msg.id, ...describe(err) } satisfies WorkerResponse);
      }
    });
  });
}

const data = workerData as Partial<EmbedderWorkerData> | undefined;
if (!isMainThread && parentPort && data?.lookalikeEmbedderWorker === true) {
  void main(parentPort, data as EmbedderWorkerData);
}
