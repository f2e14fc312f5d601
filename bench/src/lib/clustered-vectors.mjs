// Seeded synthetic vectors for the neighbour benchmarks.
import { gaussian, mulberry32 } from './rng.mjs';

/** Clustered, seeded, L2-normalised vectors (rows × dim). */
export function generateVectors({ rows, dim, clusters, seed }) {
  const rand = mulberry32(seed);
  const gauss = gaussian(rand);
  const centers = new Float32Array(clusters * dim);
  for (let c = 0; c < clusters; c++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const v = gauss();
      centers[c * dim + j] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < dim; j++) centers[c * dim + j] /= norm;
  }
  // Within-cluster spread: noise of norm ~0.6 around unit centres, different per cluster.
  const spread = Array.from({ length: clusters }, () => (0.25 + 0.75 * rand()) * (0.6 / Math.sqrt(dim)));
  const out = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rand() * clusters);
    const s = spread[c];
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const v = centers[c * dim + j] + s * gauss();
      out[i * dim + j] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < dim; j++) out[i * dim + j] /= norm;
  }
  return out;
}
