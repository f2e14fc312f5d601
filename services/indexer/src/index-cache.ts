import { FlatInnerProductIndex } from '@lookalike/ann';
import { indexKey, type ObjectStore } from '@lookalike/storage';

/**
 * The FAISS index of the rebuild this worker is answering, loaded once and reused by every
 * neighbours job of that rebuild (a 105k × 256 flat index is ~108 MB). Holds one rebuild at a time.
 */
export class IndexCache {
  private current: { rebuildId: string; index: Promise<FlatInnerProductIndex> } | undefined;

  constructor(private readonly store: ObjectStore) {}

  get(rebuildId: string): Promise<FlatInnerProductIndex> {
    if (this.current?.rebuildId !== rebuildId) {
      const previous = this.current;
      const index = this.store.get(indexKey(rebuildId)).then((bytes) => FlatInnerProductIndex.fromBuffer(bytes));
      index.catch(() => {
        if (this.current?.index === index) this.current = undefined;
      });
      this.current = { rebuildId, index };
      // Jobs of the previous rebuild that are still searching keep their reference; free it afterwards.
      void previous?.index.then((old) => setTimeout(() => old.dispose(), 60_000).unref(), () => undefined);
    }
    return this.current.index;
  }

  async dispose(): Promise<void> {
    const index = await this.current?.index.catch(() => undefined);
    index?.dispose();
    this.current = undefined;
  }
}
