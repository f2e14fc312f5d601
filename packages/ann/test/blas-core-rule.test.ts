import { chooseBlasCore, isGenericBlasCore, type CpuFeatures } from '../src';

const AVX512: CpuFeatures = { avx512: true, avx2Fma: true };
const AVX2: CpuFeatures = { avx512: false, avx2Fma: true };
const OLD: CpuFeatures = { avx512: false, avx2Fma: false };

describe('chooseBlasCore', () => {
  it.each([
    // [CPU, library-detected core, plan]
    [AVX512, 'Prescott', { action: 'try', core: 'SkylakeX', reason: 'avx512, library detected Prescott' }],
    [AVX512, 'Nehalem', { action: 'try', core: 'SkylakeX', reason: 'avx512, library detected Nehalem' }],
    [AVX512, 'Core2', { action: 'try', core: 'SkylakeX', reason: 'avx512, library detected Core2' }],
    [AVX512, 'Unknown', { action: 'try', core: 'SkylakeX', reason: 'avx512, library detected Unknown' }],
    [AVX2, 'Prescott', { action: 'try', core: 'Haswell', reason: 'avx2+fma, library detected Prescott' }],
    [AVX2, 'Barcelona', { action: 'try', core: 'Haswell', reason: 'avx2+fma, library detected Barcelona' }],
    [AVX2, 'PRESCOTT', { action: 'try', core: 'Haswell', reason: 'avx2+fma, library detected PRESCOTT' }],
    [
      OLD,
      'Prescott',
      { action: 'keep', reason: 'library detected Prescott, the CPU has neither AVX-512 nor AVX2+FMA' },
    ],
    // OpenBLAS recognised the CPU: its choice stands, even where wider kernels exist (Zen on Zen 4/5).
    [AVX512, 'Cooperlake', { action: 'keep', reason: 'library detected Cooperlake, not a generic core' }],
    [AVX512, 'SkylakeX', { action: 'keep', reason: 'library detected SkylakeX, not a generic core' }],
    [AVX512, 'Zen', { action: 'keep', reason: 'library detected Zen, not a generic core' }],
    [AVX2, 'Haswell', { action: 'keep', reason: 'library detected Haswell, not a generic core' }],
    [AVX2, 'Sandybridge', { action: 'keep', reason: 'library detected Sandybridge, not a generic core' }],
    [AVX512, 'NEOVERSEN1', { action: 'keep', reason: 'library detected NEOVERSEN1, not a generic core' }],
    [
      AVX512,
      undefined,
      { action: 'keep', reason: 'the library did not report its core (not a DYNAMIC_ARCH OpenBLAS?)' },
    ],
  ] as const)('auto, %o CPU, detected %s', (features, detected, plan) => {
    expect(chooseBlasCore({ setting: 'auto', features, detected })).toEqual(plan);
  });

  it('never touches an OPENBLAS_CORETYPE the environment sets, whatever the setting', () => {
    for (const setting of ['auto', 'off', 'SkylakeX']) {
      expect(
        chooseBlasCore({ setting, environmentCore: 'Haswell', features: AVX512, detected: 'Prescott' }),
      ).toEqual({ action: 'keep', reason: 'OPENBLAS_CORETYPE=Haswell set by the environment' });
    }
  });

  it('off keeps the library default; a name is tried as given', () => {
    expect(chooseBlasCore({ setting: 'off', features: AVX512, detected: 'Prescott' })).toEqual({
      action: 'keep',
      reason: 'LOOKALIKE_BLAS_CORETYPE=off, library detected Prescott',
    });
    expect(chooseBlasCore({ setting: 'Zen', features: AVX512, detected: 'Cooperlake' })).toEqual({
      action: 'try',
      core: 'Zen',
      reason: 'LOOKALIKE_BLAS_CORETYPE=Zen, library detected Cooperlake',
    });
  });

  it('auto keeps the machine settings under tests, but an explicit name still applies', () => {
    expect(
      chooseBlasCore({ setting: 'auto', testEnvironment: true, features: AVX512, detected: 'Prescott' }),
    ).toEqual({
      action: 'keep',
      reason: "tests keep the machine's BLAS settings (NODE_ENV=test), library detected Prescott",
    });
    expect(
      chooseBlasCore({ setting: 'SkylakeX', testEnvironment: true, features: AVX512, detected: 'Prescott' })
        .action,
    ).toBe('try');
  });

  it('knows the generic cores case-insensitively', () => {
    expect(['Prescott', 'katmai', 'OPTERON_SSE3', 'Atom'].every(isGenericBlasCore)).toBe(true);
    expect(
      ['Haswell', 'Zen', 'SkylakeX', 'Cooperlake', 'Sandybridge', 'Excavator'].some(isGenericBlasCore),
    ).toBe(false);
  });
});
