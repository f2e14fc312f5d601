import { completedStatus, recommendSummary, status } from '../test/fixtures';
import { createPalette, stripAnsi } from './colors';
import { renderRebuildList, renderSimilar } from './list-view';
import { eraseLines, renderProgressBlock, renderProgressLine } from './progress-view';
import { renderStatusSummary } from './status-view';

const plain = createPalette(false);
const now = Date.parse('2026-11-25T22:37:30.000Z');

describe('renderStatusSummary', () => {
  it('shows a running rebuild: status, step, stage states and durations, progress, counts', () => {
    const text = renderStatusSummary(status({}, { done: 5, failed: 1, total: 12 }), { palette: plain, now });
    expect(text).toContain('rb-20261125-223629-3fa2c1');
    expect(text).toMatch(/status\s+running, step embed/);
    expect(text).toContain('running for 1m 01s');
    expect(text).toContain('embed 5/12 jobs (42%), 1 failed');
    expect(text).toMatch(/✓ plan\s+done\s+1\.2s/);
    // A running stage without ms shows the time since it started.
    expect(text).toMatch(/▸ embed\s+running\s+1m 00s\s+12 jobs/);
    expect(text).toMatch(/· fit\s+pending/);
    expect(text).toContain('planned 12,000');
    expect(text).toContain('ignored files 3');
    expect(text).toContain('missing images 7');
    expect(text).not.toContain('failures');
    expect(text).not.toMatch(/^pca/m);
    expect(text).toMatch(/^job\s+waiting-children$/m);
    expect(text).toContain('shardSize=1000 pcaDims=256');
  });

  it('shows a completed rebuild: failures by reason with examples, PCA, time taken', () => {
    const text = renderStatusSummary(completedStatus(), { palette: plain, now });
    expect(text).toMatch(/status\s+completed\n/);
    expect(text).toContain('took 5m 02s');
    expect(text).toContain('embedded 11,990  failed 10  cached 500');
    expect(text).toContain('indexed 11,990');
    expect(text).toMatch(/corrupt\s+7/);
    expect(text).toMatch(/too-large\s+3/);
    expect(text).toContain('e.g. 0108775015 images/010/0108775015.jpg: unsupported image format');
    expect(text).toContain('e.g. 0110065001');
    expect(text).not.toContain('third example'); // two examples per reason
    expect(text.indexOf('corrupt')).toBeLessThan(text.indexOf('too-large'));
    expect(text).toContain(
      '1792 → 256 dims, explained variance 87.3% (fit on 12,000 rows; leading 12.0% 8.0% 5.0%)',
    );
    expect(text).toMatch(/– recommend\s+skipped/);
    expect(text).toContain('mobilenet_v2_140_224 (1792-d)');
    expect(text).not.toContain('error');
  });

  it('shows the neighbour-quality report beside chance', () => {
    const done = completedStatus();
    done.manifest.quality = {
      version: 1,
      articles: 2000,
      labelled: 2000,
      k: 20,
      ks: [1, 10],
      labels: [
        {
          column: 'product_type_name',
          articles: 2000,
          values: 107,
          chance: 0.052,
          shareAt: { '1': 0.594, '10': 0.439 },
        },
        {
          column: 'colour_group_name',
          articles: 2000,
          values: 40,
          chance: 0.107,
          shareAt: { '1': 0.41, '10': 0.349 },
        },
      ],
      siblings: {
        articles: 1267,
        meanSiblings: 2.1,
        recallAt: { '1': 0.2, '10': 0.352 },
        shareAt: { '1': 0.278, '10': 0.1 },
      },
    };
    const text = renderStatusSummary(done, { palette: plain, now });
    expect(text).toContain('quality  neighbours against the labels of articles.csv (2,000 articles):');
    expect(text).toMatch(/same as the article\s+@1\s+@10\s+chance/);
    expect(text).toMatch(/product type\s+0\.594\s+0\.439\s+0\.052/);
    expect(text).toMatch(/colour\s+0\.410\s+0\.349\s+0\.107/);
    expect(text).toMatch(/colour-variant recall\s+0\.200\s+0\.352\s+\(1267 articles with a variant\)/);
    expect(renderStatusSummary(completedStatus(), { palette: plain, now })).not.toContain('quality');
  });

  it('shows the evaluation table of a rebuild that recommended', () => {
    const done = completedStatus();
    done.manifest.recommend = recommendSummary();
    const text = renderStatusSummary(done, { palette: plain, now });
    expect(text).toMatch(/^evaluation$/m);
    expect(text).toMatch(/^hybrid\s+0\.10360\s+0\.2346/m);
    expect(renderStatusSummary(completedStatus(), { palette: plain, now })).not.toMatch(/^evaluation$/m);
    // Without results (the demo's status block, whose own summary prints them): neither table.
    const brief = renderStatusSummary(done, { palette: plain, now, results: false });
    expect(brief).not.toMatch(/^evaluation$/m);
    expect(brief).not.toContain('hybrid');
  });

  it('shows the error and the job of a failed rebuild', () => {
    const failed = status({
      status: 'failed',
      step: 'fit',
      error: 'PCA fit failed: not enough rows',
      finishedAt: '2026-11-25T22:38:00.000Z',
    });
    failed.job = { state: 'failed', attemptsMade: 10, failedReason: 'PCA fit failed: not enough rows' };
    const text = renderStatusSummary(failed, { palette: plain, now });
    expect(text).toMatch(/status\s+failed at step fit/);
    expect(text).toMatch(/error\s+PCA fit failed: not enough rows/);
    expect(text).toMatch(/job\s+failed, 10 attempts made: PCA fit failed/);
    // The stage the rebuild failed in shows as failed, timed up to the end of the rebuild.
    expect(text).toMatch(/✗ embed\s+failed\s+1m 30s\s+12 jobs/);
  });

  it('colours only when asked', () => {
    const coloured = renderStatusSummary(completedStatus(), { palette: createPalette(true), now });
    expect(coloured).toContain('\x1b[32mcompleted');
    expect(stripAnsi(coloured)).toBe(renderStatusSummary(completedStatus(), { palette: plain, now }));
  });
});

