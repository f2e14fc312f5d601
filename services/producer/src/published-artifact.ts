import { currentPointerSchema } from '@lookalike/core';
import { currentPointerKey, getJsonIfExists, type ObjectStore } from '@lookalike/storage';

/**
 * Something loaded from the published rebuild (`current.json`), reloaded when `current` moves.
 * The pointer is read at most once per `refreshMs`.
 */
export class PublishedArtifact<T> {
  private loaded: Promise<T | undefined> = Promise.resolve(undefined);
  private checkedAt = 0;
  private currentId: string | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly load: (rebuildId: string) => Promise<T | undefined>,
    private readonly refreshMs = 5000,
  ) {}

  /** The published rebuild's artifact, or undefined when nothing (or nothing of this kind) is published. */
  async get(): Promise<{ rebuildId: string; value: T } | undefined> {
    if (Date.now() - this.checkedAt > this.refreshMs) {
      this.checkedAt = Date.now();
      const pointer = await getJsonIfExists(this.store, currentPointerKey(), (v) => currentPointerSchema.parse(v));
      if (pointer?.rebuildId !== this.currentId) {
        this.currentId = pointer?.rebuildId;
        this.loaded = pointer ? this.load(pointer.rebuildId) : Promise.resolve(undefined);
        this.loaded.catch(() => {
          // Try again at the next refresh.
          this.currentId = undefined;
        });
      }
    }
    const value = await this.loaded;
    return value === undefined || this.currentId === undefined ? undefined : { rebuildId: this.currentId, value };
  }

  /** The published rebuild id, whatever its artifacts. */
  async currentRebuild(): Promise<string | undefined> {
    await this.get().catch(() => undefined);
    return this.currentId;
  }
}
