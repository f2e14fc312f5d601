import { type Logger, silentLogger } from '@lookalike/core';
import * as tf from '@tensorflow/tfjs';
import { BundledModelSource } from './bundled-model-source';
import { errorMessage, ModelLoadError } from './errors';
import { type LoadedModelArtifacts, loadModelArtifacts } from './model-artifacts';
import type { ModelSource } from './model-source';
import { describeGraphModel } from './graph-model-info';
import { DEFAULT_MODEL, modelSpecKind } from './model-spec';
import { FileModelSource, HttpModelSource, type UrlModelSourceOptions } from './url-model-source';

export interface LoadModelOptions extends UrlModelSourceOptions {
  /**
   * Graph node whose value is the embedding. Default: the node whose name ends with
   * `feature_vector/SpatialSqueeze` if the graph has one, else the model's first output.
   */
  outputNode?: string;
  /** Input side in pixels when the model's input shape leaves it open (default 224). */
  defaultInputSize?: number;
  logger?: Logger;
}

/** A graph model ready to run on the active TF.js backend. */
export interface LoadedModel {
  graph: tf.GraphModel;
  /** Short model name (e.g. `mobilenet_v2_140_224`). */
  name: string;
  /** Where it was loaded from. */
  location: string;
  /** sha256 (hex) of topology + weight specs + weights: equal for the same model wherever it is loaded from. */
  sha256: string;
  inputNode: string;
  outputNode: string;
  /** Input image height and width the model expects ([n, height, width, 3] float32 in [0, 1]). */
  inputHeight: number;
  inputWidth: number;
}

/** The reader for a model spec: `bundled:<name>`, `file://…` (or a path) or `http(s)://…`. */
export function createModelSource(spec: string, options: UrlModelSourceOptions = {}): ModelSource {
  let kind;
  try {
    kind = modelSpecKind(spec);
  } catch (err) {
    throw new ModelLoadError(errorMessage(err), { cause: err });
  }
  switch (kind) {
    case 'bundled':
      return new BundledModelSource(spec.slice('bundled:'.length));
    case 'file':
      return new FileModelSource(spec, options);
    case 'http':
      return new HttpModelSource(spec, options);
  }
}

/** Builds a TF.js graph model from artifacts in memory on the active TF.js backend. */
export async function buildGraphModel(loaded: LoadedModelArtifacts): Promise<tf.GraphModel> {
  try {
    return await tf.loadGraphModel(tf.io.fromMemory(loaded.artifacts));
  } catch (err) {
    throw new ModelLoadError(`${loaded.location}: cannot build the graph model: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

/**
 * Loads a TF.js graph model from a spec onto the active backend (call `initBackend` first). Every spec kind
 * goes through the same path: read model.json + shards into memory → `tf.io.fromMemory` → `loadGraphModel`
 * (TF.js's own `file://` loader needs tfjs-node, so it is not used).
 */
export async function loadModel(
  spec: string = DEFAULT_MODEL,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  const logger = options.logger ?? silentLogger;
  const started = Date.now();
  const source = createModelSource(spec, options);
  const loaded = await loadModelArtifacts(source);

  const graph = await buildGraphModel(loaded);
  try {
    const {
      inputNode,
      outputNode,
      inputHeight: height,
      inputWidth: width,
    } = describeGraphModel(loaded.artifacts.modelTopology, source.location, options);
    logger.info(
      {
        model: source.name,
        location: source.location,
        sha256: loaded.sha256.slice(0, 16),
        outputNode,
        input: [height, width],
        ms: Date.now() - started,
      },
      'model loaded',
    );
    return {
      graph,
      name: source.name,
      location: source.location,
      sha256: loaded.sha256,
      inputNode,
      outputNode,
      inputHeight: height,
      inputWidth: width,
    };
  } catch (err) {
    graph.dispose();
    throw err;
  }
}
