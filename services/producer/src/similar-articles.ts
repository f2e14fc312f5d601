import { currentPointerSchema } from '@lookalike/core';
import { currentPointerKey, getJsonIfExists, type ObjectStore } from '@lookalike/storage';
import type { ManifestRepository } from './orchestrator/manifest-repository';
import { readNeighbourTable } from '@lookalike/rebuild-artifacts';

export interface SimilarArticle {
  articleId: string;
  score: number;
}

interface LoadedNeighbours {
  rebuildId: string;
  rowOf: Map<string, number>;
  ids: string[];
  k: number;
  neighbourIds: Int32Array;
  scores: Float32Array;
}

/**
 * Answers "which articles look like this one" from the published rebuild (`current.json`),
 * holding its neighbour table in memory (105k × 20 ≈ 17 MB) and reloading when `current` moves.
 */
export class SimilarArticles {
  private loaded: Promise<LoadedNeighbours | undefined> | undefined;
  private checkedAt = 0;
  private currentId: string | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly manifests: ManifestRepository,
    private readonly refreshMs = 5000,
  ) {}

  private async load(): Promise<LoadedNeighbours | undefined> {
    if (Date.now() - this.checkedAt > this.refreshMs) {
      this.checkedAt = Date.now();
      const pointer = await getJsonIfExists(this.store, currentPointerKey(), (v) => currentPointerSchema.parse(v));
      if (pointer?.rebuildId !== this.currentId) {
        this.currentId = pointer?.rebuildId;
        this.loaded = pointer ? this.read(pointer.rebuildId) : Promise.resolve(undefined);
        this.loaded.catch(() => {
          this.currentId = undefined;
        });
      }
    }
    return this.loaded;
  }

  private async read(rebuildId: string): Promise<LoadedNeighbours> {
    const manifest = await this.manifests.require(rebuildId);
    const table = await readNeighbourTable(this.store, rebuildId, manifest.counts.neighbourParts);
    return {
      rebuildId,
      rowOf: new Map(table.articleIds.map((id, row) => [id, row])),
      ids: table.articleIds,
      k: table.k,
      neighbourIds: table.ids,
      scores: table.scores,
    };
  }

  /** The published rebuild id, or undefined when nothing is published. */
  async currentRebuild(): Promise<string | undefined> {
    return (await this.load())?.rebuildId;
  }

  /** Up to `k` most similar articles; undefined when the article is not in the published rebuild. */
  async similar(articleId: string, k: number): Promise<{ rebuildId: string; similar: SimilarArticle[] } | undefined> {
    const table = await this.load();
    const row = table?.rowOf.get(articleId);
    if (!table || row === undefined) return undefined;
    const similar: SimilarArticle[] = [];
    for (let j = 0; j < Math.min(k, table.k); j++) {
      similar.push({
        articleId: table.ids[table.neighbourIds[row * table.k + j]!]!,
        score: Number(table.scores[row * table.k + j]!.toFixed(6)),
      });
    }
    return { rebuildId: table.rebuildId, similar };
  }
}
