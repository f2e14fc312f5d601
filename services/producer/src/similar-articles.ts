import { readNeighbourTable, type WholeNeighbourTable } from '@lookalike/rebuild-artifacts';
import type { ObjectStore } from '@lookalike/storage';
import type { ManifestRepository } from './orchestrator/manifest-repository';
import { PublishedArtifact } from './published-artifact';

export interface SimilarArticle {
  articleId: string;
  score: number;
}

/**
 * Answers "which articles look like this one" from the published rebuild, holding its neighbour
 * table in memory (105k × 20 ≈ 17 MB).
 */
export class SimilarArticles {
  private readonly published: PublishedArtifact<{ table: WholeNeighbourTable; rowOf: Map<string, number> }>;

  constructor(store: ObjectStore, manifests: ManifestRepository, refreshMs = 5000) {
    this.published = new PublishedArtifact(
      store,
      async (rebuildId) => {
        const manifest = await manifests.require(rebuildId);
        const table = await readNeighbourTable(store, rebuildId, manifest.counts.neighbourParts);
        return { table, rowOf: new Map(table.articleIds.map((id, row) => [id, row])) };
      },
      refreshMs,
    );
  }

  currentRebuild(): Promise<string | undefined> {
    return this.published.currentRebuild();
  }

  /** Up to `k` most similar articles; undefined when the article is not in the published rebuild. */
  async similar(articleId: string, k: number): Promise<{ rebuildId: string; similar: SimilarArticle[] } | undefined> {
    const published = await this.published.get();
    const row = published?.value.rowOf.get(articleId);
    if (!published || row === undefined) return undefined;
    const { table } = published.value;
    const similar: SimilarArticle[] = [];
    for (let j = 0; j < Math.min(k, table.k); j++) {
      similar.push({
        articleId: table.articleIds[table.ids[row * table.k + j]!]!,
        score: Number(table.scores[row * table.k + j]!.toFixed(6)),
      });
    }
    return { rebuildId: published.rebuildId, similar };
  }
}
