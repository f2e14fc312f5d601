import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Manifest } from '@lookalike/core';
import { findCompleteSample, generateSample } from '@lookalike/sample-data';
import { paletteFor, STOP_SIGNALS, type CliContext } from '../cli-context';
import { EXIT } from '../errors';
import { followRebuild } from '../follow';
import { formatDuration } from '../format';
import { renderEvaluationTable } from '../evaluation-table';
import { renderQualityTable } from '../quality-table';
import { startLocalStack, type LocalStack } from '../local-stack';
import { println } from '../output';
import { apiClient, type SetExitCode } from './rebuild';
import { sampleOptions } from './sample';
import { addStackOptions } from './stack-options';

export interface DemoFlags {
  sample: string;
  storage: string;
  port: string;
  keepRunning?: boolean;
}

/** The closing summary of the demo: counts, stage timings, the evaluation table, where to look. */
export function renderDemoSummary(
  manifest: Manifest,
  where: { apiUrl: string; galleryFile: string },
): string {
  const lines: string[] = [];
  const c = manifest.counts;
  lines.push(
    `images   ${c.planned} planned, ${c.embedded} embedded (${c.cached} from cache), ${c.failed} failed; ${c.indexed} articles with ${manifest.spec.k} neighbours`,
  );
  lines.push(
    `stages   ${Object.entries(manifest.stages)
      .filter(([, s]) => s.state === 'done')
      .map(([name, s]) => `${name} ${formatDuration(s.ms ?? 0)}`)
      .join(' · ')}`,
  );
  if (manifest.pca) {
    lines.push(
      `pca      ${manifest.pca.inputDim} → ${manifest.pca.dims} dims, ${(manifest.pca.explainedVarianceRatio * 100).toFixed(1)}% of the variance`,
    );
  }
  const r = manifest.recommend;
  if (r?.methods) lines.push(...renderEvaluationTable({ spec: manifest.spec, recommend: r }));
  if (manifest.quality) {
    lines.push(
      `quality  neighbours against the labels of articles.csv (${manifest.quality.labelled} articles):`,
    );
    lines.push(...renderQualityTable(manifest.quality, '         '));
  }
  lines.push(`gallery  ${where.galleryFile}`);
  lines.push(`         ${where.apiUrl}/rebuilds/${manifest.rebuildId}/gallery/`);
  lines.push(`dashboard ${where.apiUrl}/admin/queues   rebuilds: ${where.apiUrl}/`);
  return lines.join('\n');
}

async function runDemo(ctx: CliContext, flags: DemoFlags): Promise<number> {
  const err = paletteFor(ctx.stderr, ctx.env);
  const out = paletteFor(ctx.stdout, ctx.env);
  const say = (text: string) => println(ctx.stderr, `${err.bold('lookalike demo')} ${text}`);
  // The same sample as `lookalike sample` with its defaults.
  const sample = sampleOptions({ out: flags.sample, images: true }, ctx.cwd);
  const sampleDir = sample.outDir;
  const storageDir = resolve(ctx.cwd, flags.storage);

  if (!(await findCompleteSample(sampleDir, sample))) {
    say(`generating the demo sample in ${sampleDir}`);
    await generateSample(sample);
  } else say(`using the sample in ${sampleDir}`);

  let stack: LocalStack | undefined;
  const stop = async () => {
    await stack?.stop();
    stack = undefined;
  };
  const onSignal = () => void stop().then(() => process.exit(EXIT.failure));
  for (const signal of STOP_SIGNALS) ctx.signals.on(signal, onSignal);
  try {
    say('starting Redis, the producer, 2 embedders, a reducer, 2 indexers and a recommender');
    stack = await startLocalStack({
      storageDir,
      port: Number(flags.port),
      env: { LOG_LEVEL: 'warn' },
      allowedLocations: [sampleDir],
    });
    say(`API ${stack.apiUrl} · dashboard ${stack.apiUrl}/admin/queues`);
    const client = apiClient(ctx, { api: stack.apiUrl });
    const { rebuildId } = await client.submit({
      images: join(sampleDir, 'images'),
      articles: join(sampleDir, 'articles.csv'),
      transactions: join(sampleDir, 'transactions_train.csv'),
      customers: join(sampleDir, 'customers.csv'),
      shardSize: 100,
    });
    say(`submitted rebuild ${rebuildId}`);
    const status = await followRebuild({
      client,
      rebuildId,
      out: ctx.stderr,
      err: ctx.stderr,
      palette: err,
      tty: Boolean((ctx.stderr as { isTTY?: boolean }).isTTY),
      // The closing summary below prints the quality and evaluation tables once.
      results: false,
    });
    const manifest = status.manifest;
    if (manifest.status !== 'completed') {
      println(ctx.stdout, out.red(`rebuild ${rebuildId} ${manifest.status}: ${manifest.error ?? ''}`));
      return EXIT.failure;
    }
    const galleryFile = join(storageDir, 'rebuilds', rebuildId, 'gallery', 'index.html');
    println(ctx.stdout, `\n${out.green(out.bold(`rebuild ${rebuildId} completed`))}`);
    println(ctx.stdout, renderDemoSummary(manifest, { apiUrl: stack.apiUrl, galleryFile }));
    if (flags.keepRunning) {
      say('kept running (--keep-running): Ctrl-C stops everything');
      await new Promise<void>(() => undefined);
    }
    return EXIT.ok;
  } finally {
    for (const signal of STOP_SIGNALS) ctx.signals.off(signal, onSignal);
    await stop();
  }
}

export function addDemoCommand(program: Command, ctx: CliContext, setExitCode: SetExitCode): void {
  addStackOptions(
    program
      .command('demo')
      .description(
        'generate the demo sample if absent, run every service locally, rebuild it with recommendations, and summarise',
      )
      .option('--sample <dir>', 'sample folder', './.lookalike/sample'),
  )
    .option('--keep-running', 'keep the services (and the dashboard) up after the summary')
    .action(async (flags: DemoFlags) => {
      setExitCode(await runDemo(ctx, flags));
    });
}
