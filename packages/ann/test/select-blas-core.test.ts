import {
  selectBlasCore,
  type BlasProbeResult,
  type BlasSelfCheckResult,
  type CpuFeatures,
  type SelectBlasCoreOptions,
} from '../src';

// The selection with given CPU features and given library-detected cores: `probe` answers as an
// OpenBLAS would for each OPENBLAS_CORETYPE, so no second kernel is ever loaded here, and `env` is
// a plain object, so this process's OPENBLAS_CORETYPE is never touched.

const AVX512: CpuFeatures = { avx512: true, avx2Fma: true };
const AVX2: CpuFeatures = { avx512: false, avx2Fma: true };

const passed: BlasSelfCheckResult = {
  ok: true,
  rows: 487,
  dim: 256,
  k: 10,
  badRows: 0,
  maxScoreDiff: 2e-7,
  tolerance: 1e-5,
  ms: 90,
};
const failed: BlasSelfCheckResult = { ...passed, ok: false, badRows: 12, maxScoreDiff: 0.031 };

/** An OpenBLAS that detects `detected` by itself and answers each forced core with `answers[core]`. */
function library(detected: string, answers: Record<string, Partial<BlasProbeResult>> = {}) {
  const calls: (string | undefined)[] = [];
  const probe = async (coretype: string | undefined): Promise<BlasProbeResult> => {
    calls.push(coretype);
    if (coretype === undefined) return { core: detected, selfCheck: passed, ms: 100 };
    return { core: coretype, selfCheck: passed, ms: 100, ...answers[coretype] };
  };
  return { probe, calls };
}

function recordingLogger() {
  const lines: { level: 'info' | 'warn'; msg: string; obj: unknown }[] = [];
  return {
    lines,
    info: (obj: unknown, msg: string) => lines.push({ level: 'info', msg, obj }),
    warn: (obj: unknown, msg: string) => lines.push({ level: 'warn', msg, obj }),
  } as never as { lines: typeof lines; info: () => void; warn: () => void };
}

const notLoaded = () => false;

/**
 * The selection with `lib` as the OpenBLAS, a plain `env` (empty unless given), a recording logger, an AVX-512 CPU
 * and OpenBLAS not loaded yet, unless `options` say otherwise.
 */
async function select(lib: ReturnType<typeof library>, options: SelectBlasCoreOptions = {}) {
  const env = options.env ?? {};
  const logger = recordingLogger();
  const selection = await selectBlasCore({
    logger,
    probe: lib.probe,
    features: AVX512,
    blasLoaded: notLoaded,
    ...options,
    env,
  });
  return { selection, env, logger };
}

