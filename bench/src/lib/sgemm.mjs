// Single-thread sgemm rate and core of the OpenBLAS that FAISS links, for a given environment:
// compiles sgemm.c (cc, -lopenblas: the same libopenblas.so.0 as the faiss-node binding) once
// into a temporary folder and runs it with that environment.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('./sgemm.c', import.meta.url));

/** 2 * 105,000^2 * 256: the multiply-adds of an exact 105k x 256 all-neighbours search, as FLOP. */
export function allPairsFlop(rows, dim) {
  return 2 * rows * rows * dim;
}

function binary() {
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `lookalike-bench-sgemm-${hash}`);
  const bin = join(dir, 'sgemm');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('cc', ['-O2', '-o', bin, SOURCE, '-lopenblas'], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return bin;
}

/**
 * Runs the sgemm probe with `env` (a whole environment; OPENBLAS_CORETYPE as the side uses it):
 * { core, config, library, gflops (median of 5 chunks), best, chunks }.
 */
export function measureSgemm(env, { seconds = 1.5 } = {}) {
  const out = execFileSync(binary(), ['1024', '4096', '256', String(seconds)], {
    env: { ...env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
    encoding: 'utf8',
  });
  const r = JSON.parse(out.trim().split('\n').pop());
  const sorted = [...r.gflops].sort((a, b) => a - b);
  return {
    core: r.core,
    config: r.config,
    library: r.library,
    gflops: sorted[Math.floor(sorted.length / 2)],
    best: sorted[sorted.length - 1],
    chunks: r.gflops,
  };
}
