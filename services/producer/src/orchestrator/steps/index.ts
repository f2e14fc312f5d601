import { REBUILD_STEPS, type RebuildStep } from '@lookalike/core';
import { buildIndex } from './build-index';
import { embed } from './embed';
import { evaluate } from './evaluate';
import { fit } from './fit';
import { merge } from './merge';
import { neighbours } from './neighbours';
import { plan } from './plan';
import { prepareRecommend } from './prepare-recommend';
import { project } from './project';
import { publish } from './publish';
import { quality } from './quality';
import { recommend } from './recommend';
import type { Step } from './step';

/** Every step of a rebuild by name; they run in the order of REBUILD_STEPS. */
export const STEPS: Record<Exclude<RebuildStep, 'done'>, Step> = {
  plan,
  embed,
  fit,
  project,
  'build-index': buildIndex,
  neighbours,
  merge,
  quality,
  'prepare-recommend': prepareRecommend,
  recommend,
  evaluate,
  publish,
};

/** The step after `step` (`done` after the last). */
export function nextStep(step: RebuildStep): RebuildStep {
  return REBUILD_STEPS[REBUILD_STEPS.indexOf(step) + 1] ?? 'done';
}

export type { Step, StepContext } from './step';
