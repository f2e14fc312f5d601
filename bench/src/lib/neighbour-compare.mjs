// Row-by-row comparison of two all-neighbours results, and the OpenBLAS kernel table.
//
// FAISS computes a query row's scores with BLAS in blocks of rows, and different kernels or
// blocks round the last bit differently, so two neighbours whose scores are that close can swap
// places. A row counts as identical when the ids match, as a near-tie swap when the ids differ
// but the score lists agree within `eps` at every position, and as a mismatch otherwise.

/**
 * a and b: { ids: Int32Array, scores: Float32Array } over the same `rows` rows of k each.
 * Returns counts, the largest |score difference| at equal positions and up to 3 example rows.
 */
import { printMarkdownTable } from './machine.mjs';

export function compareNeighbourTables(a, b, rows, k, eps) {
  if (a.ids.length !== rows * k || b.ids.length !== rows * k) throw new Error('tables of different sizes');
  let exactRows = 0;
  let nearTieRows = 0;
  let mismatchRows = 0;
  let maxScoreDiff = 0;
  const examples = [];
  for (let row = 0; row < rows; row++) {
    let sameIds = true;
    let rowMax = 0;
    for (let j = row * k; j < row * k + k; j++) {
      if (a.ids[j] !== b.ids[j]) sameIds = false;
      rowMax = Math.max(rowMax, Math.abs(a.scores[j] - b.scores[j]));
    }
    maxScoreDiff = Math.max(maxScoreDiff, rowMax);
    if (sameIds) exactRows++;
    else if (rowMax <= eps) nearTieRows++;
    else mismatchRows++;
    if (!sameIds && examples.length < 3) {
      const diff = [];
      for (let j = 0; j < k; j++) {
        const at = row * k + j;
        if (a.ids[at] !== b.ids[at])
          diff.push({ pos: j, a: [a.ids[at], a.scores[at]], b: [b.ids[at], b.scores[at]] });
      }
      examples.push({ row, diff });
    }
  }
  return {
    rows,
    exactRows,
    nearTieRows,
    mismatchRows,
    exactFraction: exactRows / rows,
    maxScoreDiff,
    scoreEps: eps,
    examples,
  };
}

/** Reads a neighbours-raw.mjs output file (ids then scores, rows x k each). */
export function rawTable(bytes, rows, k) {
  return {
    ids: new Int32Array(bytes.buffer, bytes.byteOffset, rows * k),
    scores: new Float32Array(bytes.buffer, bytes.byteOffset + rows * k * 4, rows * k),
  };
}

/** Prints one row per side: core, sgemm rate, physical line, measured wall time. */
export function printKernelTable(title, rows) {
  const header = [
    'side',
    'OpenBLAS core',
    'sgemm GFLOP/s (1 thread, best)',
    'physical line s',
    'wall s',
    'CPU s',
    'wall / physical',
  ];
  const body = rows.map((r) => [
    r.side,
    r.core,
    r.sgemmGflops.toFixed(1),
    r.physicalS.toFixed(2),
    `${r.wallS.toFixed(2)}${r.runs > 1 ? ` (mean of ${r.runs})` : ''}`,
    r.cpuS.toFixed(1),
    r.wallOverPhysical.toFixed(2),
  ]);
  printMarkdownTable(title, header, body);
}
