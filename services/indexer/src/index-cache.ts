import { FlatInnerProductIndex } from '@lookalike/ann';
import { RebuildMemo } from '@lookalike/core';
import { indexKey, type ObjectStore } from '@lookalike/storage';

/**
 * The FAISS index of the rebuild this worker is answering, loaded once and reused by every
 * neighbours job of that rebuild (a 105k × 256 flat index is ~108 MB). Holds one rebuild at a time;
 * jobs of the previous rebuild that are still searching keep their reference, freed a minute later.
 */
export class IndexCache {
  private readonly indexes: RebuildMemo<FlatInnerProductIndex>;

  constructor(store: ObjectStore) {
    this.indexes = new RebuildMemo({
      load: async (rebuildId) => FlatInnerProductIndex.fromBuffer(await store.get(indexKey(rebuildId))),
      dispose: (index) => index.dispose(),
      disposeDelayMs: 60_000,
    });
  }

  get(rebuildId: string): Promise<FlatInnerProductIndex> {
    return this.indexes.get(rebuildId);
  }

  async dispose(): Promise<void> {
    await this.indexes.clear();
  }
}
