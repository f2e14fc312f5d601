import type { Manifest } from '@lookalike/core';
import type { RebuildStatusResponse } from './api-types';
import { colourByWord, type ColourName, type Palette } from './colors';
import { renderEvaluationTable } from './evaluation-table';
import { formatCount, formatDuration, formatPercent } from './format';
import { renderQualityTable } from './quality-table';
import { renderStageLines, stageRows } from './stages';

export interface ViewOptions {
  palette: Palette;
  /** Clock for running stages' elapsed time. */
  now?: number;
  /** Include the neighbour-quality and evaluation tables (default true; the demo prints them in its own summary). */
  results?: boolean;
}

/** The colours of the rebuild statuses that are over; a running one is cyan. */
const STATUS_TONES: Partial<Record<Manifest['status'], readonly ColourName[]>> = {
  completed: ['green'],
  failed: ['red'],
  cancelled: ['yellow'],
};

/** Colours a rebuild status word. */
export function colourStatus(status: Manifest['status'], p: Palette): string {
  return colourByWord(p, status, status, STATUS_TONES, ['cyan']);
}

function specLine(spec: Manifest['spec']): string {
  const parts = [
    `images=${spec.images}`,
    ...(spec.articles !== undefined ? [`articles=${spec.articles}`] : []),
    `shardSize=${spec.shardSize}`,
    `pcaDims=${spec.pcaDims}`,
    `pcaSample=${spec.pcaSampleSize}`,
    `k=${spec.k}`,
    `rowsPerJob=${spec.neighbourRowsPerJob}`,
    `batchSize=${spec.batchSize}`,
    ...(spec.modelUrl !== undefined ? [`model=${spec.modelUrl}`] : []),
    `publish=${spec.publish ? 'yes' : 'no'}`,
  ];
  return parts.join(' ');
}

function countsLine(counts: Manifest['counts']): string {
  const entries: [string, number][] = [
    ['planned', counts.planned],
    ['embedded', counts.embedded],
    ['failed', counts.failed],
    ['cached', counts.cached],
    ['ignored files', counts.ignoredFiles],
    ['missing images', counts.missingImages],
    ['indexed', counts.indexed],
  ];
  return entries.map(([name, n]) => `${name} ${formatCount(n)}`).join('  ');
}

