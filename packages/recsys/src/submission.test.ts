import { chunks, randomData } from '../test/helpers';
import { combineEvaluations } from './evaluation';
import { prepareModel } from './prepare';
import { recommendRange, splitRanges } from './recommend-range';
import { checkSubmission, formatSubmissionRows, submissionChunks, SUBMISSION_HEADER } from './submission';

describe('submission', () => {
  const { dataset, neighbours } = randomData(4);
  const { model } = prepareModel(dataset, neighbours);
  const n = model.customers.size;

  it('part files concatenate into a valid submission that scores like the evaluation', async () => {
    const parts = splitRanges(n, 3).map(([s, e]) => {
      const r = recommendRange(model, s, e, { methods: ['visual'] });
      return formatSubmissionRows(model, s, r.predictions.visual!);
    });
    const text = `${SUBMISSION_HEADER}\n${parts.join('')}`;
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(n + 1);
    expect(lines[1]).toMatch(/^[0-9a-f]{64},(\d{10} ){11}\d{10}$/);
    const check = await checkSubmission(chunks(text, 100), model);
    expect(check).toMatchObject({
      ok: true,
      rows: n,
      missingCustomers: 0,
      duplicateRows: 0,
      invalidPredictions: 0,
    });
    const whole = combineEvaluations([
      recommendRange(model, 0, n, { methods: ['visual'] }).evaluation.visual!,
    ]);
    expect(check.evaluation.map12).toBe(whole.map12);
    expect(check.evaluation.recall12).toBe(whole.recall12);
    expect(check.evaluation.newArticles).toEqual(whole.newArticles);
  });

  it('chunks rows and reports missing, duplicate and invalid rows', async () => {
    const r = recommendRange(model, 0, 5, { methods: ['visual'] });
    const got = [...submissionChunks(model, 0, r.predictions.visual!, 2)].map((b) => b.toString());
    expect(got).toHaveLength(3);
    const [a, b] = got;
    const bad = `${SUBMISSION_HEADER}\n${a}${a!.split('\n')[0]}\n${b!.replace(/ \d{10}\n/, '\n')}nobody,x\n`;
    const check = await checkSubmission(chunks(bad, 64), model, 'sub.csv');
    expect(check.ok).toBe(false);
    expect(check).toMatchObject({
      rows: 6,
      duplicateRows: 1,
      unknownCustomers: 1,
      invalidPredictions: 1,
      missingCustomers: n - 3,
    });
    expect(check.issues[0]).toBe(`sub.csv:4: second row for customer ${model.customers.id(0)}`);
  });
});
