import type { BlasCoreTypeSetting } from '@lookalike/core';
import type { CpuFeatures } from './cpu-features';

/**
 * OpenBLAS x86 cores without AVX kernels (SSE-era code paths), i.e. what a DYNAMIC_ARCH build
 * falls back to when it does not recognise a CPU (`Prescott` above all; `Unknown` when it cannot
 * name the core it uses). Lower case, as OpenBLAS matches `OPENBLAS_CORETYPE` case-insensitively.
 */
export const GENERIC_BLAS_CORES: ReadonlySet<string> = new Set(
  [
    'Unknown',
    'Katmai',
    'Coppermine',
    'Northwood',
    'Prescott',
    'Banias',
    'Athlon',
    'Core2',
    'Penryn',
    'Dunnington',
    'Nehalem',
    'Atom',
    'Nano',
    'Opteron',
    'Opteron_SSE3',
    'Barcelona',
    'Bobcat',
  ].map((c) => c.toLowerCase()),
);

/** True for a core name from `GENERIC_BLAS_CORES` (any case). */
export function isGenericBlasCore(core: string): boolean {
  return GENERIC_BLAS_CORES.has(core.toLowerCase());
}

export interface BlasCoreRuleInput {
  /** `LOOKALIKE_BLAS_CORETYPE`. */
  setting: BlasCoreTypeSetting;
  /** `OPENBLAS_CORETYPE` as the environment already sets it (undefined or '' when unset). */
  environmentCore?: string | undefined;
  /** Running under a test runner (`NODE_ENV=test`): `auto` keeps the machine's BLAS settings. */
  testEnvironment?: boolean;
  /** The core OpenBLAS picks by itself on this machine; undefined when it could not be read. */
  detected?: string | undefined;
  features: CpuFeatures;
}

/** What to do before FAISS loads: leave `OPENBLAS_CORETYPE` alone, or verify a core and set it. */
export type BlasCorePlan =
  | { readonly action: 'keep'; readonly reason: string }
  | { readonly action: 'try'; readonly core: string; readonly reason: string };

/**
 * The selection rule, on CPU features and the library-detected core only:
 * - `OPENBLAS_CORETYPE` already set: keep it (machines set it on purpose);
 * - `off`, or `auto` under tests: keep the library's own choice;
 * - a core name: try that core;
 * - `auto`: where OpenBLAS detected a generic (pre-AVX) core, try `SkylakeX` on a CPU with AVX-512
 *   F/BW/DQ/VL, else `Haswell` with AVX2 + FMA; keep any other detection (e.g. `Zen`, `Haswell`,
 *   `SkylakeX`, `Cooperlake`), which means OpenBLAS recognised the CPU.
 */
export function chooseBlasCore(input: BlasCoreRuleInput): BlasCorePlan {
  const detected = input.detected ? `library detected ${input.detected}` : 'library core unknown';
  if (input.environmentCore) {
    return { action: 'keep', reason: `OPENBLAS_CORETYPE=${input.environmentCore} set by the environment` };
  }
  if (input.setting === 'off') return { action: 'keep', reason: `LOOKALIKE_BLAS_CORETYPE=off, ${detected}` };
  if (input.setting !== 'auto') {
    return {
      action: 'try',
      core: input.setting,
      reason: `LOOKALIKE_BLAS_CORETYPE=${input.setting}, ${detected}`,
    };
  }
  if (input.testEnvironment) {
    return { action: 'keep', reason: `tests keep the machine's BLAS settings (NODE_ENV=test), ${detected}` };
  }
  if (input.detected === undefined) {
    return { action: 'keep', reason: 'the library did not report its core (not a DYNAMIC_ARCH OpenBLAS?)' };
  }
  if (!isGenericBlasCore(input.detected))
    return { action: 'keep', reason: `${detected}, not a generic core` };
  if (input.features.avx512) return { action: 'try', core: 'SkylakeX', reason: `avx512, ${detected}` };
  if (input.features.avx2Fma) return { action: 'try', core: 'Haswell', reason: `avx2+fma, ${detected}` };
  return { action: 'keep', reason: `${detected}, the CPU has neither AVX-512 nor AVX2+FMA` };
}
