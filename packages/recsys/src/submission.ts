import { parseArticleCode } from './article-id-table';
import { readCsv, type CsvRecord, type CsvSource, type RecordVerdict } from './csv-reader';
import { RecsysInputError } from './errors';
import { EvaluationAccumulator, type EvaluationResult } from './evaluation';
import { K } from './metrics';
import type { PreparedModel } from './model';

/** The competition's submission header; rows are `customer_id,a1 a2 … a12`. */
export const SUBMISSION_HEADER = 'customer_id,prediction';

const articleIdBytesCache = new WeakMap<object, Buffer>();

/** The 10-character ids of every article, back to back (cached per article table). */
function articleIdBytes(model: PreparedModel): Buffer {
  let bytes = articleIdBytesCache.get(model.articles);
  if (bytes === undefined || bytes.length !== model.articles.size * 10) {
    bytes = Buffer.allocUnsafe(model.articles.size * 10);
    for (let a = 0; a < model.articles.size; a++) bytes.write(model.articles.id(a), a * 10, 'latin1');
    articleIdBytesCache.set(model.articles, bytes);
  }
  return bytes;
}

/**
 * The submission rows of customers `customerStart, customerStart + 1, …` from their predictions
 * (12 article indices each), as UTF-8 buffers of `rowsPerChunk` rows, each row ending in `\n` (no header):
 * write them in order, e.g. through `Readable.from(...)`, to stream a part file of any size. Rows are
 * assembled byte by byte from the id tables, without building strings.
 */
export function* submissionChunks(
  model: PreparedModel,
  customerStart: number,
  predictions: Int32Array,
  rowsPerChunk = 8192,
): Generator<Buffer> {
  if (predictions.length % K !== 0)
    throw new RecsysInputError(`predictions must hold ${K} articles per customer`);
  const rows = predictions.length / K;
  if (customerStart < 0 || customerStart + rows > model.customers.size) {
    throw new RecsysInputError('predictions go beyond the customers');
  }
  const ids = articleIdBytes(model);
  const nA = model.articles.size;
  const { pool, offsets } = model.customers.storage();
  for (let r0 = 0; r0 < rows; r0 += rowsPerChunk) {
    const r1 = Math.min(rows, r0 + rowsPerChunk);
    const bytes = offsets[customerStart + r1]! - offsets[customerStart + r0]! + (r1 - r0) * (1 + K * 11);
    const chunk = Buffer.allocUnsafe(bytes);
    let at = 0;
    for (let r = r0; r < r1; r++) {
      const c = customerStart + r;
      for (let q = offsets[c]!; q < offsets[c + 1]!; q++) chunk[at++] = pool[q]!;
      chunk[at++] = 44; // ,
      for (let i = 0; i < K; i++) {
        const a = predictions[r * K + i]!;
        if (!(a >= 0 && a < nA)) throw new RecsysInputError(`prediction ${a} is not an article index`);
        if (i > 0) chunk[at++] = 32; // space
        for (let q = a * 10; q < a * 10 + 10; q++) chunk[at++] = ids[q]!;
      }
      chunk[at++] = 10; // \n
    }
    yield chunk;
  }
}

/** All rows of `submissionChunks` as one string (for small ranges). */
export function formatSubmissionRows(
  model: PreparedModel,
  customerStart: number,
  predictions: Int32Array,
): string {
  return Buffer.concat([...submissionChunks(model, customerStart, predictions)]).toString('utf8');
}

export interface SubmissionCheck {
  rows: number;
  /** Model customers without a row (index order, at most 20 listed) and their count. */
  missingCustomers: number;
  missingExamples: string[];
  /** Rows for a customer already seen, for an unknown customer, or with a prediction that is not 12 distinct known article ids. */
  duplicateRows: number;
  unknownCustomers: number;
  invalidPredictions: number;
  /** `file:line: reason` for the first problems. */
  issues: string[];
  /** The submission scored against the model's holdout (rows with problems score as absent). */
  evaluation: EvaluationResult;
  /** True when every model customer has exactly one valid row and there is nothing else. */
  ok: boolean;
}

/**
 * Reads a submission file and checks it against a prepared model: one row per customer, 12 distinct
 * valid article ids each; and scores it (MAP@12 etc.) against the model's holdout, independently of how
 * it was produced. Customers without a valid row score as if nothing were predicted.
 */
export async function checkSubmission(
  source: CsvSource,
  model: PreparedModel,
  file = 'submission.csv',
): Promise<SubmissionCheck> {
  const nC = model.customers.size;
  const seen = new Uint8Array(nC);
  const issues: string[] = [];
  let rows = 0;
  let duplicateRows = 0;
  let unknownCustomers = 0;
  let invalidPredictions = 0;
  const acc = new EvaluationAccumulator('submission', model.stats.historySales);
  const pred = new Int32Array(K);
  const hasHistory = (c: number): boolean => model.history.offsets[c + 1]! > model.history.offsets[c]!;
  const note = (rec: CsvRecord, reason: string): RecordVerdict => {
    if (issues.length < 20) issues.push(`${file}:${rec.line}: ${reason}`);
    return undefined;
  };
  const header = (rec: CsvRecord): RecordVerdict =>
    rec.fields === 2 && rec.text(0) === 'customer_id' && rec.text(1) === 'prediction'
      ? undefined
      : `header must be ${SUBMISSION_HEADER}`;
  const row = (rec: CsvRecord): RecordVerdict => {
    rows++;
    if (rec.fields !== 2) {
      invalidPredictions++;
      return note(rec, `expected 2 fields, found ${rec.fields}`);
    }
    const c = model.customers.findBytes(rec.bytes, rec.starts[0]!, rec.ends[0]!);
    if (c < 0) {
      unknownCustomers++;
      return note(rec, `unknown customer ${rec.text(0)}`);
    }
    if (seen[c] !== 0) {
      duplicateRows++;
      return note(rec, `second row for customer ${rec.text(0)}`);
    }
    const ids = rec.text(1).split(' ');
    let valid = ids.length === K;
    for (let i = 0; valid && i < K; i++) {
      const b = Buffer.from(ids[i]!, 'latin1');
      const code = b.length === 10 ? parseArticleCode(b, 0, 10) : -1;
      const a = code < 0 ? -1 : model.articles.find(code);
      if (a < 0 || pred.subarray(0, i).includes(a)) valid = false;
      else pred[i] = a;
    }
    if (!valid) {
      invalidPredictions++;
      return note(rec, `prediction is not ${K} distinct known 10-digit article ids`);
    }
    seen[c] = 1;
    acc.addCustomer(
      pred,
      0,
      model.holdout.articles,
      model.holdout.offsets[c]!,
      model.holdout.offsets[c + 1]!,
      hasHistory(c),
    );
    return undefined;
  };
  await readCsv(source, { file }, { header, row });
  // Customers without a valid row: scored with no hits (a customer with holdout purchases then counts 0).
  const missingExamples: string[] = [];
  let missing = 0;
  for (let c = 0; c < nC; c++) {
    if (seen[c] !== 0) continue;
    missing++;
    if (missingExamples.length < 20) missingExamples.push(model.customers.id(c));
    acc.addWithoutPrediction(
      model.holdout.articles,
      model.holdout.offsets[c]!,
      model.holdout.offsets[c + 1]!,
      hasHistory(c),
    );
  }
  return {
    rows,
    missingCustomers: missing,
    missingExamples,
    duplicateRows,
    unknownCustomers,
    invalidPredictions,
    issues,
    evaluation: acc.result(),
    ok: missing === 0 && duplicateRows === 0 && unknownCustomers === 0 && invalidPredictions === 0,
  };
}
