import { type Logger, silentLogger } from '@lookalike/core';
import * as tf from '@tensorflow/tfjs';
import { BundledModelSource } from './bundled-model-source';
import { errorMessage, ModelLoadError } from './errors';
import { loadModelArtifacts } from './model-artifacts';
import type { ModelSource } from './model-source';
import { DEFAULT_MODEL, FEATURE_VECTOR_NODE_SUFFIX, modelSpecKind } from './model-spec';
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

function bareName(node: string): string {
  return node.replace(/:\d+$/, '');
}

function resolveOutputNode(
  graphNodes: readonly string[],
  modelOutputs: readonly string[],
  requested: string | undefined,
): string {
  if (requested !== undefined) {
    if (!graphNodes.includes(bareName(requested)))
      throw new ModelLoadError(`output node '${requested}' is not in the model graph`);
    return requested;
  }
  const feature = graphNodes.find((n) => n.endsWith(FEATURE_VECTOR_NODE_SUFFIX));
  if (feature !== undefined) return feature;
  const first = modelOutputs[0];
  if (first === undefined)
    throw new ModelLoadError('the model declares no outputs; name one with outputNode');
  return first;
}

function resolveInputSize(
  graph: tf.GraphModel,
  location: string,
  fallback: number,
): { inputNode: string; height: number; width: number } {
  const inputs = graph.inputs;
  const input = inputs[0];
  if (inputs.length !== 1 || input === undefined) {
    throw new ModelLoadError(
      `${location}: expected a model with one image input, found ${inputs.length} inputs`,
    );
  }
  const shape = input.shape;
  if (
    shape !== undefined &&
    (shape.length !== 4 || (shape[3] !== undefined && shape[3] > 0 && shape[3] !== 3))
  ) {
    throw new ModelLoadError(
      `${location}: input '${input.name}' has shape [${shape.join(',')}], expected [n, height, width, 3]`,
    );
  }
  if (input.dtype !== 'float32') {
    throw new ModelLoadError(`${location}: input '${input.name}' has dtype ${input.dtype}, expected float32`);
  }
  const side = (v: number | undefined) => (v !== undefined && v > 0 ? v : fallback);
  return { inputNode: input.name, height: side(shape?.[1]), width: side(shape?.[2]) };
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

  let graph: tf.GraphModel;
  try {
    graph = await tf.loadGraphModel(tf.io.fromMemory(loaded.artifacts));
  } catch (err) {
    throw new ModelLoadError(`${source.location}: cannot build the graph model: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  try {
    const topology = loaded.artifacts.modelTopology as { node: { name: string }[] };
    const outputNode = resolveOutputNode(
      topology.node.map((n) => n.name),
      graph.outputNodes,
      options.outputNode,
    );
    const { inputNode, height, width } = resolveInputSize(
      graph,
      source.location,
      options.defaultInputSize ?? 224,
    );
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
