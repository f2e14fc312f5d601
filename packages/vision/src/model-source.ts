/**
 * Where the files of a TF.js graph model (`model.json` and its weight shards) are read from. Every source goes
 * through the same loading code (`loadModelArtifacts`), so the bundled model is not special beyond its reader.
 */
export interface ModelSource {
  /** Human-readable origin, for logs and errors (a URL or `bundled:<name>`). */
  readonly location: string;
  /** Short name used in `modelId`, e.g. `mobilenet_v2_140_224`. */
  readonly name: string;
  /** The parsed `model.json`. */
  readModelJson(): Promise<unknown>;
  /** The bytes of one weight shard, by its path as written in the weights manifest. */
  readWeightFile(path: string): Promise<Uint8Array>;
}
