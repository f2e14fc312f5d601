import { resolve } from 'node:path';
import {
  describeIssues,
  REBUILD_ID_RULE,
  rebuildIdSchema,
  rebuildSpecSchema,
  type RebuildSpecInput,
} from '@lookalike/core';
import type { SubmitBody } from './api-client';
import { UsageError } from './errors';

/** The options of `lookalike rebuild submit` as commander hands them over (values are strings). */
export interface SubmitFlags {
  images?: string;
  articles?: string;
  transactions?: string;
  customers?: string;
  holdoutDays?: string;
  customersPerJob?: string;
  lenient?: boolean;
  shardSize?: string;
  pcaDims?: string;
  pcaSample?: string;
  k?: string;
  rowsPerJob?: string;
  modelUrl?: string;
  batchSize?: string;
  padding?: string;
  powerNorm?: string;
  pcaWhiten?: string;
  /** `name=value,…`: recommender options (hybrid weights and windows), e.g. `visualWeight=0.2,trendingWeight=0.5`. */
  recommend?: string;
  /** `--no-publish` sets this to false; commander defaults it to true. */
  publish?: boolean;
  id?: string;
}

type SpecField = keyof RebuildSpecInput;

/** Which flag sets which field of the rebuild spec (for error messages that name the flag). */
export const FLAG_OF_FIELD: Record<SpecField | 'id', string> = {
  images: '--images',
  articles: '--articles',
  transactions: '--transactions',
  customers: '--customers',
  holdoutDays: '--holdout-days',
  customersPerJob: '--customers-per-job',
  lenient: '--lenient',
  shardSize: '--shard-size',
  pcaDims: '--pca-dims',
  pcaSampleSize: '--pca-sample',
  k: '--k',
  neighbourRowsPerJob: '--rows-per-job',
  modelUrl: '--model-url',
  batchSize: '--batch-size',
  padding: '--padding',
  powerNorm: '--power-norm',
  pcaWhiten: '--pca-whiten',
  recommend: '--recommend',
  publish: '--no-publish',
  id: '--id',
};

const INTEGER_FLAGS: { option: keyof SubmitFlags; field: SpecField }[] = [
  { option: 'shardSize', field: 'shardSize' },
  { option: 'pcaDims', field: 'pcaDims' },
  { option: 'pcaSample', field: 'pcaSampleSize' },
  { option: 'k', field: 'k' },
  { option: 'rowsPerJob', field: 'neighbourRowsPerJob' },
  { option: 'batchSize', field: 'batchSize' },
  { option: 'holdoutDays', field: 'holdoutDays' },
  { option: 'customersPerJob', field: 'customersPerJob' },
];

const NUMBER_FLAGS: { option: keyof SubmitFlags; field: SpecField }[] = [
  { option: 'powerNorm', field: 'powerNorm' },
  { option: 'pcaWhiten', field: 'pcaWhiten' },
];

/** Parses an integer flag value strictly (`12`, not `12abc`, `1.5` or `1e3`). */
export function parseIntegerFlag(flag: string, value: string): number {
  const trimmed = value.trim();
  if (!/^[+-]?\d+$/.test(trimmed))
    throw new UsageError(`${flag}: expected an integer, got ${JSON.stringify(value)}`);
  const n = Number(trimmed);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag}: ${value} is out of range`);
  return n;
}

/**
 * `--recommend name=value,…`: numbers and `true`/`false` by option name (the spec's schema checks the names and
 * ranges); a string saying what is wrong otherwise.
 */
export function parseRecommendFlag(value: string): Record<string, number | boolean> | string {
  const options: Record<string, number | boolean> = {};
  for (const pair of value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const [name, raw, extra] = pair.split('=').map((s) => s.trim());
    if (!name || raw === undefined || raw === '' || extra !== undefined)
      return `expected name=value pairs separated by commas, got ${JSON.stringify(pair)}`;
    if (raw === 'true' || raw === 'false') options[name] = raw === 'true';
    else if (Number.isFinite(Number(raw))) options[name] = Number(raw);
    else return `${name}: expected a number or true/false, got ${JSON.stringify(raw)}`;
  }
  return options;
}

/**
 * A location flag: URLs (`s3://…`, `file:///…`) are kept; a local path is made absolute against
 * `cwd`, so `--images ./data/images` works (the server, not the CLI, reads it: in local mode both
 * share the file system).
 */
export function resolveLocation(value: string, cwd: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(trimmed)) return trimmed;
  return resolve(cwd, trimmed);
}

/**
 * Maps the submit flags to the `POST /rebuilds` body, validated with the same schema the API
 * uses, so a bad value is reported locally with the flag that carries it. Only the fields given
 * are sent; the API applies the defaults.
 */
export function buildSubmitBody(flags: SubmitFlags, cwd: string = process.cwd()): SubmitBody {
  const problems: string[] = [];
  const spec: Record<string, unknown> = {};
  if (flags.images === undefined)
    problems.push(`${FLAG_OF_FIELD.images}: required (the folder holding 0XX/0XXXXXXXXX.jpg)`);
  else spec.images = resolveLocation(flags.images, cwd);
  for (const field of ['articles', 'transactions', 'customers'] as const) {
    const value = flags[field];
    if (value !== undefined) spec[field] = resolveLocation(value, cwd);
  }
  if (flags.lenient) spec.lenient = true;
  for (const { option, field } of INTEGER_FLAGS) {
    const value = flags[option];
    if (value === undefined) continue;
    try {
      spec[field] = parseIntegerFlag(FLAG_OF_FIELD[field], String(value));
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (flags.modelUrl !== undefined) spec.modelUrl = flags.modelUrl;
  if (flags.padding !== undefined) spec.padding = flags.padding;
  for (const { option, field } of NUMBER_FLAGS) {
    const value = flags[option];
    if (value === undefined) continue;
    const n = Number(String(value).trim());
    if (String(value).trim() === '' || !Number.isFinite(n))
      problems.push(`${FLAG_OF_FIELD[field]}: expected a number, got ${JSON.stringify(value)}`);
    else spec[field] = n;
  }
  if (flags.recommend !== undefined) {
    const options = parseRecommendFlag(flags.recommend);
    if (typeof options === 'string') problems.push(`${FLAG_OF_FIELD.recommend}: ${options}`);
    else spec.recommend = options;
  }
  if (flags.publish === false) spec.publish = false;
  if (flags.id !== undefined && !rebuildIdSchema.safeParse(flags.id).success) {
    problems.push(`${FLAG_OF_FIELD.id}: expected ${REBUILD_ID_RULE} (got ${JSON.stringify(flags.id)})`);
  }
  if (problems.length === 0) {
    const parsed = rebuildSpecSchema.safeParse(spec);
    if (!parsed.success) {
      for (const issue of describeIssues(parsed.error)) {
        const field = issue.field.split('.')[0] as SpecField; // recommend.visualWeight → --recommend
        const flag = FLAG_OF_FIELD[field] ?? issue.field;
        const got = field === 'recommend' ? undefined : spec[issue.field];
        const name = field === 'recommend' ? `${issue.field.slice('recommend.'.length)} ` : '';
        problems.push(
          `${flag}: ${name}${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`,
        );
      }
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return { ...(spec as RebuildSpecInput), ...(flags.id !== undefined ? { id: flags.id } : {}) };
}
