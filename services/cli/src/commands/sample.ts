import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  DEMO_SIZE,
  HM_SIZE,
  findCompleteSample,
  generateSample,
  type SampleManifest,
  type SampleOptions,
  type SamplePhase,
  type SampleProgress,
} from '@lookalike/sample-data';
import { paletteFor, type CliContext } from '../cli-context';
import { CliError, EXIT, UsageError } from '../errors';
import { formatCount, formatDuration, progressBar } from '../format';
import { println } from '../output';
import { parseIntegerFlag } from '../submit-options';
import type { SetExitCode } from './rebuild';

export interface SampleFlags {
  out: string;
  articles?: string;
  customers?: string;
  transactions?: string;
  days?: string;
  seed?: string;
  full?: boolean;
  images: boolean;
  force?: boolean;
}

/** Maps the `sample` flags to generator options (sizes: explicit flags, else --full's H&M sizes, else the demo's). */
export function sampleOptions(flags: SampleFlags, cwd: string): Omit<SampleOptions, 'onProgress'> {
  const sizes = flags.full ? HM_SIZE : DEMO_SIZE;
  const count = (flag: string, value: string | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    const n = parseIntegerFlag(flag, value);
    if (n < min) throw new UsageError(`${flag}: expected at least ${min}, got ${n}`);
    return n;
  };
  const options: Omit<SampleOptions, 'onProgress'> = {
    outDir: resolve(cwd, flags.out),
    articles: count('--articles', flags.articles, sizes.articles, 1),
    customers: count('--customers', flags.customers, sizes.customers, 1),
    transactions: count('--transactions', flags.transactions, sizes.transactions, 0),
    images: flags.images,
    overwrite: flags.force === true,
  };
  if (flags.days !== undefined) options.days = count('--days', flags.days, 0, 14);
  if (flags.seed !== undefined) {
    const seed = parseIntegerFlag('--seed', flags.seed);
    if (seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed: expected 0 to 4294967295, got ${seed}`);
    options.seed = seed;
  }
  return options;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The summary printed after generating (or finding) a sample. */
export function renderSampleSummary(outDir: string, m: SampleManifest): string {
  const c = m.counts;
  const w = m.lastWeek;
  const p = m.params;
  const files = m.files.map((f) =>
    f.count !== undefined
      ? `${f.path}/ (${formatCount(f.count)} files, ${formatBytes(f.bytes)})`
      : `${f.path} (${formatBytes(f.bytes)})`,
  );
  return [
    `  folder        ${outDir}`,
    `  articles      ${formatCount(c.articles)} in ${formatCount(c.products)} products; ${formatCount(c.articlesSold)} sold at least once`,
    `  images        ${p.images ? `${formatCount(c.images)} at ${p.imageSize.width}×${p.imageSize.height}` : 'none (--no-images)'}`,
    `  customers     ${formatCount(c.customers)}; ${formatCount(c.buyingCustomers)} bought something`,
    `  transactions  ${formatCount(c.transactions)} from ${m.dateRange.first} to ${m.dateRange.last} (${p.days} days, seed ${p.seed})`,
    `  repurchases   ${formatCount(c.repeatPurchases)} transactions repeat an article the customer bought on an earlier day`,
    `  last week     ${w.from} … ${w.to}: ${formatCount(w.transactions)} transactions by ${formatCount(w.customers)} customers (${formatCount(w.newCustomers)} first-time)`,
    `  new arrivals  ${formatCount(w.newArticles)} articles first sold in the last week (${formatCount(w.newArticleTransactions)} transactions)`,
    `  files         ${[...files, 'sample.json'].join(', ')}`,
  ].join('\n');
}

const PHASES: SamplePhase[] = ['articles', 'customers', 'transactions', 'images'];

/** Progress on stderr: one redrawn line on a terminal, a line per finished phase otherwise. */
function progressReporter(ctx: CliContext): { report: (p: SampleProgress) => void; done: () => void } {
  const tty = ctx.stderr.isTTY === true;
  let open = false;
  return {
    report: (p) => {
      const step = `${PHASES.indexOf(p.phase) + 1}/${PHASES.length}`;
      if (tty) {
        const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
        ctx.stderr.write(
          `\r  ${step} ${p.phase.padEnd(12)} ${progressBar(p.done, p.total, 24)} ${String(pct).padStart(3)}% ${formatCount(p.done)}/${formatCount(p.total)}\x1b[K`,
        );
        open = true;
        if (p.done >= p.total) {
          ctx.stderr.write('\n');
          open = false;
        }
      } else if (p.done >= p.total) {
        println(ctx.stderr, `  ${step} ${p.phase}: ${formatCount(p.total)}`);
      }
    },
    done: () => {
      if (open) ctx.stderr.write('\n');
    },
  };
}

/** `lookalike sample`: writes a deterministic H&M-shaped dataset. */
export function addSampleCommand(program: Command, ctx: CliContext, setExitCode: SetExitCode): void {
  program
    .command('sample')
    .description(
      'write a deterministic H&M-shaped dataset: articles.csv, customers.csv, transactions_train.csv and images/0XX/<id>.jpg',
    )
    .option('--out <dir>', 'output folder', './.lookalike/sample')
    .option(
      '--articles <n>',
      `articles (default ${formatCount(DEMO_SIZE.articles)}; --full: ${formatCount(HM_SIZE.articles)})`,
    )
    .option(
      '--customers <n>',
      `customers (default ${formatCount(DEMO_SIZE.customers)}; --full: ${formatCount(HM_SIZE.customers)})`,
    )
    .option(
      '--transactions <n>',
      `transactions (default ${formatCount(DEMO_SIZE.transactions)}; --full: ${formatCount(HM_SIZE.transactions)})`,
    )
    .option(
      '--days <n>',
      'days of transactions, ending with the holdout week (default 734: 2018-09-20 … 2020-09-22)',
    )
    .option('--seed <n>', 'random seed: the same seed and sizes give byte-identical files (default 1)')
    .option(
      '--full',
      "the competition's sizes (CSV generation takes minutes; add --no-images to skip 105k images)",
    )
    .option('--no-images', 'write the CSV files only')
    .option(
      '--force',
      'regenerate even if the folder holds this sample already; overwrite a folder that is not a sample',
    )
    .action(async (flags: SampleFlags) => {
      const options = sampleOptions(flags, ctx.cwd);
      const out = paletteFor(ctx.stdout, ctx.env);
      const err = paletteFor(ctx.stderr, ctx.env);
      if (!flags.force) {
        const existing = await findCompleteSample(options.outDir, options);
        if (existing) {
          println(
            ctx.stderr,
            err.yellow(`sample in ${options.outDir} is up to date (same parameters); --force regenerates it`),
          );
          println(ctx.stdout, renderSampleSummary(options.outDir, existing));
          setExitCode(EXIT.ok);
          return;
        }
      }
      println(
        ctx.stderr,
        `${err.bold('lookalike sample')} ${formatCount(options.articles!)} articles, ${formatCount(options.customers!)} customers, ${formatCount(options.transactions!)} transactions${options.images ? '' : ', no images'} → ${options.outDir}`,
      );
      const progress = progressReporter(ctx);
      let summary;
      try {
        summary = await generateSample({ ...options, onProgress: progress.report });
      } catch (e) {
        progress.done();
        const message = (e as Error).message;
        if (/not overwriting/.test(message))
          throw new CliError(`${message} (--force overwrites it)`, EXIT.usage);
        if (e instanceof RangeError) throw new UsageError(message);
        throw e;
      }
      progress.done();
      const t = summary.timingsMs;
      println(
        ctx.stdout,
        `${out.green('sample written')} in ${formatDuration(t.total)} (articles ${formatDuration(t.articles)}, customers ${formatDuration(t.customers)}, transactions ${formatDuration(t.transactions)}, images ${formatDuration(t.images)})`,
      );
      println(ctx.stdout, renderSampleSummary(summary.outDir, summary));
      setExitCode(EXIT.ok);
    });
}
