import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuFeaturesFromFlags, cpuFlagsFromCpuinfo, readCpuFeatures } from '../src';

// Flag lists as Linux prints them (abridged to the relevant part).
const SAPPHIRE_RAPIDS =
  'fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 bmi2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16 amx_tile';
const ZEN5 =
  'fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx sse4a avx2 bmi2 avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx512_bf16';
const ZEN3 = 'fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx sse4a avx2 bmi2';
const IVY_BRIDGE = 'fpu sse sse2 ssse3 sse4_1 sse4_2 avx f16c';
const KNIGHTS_LANDING = 'fpu sse sse2 fma avx avx2 avx512f avx512cd avx512pf avx512er'; // no BW/DQ/VL

describe('cpu features', () => {
  it.each([
    ['Sapphire Rapids', SAPPHIRE_RAPIDS, { avx512: true, avx2Fma: true }],
    ['Zen 5', ZEN5, { avx512: true, avx2Fma: true }],
    ['Zen 3', ZEN3, { avx512: false, avx2Fma: true }],
    ['Ivy Bridge', IVY_BRIDGE, { avx512: false, avx2Fma: false }],
    ['Knights Landing (AVX-512 F without BW/DQ/VL)', KNIGHTS_LANDING, { avx512: false, avx2Fma: true }],
    ['nothing known', '', { avx512: false, avx2Fma: false }],
  ])('%s', (_name, flags, expected) => {
    expect(cpuFeaturesFromFlags(flags.split(' ').filter(Boolean))).toEqual(expected);
  });

  it('counts only the flags every processor in /proc/cpuinfo has', () => {
    const cpuinfo = [
      'processor\t: 0',
      `flags\t\t: ${ZEN5}`,
      '',
      'processor\t: 1',
      `flags\t\t: ${ZEN3}`,
      '',
    ].join('\n');
    const flags = cpuFlagsFromCpuinfo(cpuinfo);
    expect(flags.has('avx2')).toBe(true);
    expect(flags.has('avx512f')).toBe(false);
    expect(cpuFeaturesFromFlags(flags)).toEqual({ avx512: false, avx2Fma: true });
    expect(cpuFlagsFromCpuinfo('processor : 0\nFeatures : fp asimd sve\n').size).toBe(0); // arm64 has no flags line
  });

  it('reads a cpuinfo file, and knows nothing where there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ann-cpuinfo-'));
    writeFileSync(join(dir, 'cpuinfo'), `processor\t: 0\nflags\t\t: ${SAPPHIRE_RAPIDS}\n`);
    expect(readCpuFeatures(join(dir, 'cpuinfo'))).toEqual({ avx512: true, avx2Fma: true });
    expect(readCpuFeatures(join(dir, 'missing'))).toEqual({ avx512: false, avx2Fma: false });
  });
});
