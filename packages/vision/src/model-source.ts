/**
 * Where the files of a TF.js graph model (`model.json` and its weight shards) are read from. Every source goes
 * through the same loading code (`loadModelArtifacts`), so the bundled model is not special beyond its reader.
 */
export type ModelFormat = 'graph-model' | 'onnx';

export interface ModelSource {
  /** `graph-model`: `model.json` + weight shards; `onnx`: one `.onnx` file (only the `onnx` backend runs it). */
  readonly format: ModelFormat;
  /** Human-readable origin, for logs and errors (a URL or `bundled:<name>`). */
  readonly location: string;
  /** Short name used in `modelId`, e.g. `mobilenet_v2_140_224`. */
  readonly name: string;
  /** The parsed `model.json`. */
  readModelJson(): Promise<unknown>;
  /** The bytes of one weight shard, by its path as written in the weights manifest. */
  readWeightFile(path: string): Promise<Uint8Array>;
  /** The bytes of the `.onnx` file (format `onnx` only). */
  readOnnxModel(): Promise<Uint8Array>;
}
