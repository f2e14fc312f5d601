import type { RebuildStatusResponse } from './api-types';
import type { Palette } from './colors';
import { stripAnsi } from './colors';
import { formatCount, formatDuration, formatPercent, progressBar, truncate } from './format';
import { renderStageLines, stageRows } from './stages';
import { colourStatus, waitingText } from './status-view';

export interface ProgressViewOptions {
  palette: Palette;
  now?: number;
  /** Terminal width; lines are cut to fit so that redrawing in place stays aligned. */
  columns?: number;
  barWidth?: number;
}

/** The live block redrawn every second by `--follow` on a terminal: header, bar, stage list. */
export function renderProgressBlock(status: RebuildStatusResponse, options: ProgressViewOptions): string[] {
  const p = options.palette;
  const now = options.now ?? Date.now();
  const m = status.manifest;
  const elapsedEnd = m.finishedAt !== undefined ? Date.parse(m.finishedAt) : now;
  const elapsed = formatDuration(elapsedEnd - Date.parse(m.createdAt));
  const lines = [
    `${p.bold(m.rebuildId)}  ${colourStatus(m.status, p)}  step ${p.bold(m.step)}  ${p.dim(elapsed)}`,
  ];
  const { step, done, failed, total } = status.progress;
  if (m.status === 'running' && total > 0) {
    const failedNote = failed > 0 ? `  ${p.red(`${formatCount(failed)} failed`)}` : '';
    lines.push(
      `  ${step}  ${p.cyan(progressBar(done, total, options.barWidth ?? 30))}  ${formatCount(done)}/${formatCount(total)}  ${formatPercent(done / total, 0)}${failedNote}`,
    );
  }
  if (m.status === 'running' && status.waiting) lines.push(`  ${p.yellow(waitingText(status.waiting))}`);
  lines.push(...renderStageLines(stageRows(m, now), p));
  const columns = options.columns;
  if (columns === undefined || columns <= 0) return lines;
  return lines.map((line) =>
    stripAnsi(line).length < columns ? line : truncate(stripAnsi(line), columns - 1),
  );
}

/** What `--follow` prints on a non-terminal: one line, printed again only when it changes. */
export function renderProgressLine(status: RebuildStatusResponse): string {
  const m = status.manifest;
  const { done, failed, total } = status.progress;
  const parts = [`rebuild ${m.rebuildId}`, m.status, `step=${m.step}`];
  if (m.status === 'running' && total > 0) parts.push(`jobs=${done}/${total}`);
  if (failed > 0) parts.push(`failed-jobs=${failed}`);
  if (m.counts.planned > 0) {
    // During the embed stage the counts are not in the manifest yet: the finished shards' results are.
    const live = m.status === 'running' && m.step === 'embed' && status.progress.embedded !== undefined;
    const embedded = live ? status.progress.embedded! : m.counts.embedded;
    const failedImages = live ? (status.progress.failedImages ?? 0) : m.counts.failed;
    parts.push(`embedded=${embedded}/${m.counts.planned}`);
    if (failedImages > 0) parts.push(`failed-images=${failedImages}`);
  }
  if (m.status === 'running' && status.waiting) parts.push(`waiting-for=${status.waiting.for}`);
  if (m.error !== undefined) parts.push(`error=${JSON.stringify(m.error)}`);
  return parts.join(' ');
}

/** Escape sequence that moves the cursor up over `lines` printed lines and clears them. */
export function eraseLines(lines: number): string {
  return lines > 0 ? `\x1b[${lines}A\r\x1b[0J` : '';
}
