/**
 * Timing and memory of the recommend stage at H&M size (not a unit test).
 *
 *   1.37M customers, 31.8M transactions over 734 days, 105,542 articles with 20 neighbours each,
 *   synthesised in-process as typed arrays (see synthetic-hm.ts).
 *
 * Phases: [csv] write the first --csv-rows transactions as transactions_train.csv and stream-parse them
 * back (rows/s, MB/s); then the stage itself: prepare (split, CSR, popularity, cold start), write the model
 * file and read it back as a worker would, recommend + evaluate every customer with every method (METHODS) in
 * --parts ranges (as the workers would, here one after another), format the submission rows, and merge the
 * range evaluations. Prints wall and CPU time per phase, RSS after each phase, and the kernel's peak RSS.
 *
 * Build and run from the repository root:
 *   node_modules/.bin/tsc -p packages/recsys/bench/tsconfig.json
 *   node --max-old-space-size=3072 packages/recsys/dist/bench/bench/recommend-full.js [--key=value ...]
 * Options (defaults = H&M size): --customers --articles --transactions --days --k --seed --parts=4
 *   --csv-rows=2000000 (0 skips the CSV phase) --from-csv (use the parsed CSV as the stage's input; with
 *   --csv-rows equal to --transactions this is the end-to-end path from the file) --tmp=DIR
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  combineEvaluations,
  datasetFromArrays,
  DEFAULT_METHOD,
  METHODS,
  openCsvFile,
  prepareModel,
  readModelFile,
  readTransactions,
  recommendRange,
  splitRanges,
  submissionChunks,
  writeModelFile,
  IdTable,
  ArticleIdTable,
  type Dataset,
  type EvaluationPartial,
  type Method,
} from '../src';
import { HM_SPEC, synthesise, writeTransactionsCsv, type SyntheticSpec } from './synthetic-hm';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'] as const;
  }),
);
const num = (k: string, d: number): number => (args.has(k) ? Number(args.get(k)) : d);

const spec: SyntheticSpec = {
  customers: num('customers', HM_SPEC.customers),
  articles: num('articles', HM_SPEC.articles),
  transactions: num('transactions', HM_SPEC.transactions),
  days: num('days', HM_SPEC.days),
  k: num('k', HM_SPEC.k),
  seed: num('seed', HM_SPEC.seed),
};
const parts = num('parts', 4);
const csvRows = num('csv-rows', 2_000_000);
const fromCsv = args.get('from-csv') === 'true';
const tmp = fs.mkdtempSync(path.join(args.get('tmp') ?? os.tmpdir(), 'recsys-bench-'));

const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
let peakSampled = 0;
function rss(): number {
  const r = process.memoryUsage().rss;
  peakSampled = Math.max(peakSampled, r);
  return r;
}
const summary: Record<string, unknown> = { node: process.version, cpus: os.cpus().length, spec, parts };
const stageTotals = { wallMs: 0, cpuMs: 0 };

function phase<T>(name: string, fn: () => T, inStage = true): T {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const out = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1000;
  if (inStage) {
    stageTotals.wallMs += wall;
    stageTotals.cpuMs += cpu;
  }
  console.log(
    `${name.padEnd(34)} wall ${(wall / 1000).toFixed(2).padStart(7)} s   CPU ${(cpu / 1000).toFixed(2).padStart(7)} s   RSS ${mb(rss())}`,
  );
  summary[name] = { wallS: +(wall / 1000).toFixed(2), cpuS: +(cpu / 1000).toFixed(2) };
  return out;
}

async function phaseAsync<T>(name: string, fn: () => Promise<T>, inStage = true): Promise<T> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const out = await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1000;
  if (inStage) {
    stageTotals.wallMs += wall;
    stageTotals.cpuMs += cpu;
  }
  console.log(
    `${name.padEnd(34)} wall ${(wall / 1000).toFixed(2).padStart(7)} s   CPU ${(cpu / 1000).toFixed(2).padStart(7)} s   RSS ${mb(rss())}`,
  );
  summary[name] = { wallS: +(wall / 1000).toFixed(2), cpuS: +(cpu / 1000).toFixed(2) };
  return out;
}

async function main(): Promise<void> {
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `spec ${JSON.stringify(spec)}, parts ${parts}, csv rows ${csvRows}${fromCsv ? ' (stage input from CSV)' : ''}`,
  );

  let data = phase('synthesise (not part of the stage)', () => synthesise(spec), false);
  console.log(
    `  ${data.transactions.length} transactions, ${data.customers.size} customers, ${data.articles.size} articles`,
  );

  let dataset: Dataset;
  if (csvRows > 0) {
    const csv = path.join(tmp, 'transactions_train.csv');
    const bytes = phase(
      `write ${csvRows} CSV rows (not timed)`,
      () => writeTransactionsCsv(csv, data, csvRows),
      false,
    );
    const customers = new IdTable(data.customers.size, 64);
    const articles = new ArticleIdTable(data.articles.size);
    for (let a = 0; a < data.articles.size; a++) articles.intern(data.articles.code(a));
    const parsed = await phaseAsync(
      'parse transactions CSV',
      () =>
        readTransactions(openCsvFile(csv), {
          file: csv,
          customers,
          articles,
          expectedRows: Math.min(csvRows, spec.transactions),
        }),
      fromCsv,
    );
    const t = summary['parse transactions CSV'] as { wallS: number; cpuS: number };
    const rowsPerS = parsed.summary.rows / t.wallS;
    console.log(
      `  ${parsed.summary.rows} rows, ${mb(bytes)}: ${(rowsPerS / 1e6).toFixed(2)}M rows/s, ${(bytes / 2 ** 20 / t.wallS).toFixed(0)} MiB/s wall ` +
        `(${(parsed.summary.rows / t.cpuS / 1e6).toFixed(2)}M rows/s per CPU-second)`,
    );
    summary.csv = {
      rows: parsed.summary.rows,
      bytes,
      rowsPerSecond: Math.round(rowsPerS),
      rowsPerCpuSecond: Math.round(parsed.summary.rows / t.cpuS),
    };
    fs.rmSync(csv);
    if (fromCsv) {
      dataset = {
        customers: parsed.customers,
        articles: parsed.articles,
        transactions: parsed.transactions,
        listedCustomers: 0,
        listedArticles: data.articles.size,
      };
    } else {
      dataset = datasetFromArrays(data.customers, data.articles, data.transactions);
    }
  } else {
    dataset = datasetFromArrays(data.customers, data.articles, data.transactions);
  }
  const neighbours = data.neighbours;
  data = undefined as unknown as typeof data;

  // ---- the recommend stage ----
  const rows = dataset.transactions.length;
  const prepared = phase('prepare (split, CSR, popularity)', () => prepareModel(dataset, neighbours));
  const prep = summary['prepare (split, CSR, popularity)'] as { wallS: number; cpuS: number };
  console.log(
    `  ${(rows / prep.wallS / 1e6).toFixed(2)}M transactions/s wall; ${JSON.stringify(prepared.report)}`,
  );
  dataset = undefined as unknown as Dataset;
  const file = path.join(tmp, 'model.bin');
  const bytes = await phaseAsync('write model file', () => writeModelFile(file, prepared.model));
  console.log(`  model file ${mb(bytes)}`);
  (prepared as { model: unknown }).model = undefined;
  globalThis.gc?.();
  const model = await phaseAsync('read model file (a worker)', () => readModelFile(file));

  const partials = Object.fromEntries(METHODS.map((m) => [m, [] as EvaluationPartial[]])) as Record<
    Method,
    EvaluationPartial[]
  >;
  let submissionBytes = 0;
  const ranges = splitRanges(model.customers.size, parts);
  for (const [i, [s, e]] of ranges.entries()) {
    const res = phase(`part ${i + 1}/${parts}: recommend + evaluate`, () => recommendRange(model, s, e));
    phase(`part ${i + 1}/${parts}: format submission rows`, () => {
      for (const chunk of submissionChunks(model, s, res.predictions[DEFAULT_METHOD]!))
        submissionBytes += chunk.length;
    });
    for (const m of METHODS)
      partials[m].push(JSON.parse(JSON.stringify(res.evaluation[m])) as EvaluationPartial);
  }
  const results = phase('merge evaluations', () => METHODS.map((m) => combineEvaluations(partials[m])));
  let recWall = 0;
  let recCpu = 0;
  for (const [key, v] of Object.entries(summary)) {
    if (!/^part .*recommend/.test(key)) continue;
    recWall += (v as { wallS: number }).wallS;
    recCpu += (v as { cpuS: number }).cpuS;
  }
  const nC = model.customers.size;
  console.log(
    `recommend + evaluate: ${nC} customers × ${METHODS.length} methods in ${recWall.toFixed(1)} s wall / ${recCpu.toFixed(1)} s CPU: ` +
      `${Math.round(nC / recWall)} customers/s wall (${Math.round(nC / recCpu)} per CPU-second), all methods`,
  );
  summary.recommend = {
    customersPerSecond: Math.round(nC / recWall),
    customersPerCpuSecond: Math.round(nC / recCpu),
  };
  fs.rmSync(tmp, { recursive: true, force: true });

  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(`submission: ${mb(submissionBytes)} of rows for ${model.customers.size} customers`);
  for (const r of results) {
    console.log(
      `  ${r.method.padEnd(10)} MAP@12 ${r.map12.toFixed(5)}  recall@12 ${r.recall12.toFixed(4)}  coverage ${r.coverage.toFixed(4)}  ` +
        `new articles: MAP@12 ${r.newArticles.map12.toFixed(5)} recall@12 ${r.newArticles.recall12.toFixed(4)} (${r.newArticles.evaluated} customers)  ` +
        `new customers: MAP@12 ${r.newCustomers.map12.toFixed(5)} (${r.newCustomers.evaluated})  evaluated ${r.evaluated}`,
    );
  }
  console.log(
    `STAGE TOTAL: wall ${(stageTotals.wallMs / 1000).toFixed(1)} s, CPU ${(stageTotals.cpuMs / 1000).toFixed(1)} s; ` +
      `peak RSS sampled ${mb(peakSampled)}, kernel maxRSS (whole process, synthesis included) ${mb(maxRss)}`,
  );
  summary.stage = {
    wallS: +(stageTotals.wallMs / 1000).toFixed(1),
    cpuS: +(stageTotals.cpuMs / 1000).toFixed(1),
  };
  summary.memory = {
    peakSampledRssMiB: Math.round(peakSampled / 2 ** 20),
    maxRssMiB: Math.round(maxRss / 2 ** 20),
  };
  summary.results = results.map((r) => ({
    method: r.method,
    map12: r.map12,
    recall12: r.recall12,
    coverage: r.coverage,
    newArticles: r.newArticles,
    newCustomers: r.newCustomers,
  }));
  console.log(`JSON ${JSON.stringify(summary)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
