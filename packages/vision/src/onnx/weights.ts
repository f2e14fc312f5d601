import * as tf from '@tensorflow/tfjs';
import { errorMessage, ModelLoadError } from '../errors';
import type { ConstValue } from './values';

/**
 * The values of the graph's `Const` nodes named in `needed`, as float32/int32 host arrays. TF.js's own
 * `tf.io.decodeWeights` reads the weight bytes, so quantized weights (uint8/uint16/float16, value =
 * min + scale·q) come out dequantized exactly as TF.js would run them.
 */
export async function decodeConstants(
  artifacts: tf.io.ModelArtifacts,
  needed: ReadonlySet<string>,
): Promise<Map<string, ConstValue>> {
  const specs = artifacts.weightSpecs ?? [];
  if (specs.length > 0 && artifacts.weightData === undefined) {
    throw new ModelLoadError('the model artifacts have weight specs but no weight data');
  }
  await tf.ready(); // decodeWeights makes tensors on the active backend, which may initialise asynchronously
  let tensors: tf.NamedTensorMap;
  try {
    tensors = specs.length === 0 ? {} : tf.io.decodeWeights(artifacts.weightData as tf.io.WeightData, specs);
  } catch (err) {
    throw new ModelLoadError(`cannot decode the model weights: ${errorMessage(err)}`, { cause: err });
  }
  const constants = new Map<string, ConstValue>();
  try {
    for (const [name, tensor] of Object.entries(tensors)) {
      if (!needed.has(name)) continue;
      if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
        throw new ModelLoadError(
          `constant '${name}' has dtype ${tensor.dtype} (only float32 and int32 convert)`,
        );
      }
      const data = tensor.dataSync() as Float32Array | Int32Array;
      constants.set(name, {
        kind: 'const',
        dtype: tensor.dtype,
        shape: [...tensor.shape],
        data: data.slice(), // own copy: the backend may reuse the tensor's memory once disposed
        source: name,
      });
    }
  } finally {
    for (const tensor of Object.values(tensors)) tensor.dispose();
  }
  return constants;
}