/** Failures by reason, most frequent first, each with up to `examplesPerReason` examples. */
export function renderFailures(failures: Manifest['failures'], p: Palette, examplesPerReason = 2): string[] {
  const reasons = Object.entries(failures.byReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (reasons.length === 0) return [];
  const width = Math.max(...reasons.map(([reason]) => reason.length));
  const lines: string[] = [];
  for (const [reason, n] of reasons) {
    lines.push(`  ${p.red(reason.padEnd(width))}  ${formatCount(n)}`);
    for (const example of failures.examples.filter((e) => e.reason === reason).slice(0, examplesPerReason)) {
      lines.push(p.dim(`    e.g. ${example.articleId} ${example.key}: ${example.message}`));
    }
  }
  return lines;
}

/** `waiting for storage: 3 jobs retry (last failure 12:00:01: S3 get … ECONNREFUSED)`. */
export function waitingText(waiting: NonNullable<RebuildStatusResponse['waiting']>): string {
  const what = waiting.for === 'redis' ? 'Redis' : waiting.for;
  const jobs = waiting.jobs > 0 ? `: ${waiting.jobs} job${waiting.jobs === 1 ? '' : 's'} will retry` : '';
  return `waiting for ${what}${jobs} (${waiting.at.slice(11, 19)} ${waiting.error})`;
}

/** The readable summary printed by `lookalike rebuild status <id>`. */
export function renderStatusSummary(status: RebuildStatusResponse, options: ViewOptions): string {
  const p = options.palette;
  const now = options.now ?? Date.now();
  const m = status.manifest;
  const label = (name: string) => p.bold(name.padEnd(9));
  const lines: string[] = [];
  lines.push(`${label('rebuild')}${m.rebuildId}`);
  const stepNote =
    m.status === 'running' ? `, step ${p.bold(m.step)}` : m.step === 'done' ? '' : ` at step ${m.step}`;
  lines.push(`${label('status')}${colourStatus(m.status, p)}${stepNote}`);
  if (m.status === 'running' && status.waiting)
    lines.push(`${label('')}${p.yellow(waitingText(status.waiting))}`);
  const created = Date.parse(m.createdAt);
  const finished = m.finishedAt !== undefined ? Date.parse(m.finishedAt) : undefined;
  const took =
    finished !== undefined
      ? `, took ${formatDuration(finished - created)}`
      : m.status === 'running'
        ? `, running for ${formatDuration(now - created)}`
        : '';
  lines.push(
    `${label('created')}${m.createdAt}${m.finishedAt !== undefined ? `  finished ${m.finishedAt}` : ''}${took}`,
  );
  lines.push(`${label('spec')}${specLine(m.spec)}`);
  if (m.model !== undefined) lines.push(`${label('model')}${m.model.id} (${m.model.dim}-d)`);
  if (m.status === 'running' && status.progress.total > 0) {
    const { step, done, failed, total, embedded } = status.progress;
    const images =
      embedded !== undefined
        ? `, ${formatCount(embedded)}/${formatCount(m.counts.planned)} images embedded`
        : '';
    lines.push(
      `${label('progress')}${step} ${formatCount(done)}/${formatCount(total)} jobs (${formatPercent(done / total, 0)})${images}${failed > 0 ? p.red(`, ${failed} failed`) : ''}`,
    );
  }
  lines.push(p.bold('stages'));
  lines.push(...renderStageLines(stageRows(m, now), p));
  lines.push(`${label('counts')}${countsLine(m.counts)}`);
  const failureLines = renderFailures(m.failures, p);
  if (failureLines.length > 0) {
    lines.push(`${label('failures')}${formatCount(m.counts.failed)} images failed to embed, by reason:`);
    lines.push(...failureLines);
  }
  if (m.pca !== undefined) {
    const leading = m.pca.leadingRatios
      .slice(0, 5)
      .map((r) => formatPercent(r))
      .join(' ');
    lines.push(
      `${label('pca')}${m.pca.inputDim} → ${m.pca.dims} dims, explained variance ${formatPercent(m.pca.explainedVarianceRatio)} (fit on ${formatCount(m.pca.sampled)} rows${leading ? `; leading ${leading}` : ''})`,
    );
  }
  const results = options.results ?? true;
  if (results && m.quality !== undefined) {
    lines.push(
      `${label('quality')}neighbours against the labels of articles.csv (${formatCount(m.quality.labelled)} articles):`,
    );
    lines.push(...renderQualityTable(m.quality, ' '.repeat(9)));
  }
  if (results && m.recommend?.methods) {
    lines.push(p.bold('evaluation'));
    lines.push(...renderEvaluationTable({ spec: m.spec, recommend: m.recommend }));
  }
  if (m.error !== undefined) {
    const kind = {
      permanent: 'cannot succeed as given',
      budget: 'retries spent',
      attempts: 'failed repeatedly',
    }[m.errorKind ?? 'permanent'];
    lines.push(`${label('error')}${p.red(m.error)}${m.errorKind !== undefined ? p.dim(` (${kind})`) : ''}`);
    if (m.status === 'failed' || m.status === 'cancelled') {
      lines.push(p.dim(`${' '.repeat(9)}fix the cause, then: lookalike rebuild retry ${m.rebuildId}`));
    }
  }
  if (status.job !== undefined && (status.job.failedReason !== undefined || m.status !== 'completed')) {
    const { state, attemptsMade, failedReason } = status.job;
    const attempts = attemptsMade > 0 ? `, ${attemptsMade} attempt${attemptsMade === 1 ? '' : 's'} made` : '';
    lines.push(`${label('job')}${state}${attempts}${failedReason !== undefined ? `: ${failedReason}` : ''}`);
  }
  return lines.join('\n');
}
