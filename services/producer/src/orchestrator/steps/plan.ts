import { planRebuild } from '@lookalike/rebuild-artifacts';
import { RebuildFailedError } from '../rebuild-failed-error';
import { always, type Step } from './step';

/** List the corpus, one image per article, into plan shards (inline, no child jobs). */
export const plan: Step = {
  name: 'plan',
  when: always,
  async start({ rebuildId, spec, manifest, store, openSource, log }) {
    const summary = await planRebuild(rebuildId, spec, store, openSource, log);
    manifest.counts.planned = summary.planned;
    manifest.counts.shards = summary.shards;
    manifest.counts.ignoredFiles = summary.ignoredFiles.length;
    manifest.counts.missingImages = summary.missingImages.length;
    if (spec.articles) manifest.counts.skippedArticleRows = summary.skippedArticleRows;
    if (summary.planned === 0) throw new RebuildFailedError(`no article images found under ${spec.images}`);
    return [];
  },
};
