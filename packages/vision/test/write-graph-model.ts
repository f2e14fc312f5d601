// Test helper: writes in-memory graph model artifacts as files, to load them back over file:// and http://.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** File name of the single weight shard `writeTfjsGraphModel` writes. */
export const EXPORTED_WEIGHTS_FILE = 'group1-shard1of1.bin';

/**
 * Writes in-memory graph model artifacts to `dir` in the TF.js converter's layout (`model.json` plus one `.bin`
 * shard), e.g. to serve or copy the bundled model. Loadable again with a `file://` or `http(s)://` model spec.
 */
export async function writeTfjsGraphModel(
  dir: string,
  artifacts: tf.io.ModelArtifacts,
): Promise<{ modelJsonPath: string }> {
  if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new TypeError('writeTfjsGraphModel needs JSON model topology');
  }
  const weightData =
    artifacts.weightData === undefined
      ? new ArrayBuffer(0)
      : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const modelJson: tf.io.ModelJSON = {
    format: artifacts.format ?? 'graph-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [EXPORTED_WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.signature !== undefined) modelJson.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata !== undefined)
    modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.modelInitializer !== undefined) modelJson.modelInitializer = artifacts.modelInitializer;
  if (artifacts.initializerSignature !== undefined)
    modelJson.initializerSignature = artifacts.initializerSignature;

  await mkdir(dir, { recursive: true });
  const modelJsonPath = join(dir, 'model.json');
  await writeFile(join(dir, EXPORTED_WEIGHTS_FILE), new Uint8Array(weightData));
  await writeFile(modelJsonPath, JSON.stringify(modelJson));
  return { modelJsonPath };
}
