import { RecsysFormatError } from './errors';
import { parseEvaluationPartial, type EvaluationPartial } from './evaluation';

/**
 * What one `recommend` job records beside its submission rows: the submission's method, the recommender options
 * of the model, and every method's evaluation partial (JSON: it travels through storage).
 */
export interface PartEvaluation {
  submissionMethod: string;
  options: Record<string, number | boolean>;
  methods: Record<string, EvaluationPartial>;
}

/** Checks the shape of a `PartEvaluation` read back from storage. */
export function parsePartEvaluation(value: unknown): PartEvaluation {
  const v = value as Partial<Record<keyof PartEvaluation, unknown>> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.submissionMethod !== 'string' ||
    typeof v.options !== 'object' ||
    v.options === null ||
    !Object.values(v.options).every((x) => typeof x === 'number' || typeof x === 'boolean') ||
    typeof v.methods !== 'object' ||
    v.methods === null
  ) {
    throw new RecsysFormatError('not a recommend part evaluation');
  }
  const methods: Record<string, EvaluationPartial> = {};
  for (const [name, partial] of Object.entries(v.methods)) methods[name] = parseEvaluationPartial(partial);
  return { submissionMethod: v.submissionMethod, options: v.options as PartEvaluation['options'], methods };
}