describe('renderProgressBlock', () => {
  it('draws a bar for the current step when it has jobs, then the stages', () => {
    const lines = renderProgressBlock(status({}, { done: 6, failed: 0, total: 12 }), {
      palette: plain,
      now,
      barWidth: 10,
    });
    expect(lines[0]).toMatch(/^rb-20261125-223629-3fa2c1 {2}running {2}step embed {2}1m 01s$/);
    expect(lines[1]).toBe('  embed  █████░░░░░  6/12  50%');
    expect(lines.slice(2).join('\n')).toMatch(/✓ plan[\s\S]*▸ embed[\s\S]*· fit[\s\S]*· project/);
  });

  it('has no bar while the step has no jobs, and fits the terminal width', () => {
    const lines = renderProgressBlock(status({ step: 'plan' }), {
      palette: createPalette(true),
      now,
      columns: 20,
    });
    expect(lines.some((l) => l.includes('█'))).toBe(false);
    for (const line of lines) expect(stripAnsi(line).length).toBeLessThan(20);
  });

  it('erases what it drew', () => {
    expect(eraseLines(0)).toBe('');
    expect(eraseLines(3)).toBe('\x1b[3A\r\x1b[0J');
  });
});

describe('renderProgressLine', () => {
  it('is one stable line per state', () => {
    expect(renderProgressLine(status({}, { done: 3, failed: 1, total: 12 }))).toBe(
      'rebuild rb-20261125-223629-3fa2c1 running step=embed jobs=3/12 failed-jobs=1 embedded=0/12000',
    );
    expect(renderProgressLine(status({ status: 'failed', error: 'boom' }))).toContain(
      'failed step=embed embedded=0/12000 error="boom"',
    );
  });
});

describe('list and similar views', () => {
  it('lists rebuilds as a table', () => {
    const s = completedStatus().manifest;
    const text = renderRebuildList(
      [
        {
          rebuildId: s.rebuildId,
          status: s.status,
          step: s.step,
          createdAt: s.createdAt,
          finishedAt: s.finishedAt,
          counts: s.counts,
        },
        {
          rebuildId: 'nightly-1',
          status: 'running',
          step: 'embed',
          createdAt: s.createdAt,
          counts: status().manifest.counts,
        },
      ],
      plain,
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^REBUILD\s+STATUS\s+STEP\s+CREATED\s+TOOK\s+PLANNED\s+FAILED\s+INDEXED$/);
    expect(lines[1]).toMatch(
      /^rb-20261125-223629-3fa2c1\s+completed\s+done\s+2026-11-25T22:36:29.000Z\s+5m 02s\s+12,000\s+10\s+11,990$/,
    );
    expect(lines[2]).toMatch(/^nightly-1\s+running\s+embed/);
    expect(renderRebuildList([], plain)).toBe('no rebuilds yet');
  });

  it('lists neighbours with scores', () => {
    const text = renderSimilar(
      {
        articleId: '0108775015',
        rebuildId: 'rb-1',
        similar: [
          { articleId: '0108775044', score: 0.98765 },
          { articleId: '0110065001', score: 0.5 },
        ],
      },
      plain,
    );
    expect(text).toContain('look like 0108775015 (rebuild rb-1)');
    expect(text).toContain('  1  0108775044  0.9877');
    expect(text).toContain('  2  0110065001  0.5000');
  });
});

describe('progress and waiting (issue 11)', () => {
  it('counts images embedded so far during the embed stage, failures apart', () => {
    const line = renderProgressLine(status({}, { done: 4, total: 12, embedded: 3990, failedImages: 10 }));
    expect(line).toBe(
      'rebuild rb-20261125-223629-3fa2c1 running step=embed jobs=4/12 embedded=3990/12000 failed-images=10',
    );
  });

  it('says what a running rebuild waits for', () => {
    const s = {
      ...status({}, { done: 4, total: 12, embedded: 4000 }),
      waiting: {
        for: 'storage' as const,
        jobs: 3,
        error: 'S3 get failed: connect ECONNREFUSED',
        at: '2026-11-25T22:38:01.000Z',
      },
    };
    expect(renderProgressLine(s)).toContain('embedded=4000/12000 waiting-for=storage');
    const text = renderStatusSummary(s, {
      palette: createPalette(false),
      now: Date.parse('2026-11-25T22:39:00.000Z'),
    });
    expect(text).toContain(
      'waiting for storage: 3 jobs will retry (22:38:01 S3 get failed: connect ECONNREFUSED)',
    );
    expect(text).toContain('4,000/12,000 images embedded');
  });

  it('explains a permanent failure and how to retry', () => {
    const text = renderStatusSummary(
      status({
        status: 'failed',
        step: 'plan',
        error: 'plan stage: articles: file:///d/articles.csv does not exist',
        errorKind: 'permanent',
      }),
      { palette: createPalette(false) },
    );
    expect(text).toContain(
      'plan stage: articles: file:///d/articles.csv does not exist (cannot succeed as given)',
    );
    expect(text).toContain('lookalike rebuild retry rb-20261125-223629-3fa2c1');
  });
});
