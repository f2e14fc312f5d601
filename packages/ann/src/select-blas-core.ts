import { readFileSync } from 'node:fs';
import { silentLogger, type BlasCoreTypeSetting, type Logger } from '@lookalike/core';
import { chooseBlasCore } from './blas-core-rule';
import { runBlasProbe, type BlasProbeResult } from './blas-probe';
import type { BlasSelfCheckResult } from './blas-self-check';
import { readCpuFeatures, type CpuFeatures } from './cpu-features';

export interface SelectBlasCoreOptions {
  /** `LOOKALIKE_BLAS_CORETYPE` (config `blasCoreType`); default `auto`. */
  setting?: BlasCoreTypeSetting;
  /**
   * The environment to read, and to set `OPENBLAS_CORETYPE` in when a core is selected (default
   * `process.env`: Node passes that to the C environment, where OpenBLAS reads it when it loads).
   */
  env?: NodeJS.ProcessEnv;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** Default: this machine's, from /proc/cpuinfo. */
  features?: CpuFeatures;
  /** Runs the self-check with a given `OPENBLAS_CORETYPE` (undefined: unset); default a child process. */
  probe?: (coretype: string | undefined) => Promise<BlasProbeResult>;
  /** Whether OpenBLAS is already loaded in this process (then nothing can change); default from /proc/self/maps. */
  blasLoaded?: () => boolean;
}

export interface BlasCoreSelection {
  /** The core OpenBLAS uses in this process from now on (as OpenBLAS names it); undefined if unknown. */
  core: string | undefined;
  /** `selected`: OPENBLAS_CORETYPE was set; `kept`: left as it was; `fallback`: a choice failed its check. */
  action: 'selected' | 'kept' | 'fallback';
  reason: string;
  /** The core OpenBLAS picks by itself here, when it was probed. */
  detected: string | undefined;
  selfCheck: BlasSelfCheckResult | undefined;
  /** The log line, e.g. `blas core SkylakeX (selected: avx512, library detected Prescott)`. */
  message: string;
}

/**
 * Chooses OpenBLAS's kernels for FAISS in this process. Call it once, before anything loads FAISS
 * (`loadFaiss`), because OpenBLAS reads `OPENBLAS_CORETYPE` only when it is loaded.
 *
 * A child process reports the core OpenBLAS detects by itself here (and runs the self-check with
 * it); `chooseBlasCore` decides on that and the CPU's features; a chosen core is verified by the
 * self-check in a second child before `OPENBLAS_CORETYPE` is set here, and the library's own choice
 * is kept if it fails. An `OPENBLAS_CORETYPE` already in the environment is never changed. Logs
 * the core in use and why, once.
 */
export async function selectBlasCore(options: SelectBlasCoreOptions = {}): Promise<BlasCoreSelection> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? silentLogger;
  const probe = options.probe ?? ((coretype) => runBlasProbe({ coretype, env }));
  const environmentCore = env.OPENBLAS_CORETYPE || undefined;

  if ((options.blasLoaded ?? openBlasLoadedHere)()) {
    return report(logger, {
      core: environmentCore,
      action: 'kept',
      reason: 'OpenBLAS was already loaded in this process, so its core can no longer change',
      detected: undefined,
      selfCheck: undefined,
      warn: true,
    });
  }

  const features = options.features ?? readCpuFeatures();
  const base = await probe(environmentCore);
  const detected = environmentCore === undefined ? base.core : undefined;
  const plan = chooseBlasCore({
    setting: options.setting ?? 'auto',
    environmentCore,
    testEnvironment: env.NODE_ENV === 'test',
    detected,
    features,
  });

  if (plan.action === 'keep') {
    const problem = baseProblem(base, environmentCore);
    return report(logger, {
      core: base.core ?? environmentCore,
      action: 'kept',
      reason: problem ? `${plan.reason}; ${problem}` : plan.reason,
      detected,
      selfCheck: base.selfCheck,
      warn: problem !== undefined,
    });
  }

  const candidate = await probe(plan.core);
  const problem = candidateProblem(candidate, plan.core);
  if (problem === undefined) {
    env.OPENBLAS_CORETYPE = candidate.core!;
    return report(logger, {
      core: candidate.core,
      action: 'selected',
      reason: plan.reason,
      detected,
      selfCheck: candidate.selfCheck,
      warn: false,
    });
  }
  return report(logger, {
    core: base.core,
    action: 'fallback',
    reason: `${plan.core} ${problem}; ${plan.reason}`,
    detected,
    selfCheck: base.selfCheck,
    warn: true,
  });
}

/** What is wrong with the library's own (or the environment's) core, if anything. */
function baseProblem(base: BlasProbeResult, environmentCore: string | undefined): string | undefined {
  if (base.error !== undefined) return `the self-check could not run (${base.error})`;
  const problems: string[] = [];
  if (environmentCore !== undefined && base.unknownCoretype) {
    problems.push(`OpenBLAS does not know that core and uses ${base.core ?? 'its own choice'}`);
  }
  if (base.selfCheck && !base.selfCheck.ok)
    problems.push(`the self-check failed (${describeCheck(base.selfCheck)})`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** Why a chosen core must not be used, or undefined when it is fine. */
function candidateProblem(candidate: BlasProbeResult, core: string): string | undefined {
  if (candidate.unknownCoretype || candidate.core?.toLowerCase() !== core.toLowerCase()) {
    return `is not a core this OpenBLAS has (it used ${candidate.core ?? 'an unnamed core'})`;
  }
  if (candidate.error !== undefined || candidate.selfCheck === undefined) {
    return `could not be checked (${candidate.error ?? 'no result'})`;
  }
  if (!candidate.selfCheck.ok) return `failed the self-check (${describeCheck(candidate.selfCheck)})`;
  return undefined;
}

function describeCheck(check: BlasSelfCheckResult): string {
  return `${check.badRows} of ${check.rows} rows off by up to ${check.maxScoreDiff.toExponential(1)}`;
}

function report(
  logger: Pick<Logger, 'info' | 'warn'>,
  s: Omit<BlasCoreSelection, 'message'> & { warn: boolean },
): BlasCoreSelection {
  const { warn, ...selection } = s;
  const message = `blas core ${s.core ?? 'unknown'} (${s.action}: ${s.reason})`;
  const fields = {
    blasCore: s.core,
    action: s.action,
    detected: s.detected,
    selfCheck: s.selfCheck && {
      ok: s.selfCheck.ok,
      badRows: s.selfCheck.badRows,
      maxScoreDiff: s.selfCheck.maxScoreDiff,
    },
  };
  if (warn) logger.warn(fields, message);
  else logger.info(fields, message);
  return { ...selection, message };
}

/** True when this process has already mapped OpenBLAS or the FAISS addon (Linux; false elsewhere). */
function openBlasLoadedHere(): boolean {
  try {
    return /libopenblas|faiss-node\.node/.test(readFileSync('/proc/self/maps', 'utf8'));
  } catch {
    return false;
  }
}
