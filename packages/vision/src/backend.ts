import { BACKENDS, type BackendChoice as CoreBackendChoice } from '@lookalike/core';
import type { TfjsBackendName } from './tfjs-backend';

/**
 * An inference runtime the embedder can run on: `onnx` (ONNX Runtime: CUDA 12 when a GPU answers, else CPU),
 * or one of the TF.js backends (`tensorflow` = tfjs-node-gpu / tfjs-node, `wasm`, `cpu`).
 */
export type BackendName = 'onnx' | TfjsBackendName;

/** `auto` = a working GPU first (ONNX CUDA, then tfjs-node-gpu), then ONNX CPU, then wasm, then cpu. */
export type BackendChoice = CoreBackendChoice;

export const BACKEND_CHOICES: readonly BackendChoice[] = BACKENDS;

export function isBackendChoice(value: string): value is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(value);
}
