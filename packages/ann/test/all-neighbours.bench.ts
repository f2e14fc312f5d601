// Timing, not a test: not matched by the default jest testMatch. Run it with
//   cd packages/ann && pnpm exec jest --testMatch '<rootDir>/test/*.bench.ts' [--testTimeout 600000]
// Sizes: ANN_BENCH_N (default 20000), ANN_BENCH_D (256), ANN_BENCH_K (21). Thread settings come
// from the environment (OMP_NUM_THREADS, OMP_WAIT_POLICY, OPENBLAS_NUM_THREADS).
import { FlatInnerProductIndex, allNeighbours, allNeighboursAsync, getFaissThreads, loadFaiss } from '../src';
import { randomUnitVectors } from './helpers';

const N = Number(process.env.ANN_BENCH_N ?? 20000);
const D = Number(process.env.ANN_BENCH_D ?? 256);
const K = Number(process.env.ANN_BENCH_K ?? 21);

let cpuFrom = process.cpuUsage();

/** Wall seconds since `from`, and the process CPU seconds since the previous call. */
function seconds(from: bigint): string {
  const cpu = process.cpuUsage(cpuFrom);
  cpuFrom = process.cpuUsage();
  const wall = (Number(process.hrtime.bigint() - from) / 1e9).toFixed(3);
  return `${wall} (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(3)})`;
}

it(`all-neighbours ${N} x ${D}, k=${K}`, async () => {
  const vectors = randomUnitVectors(N, D, 1);
  const lines: string[] = [];
  const env = ['OMP_NUM_THREADS', 'OMP_WAIT_POLICY', 'OPENBLAS_NUM_THREADS']
    .map((v) => `${v}=${process.env[v] ?? '-'}`)
    .join(' ');
  lines.push(`env: ${env}; omp max threads ${getFaissThreads()}`);

  let t = process.hrtime.bigint();
  cpuFrom = process.cpuUsage();
  const index = FlatInnerProductIndex.build(vectors, D);
  lines.push(`build (Float32Array, incl. NaN check): ${seconds(t)} s`);

  t = process.hrtime.bigint();
  const table = allNeighbours(index, 0, N, K);
  lines.push(`allNeighbours sync: ${seconds(t)} s`);

  t = process.hrtime.bigint();
  await allNeighboursAsync(index, 0, N, K);
  lines.push(`allNeighbours async: ${seconds(t)} s`);

  const faiss = loadFaiss();
  t = process.hrtime.bigint();
  const legacy = new faiss.IndexFlatIP(D);
  legacy.add(Array.from(vectors));
  lines.push(`legacy number[] add (Array.from + add): ${seconds(t)} s`);
  legacy.dispose();

  index.dispose();
  console.log(lines.join('\n'));
  expect(table.rows).toBe(N);
});
