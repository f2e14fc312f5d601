import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where onnxruntime-node keeps its native libraries, and which version it is. */
export function onnxRuntimeInstall(): { binDir: string; version: string } {
  const pkgDir = dirname(dirname(require.resolve('onnxruntime-node')));
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  return { binDir: join(pkgDir, 'bin', 'napi-v6', process.platform, process.arch), version };
}

/** The library the CUDA execution provider needs; only its install script (run where the internet is) adds it. */
export const ONNX_CUDA_PROVIDER_LIBRARY = 'libonnxruntime_providers_cuda.so';

/**
 * Whether the CUDA 12 execution provider of onnxruntime-node is installed (the GPU image runs its install script
 * with `ONNXRUNTIME_NODE_INSTALL=cuda12`). Being installed does not mean a GPU answers: the embedder still tries
 * to open a session on it and falls back when that fails.
 */
export function onnxCudaProviderInstalled(binDir: string = onnxRuntimeInstall().binDir): boolean {
  return existsSync(join(binDir, ONNX_CUDA_PROVIDER_LIBRARY));
}
