import * as fs from 'node:fs';
import { types } from 'node:util';
import { AnnFormatError, AnnInputError, awaitNative, callNative } from './errors';
import type { KnnResult } from './knn-result';
import { loadFaiss, type NativeIndex } from './native';
import { assertDim, assertK, assertMatrix, assertRowRange } from './validate';

/** First four bytes of a serialised faiss::IndexFlatIP ("IxFI"). */
const FLAT_IP_FOURCC = 'IxFI';

/**
 * Exact (brute-force) inner-product index: FAISS `IndexFlatIP` through the patched faiss-node.
 * With L2-normalised vectors the scores are cosine similarities. Vectors get labels 0..ntotal-1
 * in insertion order.
 *
 * Every argument is validated here before it reaches native code; errors that FAISS still raises
 * surface as `AnnNativeError` (never a process abort). Searches are synchronous and block the
 * event loop; the `*Async` variants run on the libuv thread pool (the index cannot be modified
 * or disposed while one is pending).
 */
export class FlatInnerProductIndex {
  readonly #native: NativeIndex;
  readonly #dim: number;
  #disposed = false;

  private constructor(native: NativeIndex, dim: number) {
    this.#native = native;
    this.#dim = dim;
  }

  /** An empty index of dimension `dim`. */
  static create(dim: number): FlatInnerProductIndex {
    assertDim(dim);
    const faiss = loadFaiss();
    return new FlatInnerProductIndex(
      callNative('IndexFlatIP', () => new faiss.IndexFlatIP(dim)),
      dim,
    );
  }

  /** An index holding `vectors` (row-major n x dim Float32Array). */
  static build(vectors: Float32Array, dim: number): FlatInnerProductIndex {
    assertDim(dim);
    assertMatrix(vectors, dim, 'vectors', { allowEmpty: true });
    const index = FlatInnerProductIndex.create(dim);
    index.add(vectors);
    return index;
  }

  /** Reads an index serialised by `toBuffer()`. */
  static fromBuffer(buf: Uint8Array): FlatInnerProductIndex {
    if (!types.isUint8Array(buf)) throw new AnnInputError('fromBuffer expects a Buffer or Uint8Array');
    checkFourcc(buf.subarray(0, 4), 'buffer');
    const faiss = loadFaiss();
    const bytes = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    return FlatInnerProductIndex.wrap(callNative('fromBuffer', () => faiss.IndexFlatIP.fromBuffer(bytes)));
  }

  /** Reads an index written by `writeFile()` (FAISS's own file format). */
  static readFile(path: string): FlatInnerProductIndex {
    const head = Buffer.alloc(4);
    const fd = fs.openSync(path, 'r');
    try {
      fs.readSync(fd, head, 0, 4, 0);
    } finally {
      fs.closeSync(fd);
    }
    checkFourcc(head, path);
    const faiss = loadFaiss();
    return FlatInnerProductIndex.wrap(callNative('read', () => faiss.IndexFlatIP.read(path)));
  }

  private static wrap(native: NativeIndex): FlatInnerProductIndex {
    return new FlatInnerProductIndex(native, native.getDimension());
  }

  get dim(): number {
    return this.#dim;
  }

  /** Number of vectors in the index. */
  get ntotal(): number {
    return this.live().ntotal();
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Appends vectors (row-major n x dim); they get labels ntotal..ntotal+n-1. */
  add(vectors: Float32Array): void {
    const native = this.live();
    assertMatrix(vectors, this.#dim, 'vectors', { allowEmpty: true });
    if (vectors.length === 0) return;
    callNative('add', () => native.add(vectors));
  }

  /** The k best rows for each query (row-major n x dim; a subarray is read at its own offset). */
  search(queries: Float32Array, k: number): KnnResult {
    const native = this.live();
    const rows = this.checkSearch(queries, k);
    const res = callNative('search', () => native.search(queries, k));
    return { rows, k, distances: res.distances, labels: res.labels };
  }

  /** `search()` on the libuv thread pool; `queries` is copied before the call returns. */
  async searchAsync(queries: Float32Array, k: number): Promise<KnnResult> {
    const native = this.live();
    const rows = this.checkSearch(queries, k);
    const res = await awaitNative('searchAsync', () => native.searchAsync(queries, k));
    return { rows, k, distances: res.distances, labels: res.labels };
  }

  /** Searches with the index's own rows [start, end) as queries (read in place, no copy). */
  searchRows(start: number, end: number, k: number): KnnResult {
    const native = this.live();
    const ntotal = native.ntotal();
    assertRowRange(start, end, ntotal);
    assertK(k, ntotal);
    const res = callNative('searchRows', () => native.searchRows(start, end, k));
    return { rows: end - start, k, distances: res.distances, labels: res.labels };
  }

  /** `searchRows()` on the libuv thread pool. */
  async searchRowsAsync(start: number, end: number, k: number): Promise<KnnResult> {
    const native = this.live();
    const ntotal = native.ntotal();
    assertRowRange(start, end, ntotal);
    assertK(k, ntotal);
    const res = await awaitNative('searchRowsAsync', () => native.searchRowsAsync(start, end, k));
    return { rows: end - start, k, distances: res.distances, labels: res.labels };
  }

  /** A copy of rows [start, end) as a row-major Float32Array. */
  reconstruct(start: number, end: number): Float32Array {
    const native = this.live();
    assertRowRange(start, end, native.ntotal());
    return callNative('reconstructN', () => native.reconstructN(start, end - start));
  }

  /**
   * The index in FAISS's serialisation format. Uses the patched native `toBuffer`, which no longer
   * leaks its writer (faiss-node 0.5.1 leaked about the index size per call); peak memory is about
   * twice the index size while it runs.
   */
  toBuffer(): Buffer {
    const native = this.live();
    return callNative('toBuffer', () => native.toBuffer());
  }

  /** Writes the index to a file (FAISS format), without an intermediate buffer. */
  writeFile(path: string): void {
    const native = this.live();
    callNative('write', () => native.write(path));
  }

  /** Frees the native memory now instead of at garbage collection. Later calls throw. */
  dispose(): void {
    if (this.#disposed) return;
    callNative('dispose', () => this.#native.dispose());
    this.#disposed = true;
  }

  private live(): NativeIndex {
    if (this.#disposed) throw new AnnInputError('the index has been disposed');
    return this.#native;
  }

  private checkSearch(queries: Float32Array, k: number): number {
    const rows = assertMatrix(queries, this.#dim, 'queries', { allowEmpty: true });
    assertK(k, this.#native.ntotal());
    return rows;
  }
}

function checkFourcc(head: Uint8Array, source: string): void {
  const got = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  if (got !== FLAT_IP_FOURCC) {
    throw new AnnFormatError(
      `${source} does not hold a FAISS IndexFlatIP (expected "${FLAT_IP_FOURCC}", found ${JSON.stringify(got)})`,
    );
  }
}
