import { readFileSync } from 'node:fs';

/** The instruction-set extensions that decide which OpenBLAS kernels a CPU can run. */
export interface CpuFeatures {
  /** AVX-512 F, BW, DQ and VL together: what OpenBLAS's SkylakeX kernels use. */
  avx512: boolean;
  /** AVX2 and FMA together: what OpenBLAS's Haswell kernels use. */
  avx2Fma: boolean;
}

/** The AVX-512 subsets the SkylakeX kernels need. */
const AVX512_FLAGS = ['avx512f', 'avx512bw', 'avx512dq', 'avx512vl'] as const;

/** Features from a set of CPU flag names as Linux spells them in /proc/cpuinfo (lower case). */
export function cpuFeaturesFromFlags(flags: Iterable<string>): CpuFeatures {
  const set = new Set(flags);
  return {
    avx512: AVX512_FLAGS.every((f) => set.has(f)),
    avx2Fma: set.has('avx2') && set.has('fma'),
  };
}

/**
 * The flags every processor in /proc/cpuinfo has (x86 `flags` lines). A feature counts only if
 * all processors report it; no `flags` line (another OS or architecture) gives an empty set.
 */
export function cpuFlagsFromCpuinfo(cpuinfo: string): Set<string> {
  let common: Set<string> | undefined;
  for (const line of cpuinfo.split('\n')) {
    const m = /^flags\s*:(.*)$/.exec(line);
    if (!m) continue;
    const flags = new Set(m[1]!.trim().split(/\s+/).filter(Boolean));
    common = common === undefined ? flags : new Set([...common].filter((f) => flags.has(f)));
  }
  return common ?? new Set();
}

/** This machine's features, from /proc/cpuinfo (none where it cannot be read). */
export function readCpuFeatures(path = '/proc/cpuinfo'): CpuFeatures {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // Not Linux: no features known, so no kernel is chosen for the library.
  }
  return cpuFeaturesFromFlags(cpuFlagsFromCpuinfo(text));
}
