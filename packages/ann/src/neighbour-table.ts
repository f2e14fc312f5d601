/**
 * The k nearest neighbours of rows [firstRow, firstRow + rows) of an index, row-major:
 * `ids[r * k + j]` is the j-th neighbour (an index row number) of row `firstRow + r`, with score
 * `scores[r * k + j]`, ordered by score descending then id ascending. A row never lists itself.
 */
export interface NeighbourTable {
  readonly firstRow: number;
  readonly rows: number;
  readonly k: number;
  readonly ids: Int32Array;
  readonly scores: Float32Array;
}
