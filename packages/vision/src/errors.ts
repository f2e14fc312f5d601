/** Why one input image could not be turned into model input. */
export type ImageDecodeReason = 'empty' | 'corrupt' | 'unsupported' | 'too-large';

/**
 * A single image could not be decoded or preprocessed. It concerns that image only: callers record it
 * (see `EmbedFailure`) and carry on with the rest of the batch.
 */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';

  constructor(
    readonly reason: ImageDecodeReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A model could not be located, fetched, parsed or prepared for inference. */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An explicitly requested TF.js backend cannot be used in this process. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';

  constructor(
    readonly backend: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Text of an unknown thrown value, for messages and logs. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A TF.js graph uses an op (or an op setting) that the ONNX converter cannot translate. Names the op and the
 * graph node, so that the model's author knows what to change.
 */
export class UnsupportedOpError extends Error {
  override readonly name = 'UnsupportedOpError';

  constructor(
    readonly op: string,
    readonly node: string,
    readonly detail?: string,
  ) {
    super(
      detail === undefined
        ? `cannot convert TF op '${op}' (node '${node}') to ONNX: the op is not supported`
        : `cannot convert TF op '${op}' (node '${node}') to ONNX: ${detail}`,
    );
  }
}
