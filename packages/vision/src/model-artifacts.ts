import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { errorMessage, ModelLoadError } from './errors';
import type { ModelSource } from './model-source';

type WeightsManifestEntry = tf.io.WeightsManifestEntry;

/** A graph model's artifacts, read into memory, with a content hash. */
export interface LoadedModelArtifacts {
  /** Topology, weight specs and all weight bytes in one buffer: ready for `tf.io.fromMemory`. */
  artifacts: tf.io.ModelArtifacts;
  /** The concatenated weight bytes (also `artifacts.weightData`). */
  weightBytes: Uint8Array;
  /** sha256 (hex) over the canonical topology JSON, the weight specs and the weight bytes. */
  sha256: string;
  name: string;
  location: string;
}

const BYTES_PER_VALUE: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** JSON with object keys sorted, so equal content hashes equally whatever the key order in the file. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Expected byte length of the weights, or undefined when it cannot be known (string tensors). */
function expectedWeightBytes(specs: WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const per = BYTES_PER_VALUE[dtype];
    if (per === undefined) return undefined;
    total += spec.shape.reduce((a, b) => a * b, 1) * per;
  }
  return total;
}

function asModelJson(json: unknown, location: string): tf.io.ModelJSON {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelLoadError(`${location}: model.json is not an object`);
  }
  const m = json as Partial<tf.io.ModelJSON>;
  if (m.format !== undefined && m.format !== 'graph-model') {
    throw new ModelLoadError(
      // The value is not quoted: errors never echo a file's contents.
      `${location}: its format is not a TF.js graph model (expected 'graph-model')`,
    );
  }
  if (
    typeof m.modelTopology !== 'object' ||
    m.modelTopology === null ||
    !Array.isArray((m.modelTopology as { node?: unknown }).node)
  ) {
    throw new ModelLoadError(`${location}: model.json has no graph modelTopology.node list`);
  }
  if (!Array.isArray(m.weightsManifest))
    throw new ModelLoadError(`${location}: model.json has no weightsManifest`);
  for (const group of m.weightsManifest) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) {
      throw new ModelLoadError(`${location}: malformed weightsManifest group`);
    }
  }
  return m as tf.io.ModelJSON;
}

/**
 * Reads `model.json` and every weight shard it lists from a source, checks sizes, and returns in-memory
 * artifacts. Layers models are refused: only graph models (SavedModel / TF-Hub conversions) are supported.
 */
export async function loadModelArtifacts(source: ModelSource): Promise<LoadedModelArtifacts> {
  const modelJson = asModelJson(await source.readModelJson(), source.location);

  const weightSpecs: WeightsManifestEntry[] = [];
  const shards: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest) {
    for (const path of group.paths) shards.push(await source.readWeightFile(path));
    weightSpecs.push(...group.weights);
  }
  const total = shards.reduce((n, s) => n + s.byteLength, 0);
  const expected = expectedWeightBytes(weightSpecs);
  if (expected !== undefined && expected !== total) {
    throw new ModelLoadError(
      `${source.location}: weight shards hold ${total} bytes but the manifest describes ${expected}`,
    );
  }
  const weightBytes = new Uint8Array(total);
  let offset = 0;
  for (const shard of shards) {
    weightBytes.set(shard, offset);
    offset += shard.byteLength;
  }

  const hash = createHash('sha256');
  hash.update(canonicalJson(modelJson.modelTopology));
  hash.update('\0');
  hash.update(canonicalJson(weightSpecs));
  hash.update('\0');
  hash.update(weightBytes);

  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async () => [
      weightSpecs,
      weightBytes.buffer,
    ]);
  } catch (err) {
    throw new ModelLoadError(`${source.location}: invalid model artifacts: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  return { artifacts, weightBytes, sha256: hash.digest('hex'), name: source.name, location: source.location };
}
