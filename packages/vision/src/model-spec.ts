/** Spec of the default model: MobileNetV2-1.4 224 feature vector, bundled in nsfwjs@4.4.0. */
export const BUNDLED_MOBILENET_V2_140_224 = 'bundled:mobilenet_v2_140_224';

/** The model `Embedder.create` uses when none is given. */
export const DEFAULT_MODEL = BUNDLED_MOBILENET_V2_140_224;

/** Default output: the node whose name ends with this (TF-Hub feature-vector graphs; 1792-d for MobileNetV2-1.4). */
export const FEATURE_VECTOR_NODE_SUFFIX = 'feature_vector/SpatialSqueeze';

export type ModelSpecKind = 'bundled' | 'file' | 'http';

/**
 * Classifies a model spec: `bundled:<name>`, a `file://` URL (a plain filesystem path is accepted too) or an
 * `http(s)://` URL. A URL may name `model.json` itself or the directory that holds it.
 */
export function modelSpecKind(spec: string): ModelSpecKind {
  if (spec.startsWith('bundled:')) return 'bundled';
  if (/^https?:\/\//i.test(spec)) return 'http';
  if (/^file:\/\//i.test(spec)) return 'file';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) throw new TypeError(`unsupported model URL scheme: ${spec}`);
  return 'file';
}