describe('selectBlasCore', () => {
  it('selects SkylakeX where OpenBLAS falls back to Prescott on an AVX-512 CPU, after its self-check', async () => {
    const lib = library('Prescott');
    const { selection: s, env, logger } = await select(lib);
    expect(lib.calls).toEqual([undefined, 'SkylakeX']);
    expect(env.OPENBLAS_CORETYPE).toBe('SkylakeX');
    expect(s).toMatchObject({ core: 'SkylakeX', action: 'selected', detected: 'Prescott' });
    expect(logger.lines).toEqual([
      {
        level: 'info',
        msg: 'blas core SkylakeX (selected: avx512, library detected Prescott)',
        obj: expect.objectContaining({ blasCore: 'SkylakeX', detected: 'Prescott' }),
      },
    ]);
  });

  it('selects Haswell on an AVX2 + FMA CPU, with the name as OpenBLAS spells it', async () => {
    const lib = library('Nehalem');
    const { selection: s, env } = await select(lib, { features: AVX2 });
    expect(s.message).toBe('blas core Haswell (selected: avx2+fma, library detected Nehalem)');
    expect(env.OPENBLAS_CORETYPE).toBe('Haswell');

    const named = library('Cooperlake', { skylakex: { core: 'SkylakeX' } });
    const { selection: s2, env: env2 } = await select(named, { setting: 'skylakex' });
    expect(s2.message).toBe(
      'blas core SkylakeX (selected: LOOKALIKE_BLAS_CORETYPE=skylakex, library detected Cooperlake)',
    );
    expect(env2.OPENBLAS_CORETYPE).toBe('SkylakeX');
  });

  it('keeps an OPENBLAS_CORETYPE set by the environment and says so', async () => {
    const lib = library('Prescott');
    const { selection: s, env, logger } = await select(lib, { env: { OPENBLAS_CORETYPE: 'Haswell' } });
    expect(lib.calls).toEqual(['Haswell']);
    expect(env.OPENBLAS_CORETYPE).toBe('Haswell');
    expect(s.action).toBe('kept');
    expect(logger.lines.map((l) => [l.level, l.msg])).toEqual([
      ['info', 'blas core Haswell (kept: OPENBLAS_CORETYPE=Haswell set by the environment)'],
    ]);
  });

  it('warns when the environment names a core OpenBLAS does not have', async () => {
    const lib = library('Cooperlake', { Skylake: { core: 'Cooperlake', unknownCoretype: true } });
    const { selection: s, env, logger } = await select(lib, { env: { OPENBLAS_CORETYPE: 'Skylake' } });
    expect(env.OPENBLAS_CORETYPE).toBe('Skylake');
    expect(s.core).toBe('Cooperlake');
    expect(logger.lines.map((l) => [l.level, l.msg])).toEqual([
      [
        'warn',
        'blas core Cooperlake (kept: OPENBLAS_CORETYPE=Skylake set by the environment; OpenBLAS does not know that core and uses Cooperlake)',
      ],
    ]);
  });

  it('keeps a core OpenBLAS recognised (Cooperlake on Zen 5) with one probe', async () => {
    const lib = library('Cooperlake');
    const { selection: s, env } = await select(lib);
    expect(lib.calls).toEqual([undefined]);
    expect(env.OPENBLAS_CORETYPE).toBeUndefined();
    expect(s.message).toBe('blas core Cooperlake (kept: library detected Cooperlake, not a generic core)');
  });

  it.each([
    [
      'fails the self-check',
      { selfCheck: failed },
      'SkylakeX failed the self-check (12 of 487 rows off by up to 3.1e-2)',
    ],
    [
      'crashes',
      { selfCheck: undefined, error: 'killed by SIGILL' },
      'SkylakeX could not be checked (killed by SIGILL)',
    ],
    [
      'is not in this OpenBLAS',
      { core: 'Prescott', unknownCoretype: true },
      'SkylakeX is not a core this OpenBLAS has (it used Prescott)',
    ],
  ])('falls back to the library default when the chosen core %s', async (_what, answer, why) => {
    const lib = library('Prescott', { SkylakeX: answer });
    const { selection: s, env, logger } = await select(lib);
    expect(env.OPENBLAS_CORETYPE).toBeUndefined();
    expect(s).toMatchObject({ core: 'Prescott', action: 'fallback' });
    expect(logger.lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', `blas core Prescott (fallback: ${why}; avx512, library detected Prescott)`],
    ]);
  });

  it('changes nothing under tests or with off', async () => {
    for (const [setting, nodeEnv] of [
      ['auto', 'test'],
      ['off', 'production'],
    ] as const) {
      const lib = library('Prescott');
      const { selection: s, env } = await select(lib, { env: { NODE_ENV: nodeEnv }, setting });
      expect(lib.calls).toEqual([undefined]);
      expect(env.OPENBLAS_CORETYPE).toBeUndefined();
      expect(s).toMatchObject({ core: 'Prescott', action: 'kept' });
    }
  });

  it('changes nothing once OpenBLAS is loaded in the process', async () => {
    const lib = library('Prescott');
    const { selection: s, env, logger } = await select(lib, { blasLoaded: () => true });
    expect(lib.calls).toEqual([]);
    expect(env.OPENBLAS_CORETYPE).toBeUndefined();
    expect(logger.lines[0]).toMatchObject({ level: 'warn', msg: expect.stringMatching(/already loaded/) });
    expect(s.action).toBe('kept');
  });
});
