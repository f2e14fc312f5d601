/**
 * Result of a k-nearest-neighbour search: `rows` queries x `k` results, row-major.
 * For an inner-product index `distances` are inner products (cosine similarities for
 * L2-normalised vectors), best first; `labels` are row numbers in the index (insertion
 * order), -1 where fewer than k results exist.
 */
export interface KnnResult {
  readonly rows: number;
  readonly k: number;
  readonly distances: Float32Array;
  readonly labels: Int32Array;
}
