import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { BlasSelfCheckResult } from './blas-self-check';

/** What a probe child reported about one OpenBLAS core setting. */
export interface BlasProbeResult {
  /** The core OpenBLAS says it uses (its `Core: <name>` line); undefined if it said none. */
  core?: string;
  /** OpenBLAS did not know the `OPENBLAS_CORETYPE` it was given (its `Core not found` line). */
  unknownCoretype?: boolean;
  selfCheck?: BlasSelfCheckResult;
  /** Why the child gave no self-check result (exit status or signal, and its last stderr line). */
  error?: string;
  ms: number;
}

export interface BlasProbeOptions {
  /** `OPENBLAS_CORETYPE` for the child; undefined removes it, so OpenBLAS detects the core itself. */
  coretype: string | undefined;
  /** The environment the child starts from (default `process.env`); it is not modified. */
  env?: NodeJS.ProcessEnv;
  /** The child's entry script (default the compiled `blas-probe-child.js` beside this file). */
  childScript?: string;
  /** Default 60 s (a loaded machine). */
  timeoutMs?: number;
}

/** Matches OpenBLAS's own messages at `OPENBLAS_VERBOSE=2` (driver/others/dynamic.c). */
const CORE_LINE = /^Core: (\S+)\s*$/gm;
const NOT_FOUND_LINE = /^Core not found: /m;
const OPENBLAS_LINE = /^Core( not found)?: /;

/**
 * Runs the BLAS self-check in a short child process with `OPENBLAS_CORETYPE` = `coretype`, so that
 * this process's OpenBLAS is not loaded (it reads `OPENBLAS_CORETYPE` once, when it is loaded) and
 * a bad kernel cannot crash it. One thread; about 0.1-0.3 s.
 */
export function runBlasProbe(options: BlasProbeOptions): Promise<BlasProbeResult> {
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    OPENBLAS_VERBOSE: '2',
    OMP_NUM_THREADS: '1',
    OPENBLAS_NUM_THREADS: '1',
  };
  delete env.OPENBLAS_CORETYPE;
  if (options.coretype !== undefined) env.OPENBLAS_CORETYPE = options.coretype;
  const script = options.childScript ?? join(__dirname, 'blas-probe-child.js');
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script],
      { env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 1 << 20, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const ms = performance.now() - t0;
        const cores = [...stderr.matchAll(CORE_LINE)].map((m) => m[1]!);
        const result: BlasProbeResult = { ms };
        if (cores.length > 0) result.core = cores[cores.length - 1]!;
        if (NOT_FOUND_LINE.test(stderr)) result.unknownCoretype = true;
        const selfCheck = parseSelfCheck(stdout);
        if (err || selfCheck === undefined) {
          const how = err
            ? (err as { signal?: string | null }).signal
              ? `killed by ${(err as { signal?: string }).signal}`
              : `exited with ${String((err as { code?: unknown }).code ?? err.message)}`
            : 'printed no result';
          const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !OPENBLAS_LINE.test(l));
          const line = lines.find((l) => /error|failed|illegal/i.test(l)) ?? lines.pop();
          result.error = line ? `${how}: ${line.trim().slice(0, 300)}` : how;
        } else {
          result.selfCheck = selfCheck;
        }
        resolve(result);
      },
    );
  });
}

function parseSelfCheck(stdout: string): BlasSelfCheckResult | undefined {
  const line = stdout.trim().split('\n').pop();
  if (!line) return undefined;
  try {
    const v = JSON.parse(line) as Partial<BlasSelfCheckResult>;
    return typeof v.ok === 'boolean' && typeof v.badRows === 'number'
      ? (v as BlasSelfCheckResult)
      : undefined;
  } catch {
    return undefined;
  }
}
