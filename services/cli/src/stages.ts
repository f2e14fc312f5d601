import { STAGES_IN_MANIFEST, type Manifest, type StageState } from '@lookalike/core';
import type { Palette } from './colors';
import { formatDuration } from './format';

export interface StageRow {
  name: string;
  /** The stage's state; a stage left running by a rebuild that failed or was cancelled shows that outcome. */
  state: StageState['state'] | 'failed' | 'cancelled';
  /** Finished duration, or time since start for a running stage; undefined when not started. */
  ms: number | undefined;
  jobs: number | undefined;
}

/** The manifest's stages in pipeline order (unknown stage names last, in manifest order). */
export function stageRows(
  manifest: Pick<Manifest, 'stages' | 'status' | 'finishedAt' | 'updatedAt'>,
  now: number = Date.now(),
): StageRow[] {
  const over = manifest.status !== 'running';
  const endOfRebuild = over ? Date.parse(manifest.finishedAt ?? manifest.updatedAt) : now;
  const known = STAGES_IN_MANIFEST as readonly string[];
  const names = [
    ...known.filter((name) => manifest.stages[name] !== undefined),
    ...Object.keys(manifest.stages).filter((name) => !known.includes(name)),
  ];
  return names.map((name) => {
    const stage = manifest.stages[name]!;
    let ms = stage.ms;
    if (ms === undefined && stage.startedAt !== undefined) {
      const start = Date.parse(stage.startedAt);
      const end = stage.finishedAt !== undefined ? Date.parse(stage.finishedAt) : endOfRebuild;
      if (Number.isFinite(start) && Number.isFinite(end)) ms = Math.max(0, end - start);
    }
    const state: StageRow['state'] =
      over && stage.state === 'running' && manifest.status !== 'completed'
        ? (manifest.status as 'failed' | 'cancelled')
        : stage.state;
    return { name, state, ms, jobs: stage.jobs };
  });
}

export function stageSymbol(state: StageRow['state'], p: Palette): string {
  switch (state) {
    case 'done':
      return p.green('✓');
    case 'running':
      return p.cyan('▸');
    case 'skipped':
      return p.dim('–');
    case 'failed':
      return p.red('✗');
    case 'cancelled':
      return p.yellow('✗');
    default:
      return p.gray('·');
  }
}

/** One aligned line per stage: `✓ embed         done      12.3s  10 jobs`. */
export function renderStageLines(rows: StageRow[], p: Palette, indent = '  '): string[] {
  const nameWidth = Math.max(5, ...rows.map((r) => r.name.length));
  return rows.map((row) => {
    const state = row.state.padEnd(9);
    const colour = {
      running: p.cyan,
      pending: p.gray,
      failed: p.red,
      cancelled: p.yellow,
      done: undefined,
      skipped: undefined,
    }[row.state];
    const colouredState = colour ? colour(state) : state;
    const duration = row.ms === undefined ? '' : formatDuration(row.ms).padStart(8);
    const jobs = row.jobs === undefined ? '' : `  ${row.jobs} job${row.jobs === 1 ? '' : 's'}`;
    return `${indent}${stageSymbol(row.state, p)} ${row.name.padEnd(nameWidth)}  ${colouredState}${duration}${jobs}`.trimEnd();
  });
}
