import type { RebuildListEntry, SimilarResponse } from './api-types';
import type { Palette } from './colors';
import { formatCount, formatDuration } from './format';
import { colourStatus } from './status-view';

/** `lookalike rebuild list`: one row per rebuild, newest first (the API's order). */
export function renderRebuildList(rebuilds: RebuildListEntry[], p: Palette): string {
  if (rebuilds.length === 0) return 'no rebuilds yet';
  const idWidth = Math.max(7, ...rebuilds.map((r) => r.rebuildId.length));
  const header = p.bold(
    `${'REBUILD'.padEnd(idWidth)}  ${'STATUS'.padEnd(9)}  ${'STEP'.padEnd(11)}  ${'CREATED'.padEnd(24)}  ${'TOOK'.padStart(8)}  ${'PLANNED'.padStart(9)}  ${'FAILED'.padStart(7)}  ${'INDEXED'.padStart(9)}`,
  );
  const rows = rebuilds.map((r) => {
    const took =
      r.finishedAt !== undefined ? formatDuration(Date.parse(r.finishedAt) - Date.parse(r.createdAt)) : '';
    return [
      r.rebuildId.padEnd(idWidth),
      colourStatus(r.status, p) + ' '.repeat(Math.max(0, 9 - r.status.length)),
      r.step.padEnd(11),
      r.createdAt.padEnd(24),
      took.padStart(8),
      formatCount(r.counts.planned).padStart(9),
      formatCount(r.counts.failed).padStart(7),
      formatCount(r.counts.indexed).padStart(9),
    ].join('  ');
  });
  return [header, ...rows].join('\n');
}

/** `lookalike similar <articleId>`: the neighbours with their cosine scores. */
export function renderSimilar(answer: SimilarResponse, p: Palette): string {
  const lines = [p.dim(`articles that look like ${answer.articleId} (rebuild ${answer.rebuildId}):`)];
  answer.similar.forEach((s, i) => {
    lines.push(`${String(i + 1).padStart(3)}  ${s.articleId}  ${s.score.toFixed(4)}`);
  });
  if (answer.similar.length === 0) lines.push('  (none)');
  return lines.join('\n');
}
