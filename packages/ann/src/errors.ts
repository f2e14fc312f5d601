/** Base class of every error that this package throws on purpose. */
export class AnnError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** Invalid arguments, caught in TypeScript before anything reaches native code. */
export class AnnInputError extends AnnError {}

/**
 * FAISS (or the faiss-node binding) refused an operation. The patched binding turns C++
 * exceptions into JS errors instead of aborting the process; `code` is `ERR_FAISS` for a
 * `faiss::FaissException`, `ERR_FAISS_NATIVE` for other C++ exceptions, `undefined` for a
 * binding-level argument error.
 */
export class AnnNativeError extends AnnError {
  readonly code: string | undefined;

  constructor(operation: string, cause: unknown) {
    // Not `instanceof Error`: errors made by native code belong to the main realm, which differs
    // from the caller's under jest or in a vm context.
    const fields =
      typeof cause === 'object' && cause !== null ? (cause as { message?: unknown; code?: unknown }) : {};
    const message = typeof fields.message === 'string' ? fields.message : String(cause);
    super(`${operation} failed: ${message}`, { cause });
    this.code = typeof fields.code === 'string' ? fields.code : undefined;
  }
}

/** A serialised neighbour table or index that is truncated, corrupted or of another format. */
export class AnnFormatError extends AnnError {}

/** Runs a native call, wrapping whatever it throws into an `AnnNativeError`. */
export function callNative<T>(operation: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new AnnNativeError(operation, err);
  }
}

/** Awaits a native promise, wrapping a rejection into an `AnnNativeError`. */
export async function awaitNative<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new AnnNativeError(operation, err);
  }
}
