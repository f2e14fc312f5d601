import { currentPointerSchema, RebuildMemo } from '@lookalike/core';
import { currentPointerKey, getJsonIfExists, type ObjectStore } from '@lookalike/storage';

/**
 * Something loaded from the published rebuild (`current.json`), reloaded when `current` moves.
 * The pointer is read at most once per `refreshMs`.
 */
export class PublishedArtifact<T> {
  private readonly artifacts: RebuildMemo<T | undefined>;
  private loaded: Promise<T | undefined> = Promise.resolve(undefined);
  private checkedAt = 0;
  private currentId: string | undefined;

  constructor(
    private readonly store: ObjectStore,
    load: (rebuildId: string) => Promise<T | undefined>,
    private readonly refreshMs = 5000,
  ) {
    this.artifacts = new RebuildMemo({ load });
  }

  /** The published rebuild's artifact, or undefined when nothing (or nothing of this kind) is published. */
  async get(): Promise<{ rebuildId: string; value: T } | undefined> {
    if (Date.now() - this.checkedAt > this.refreshMs) {
      this.checkedAt = Date.now();
      const pointer = await getJsonIfExists(this.store, currentPointerKey(), (v) =>
        currentPointerSchema.parse(v),
      );
      if (pointer?.rebuildId !== this.currentId) {
        const rebuildId = pointer?.rebuildId;
        this.currentId = rebuildId;
        // Nothing published: hold nothing.
        if (rebuildId === undefined) void this.artifacts.clear();
        this.loaded = rebuildId === undefined ? Promise.resolve(undefined) : this.artifacts.get(rebuildId);
        this.loaded.catch(() => {
          // Try again at the next refresh (the memo has dropped the failed load).
          if (this.currentId === rebuildId) this.currentId = undefined;
        });
      }
    }
    const value = await this.loaded;
    return value === undefined || this.currentId === undefined
      ? undefined
      : { rebuildId: this.currentId, value };
  }

  /** The published rebuild id, whatever its artifacts. */
  async currentRebuild(): Promise<string | undefined> {
    await this.get().catch(() => undefined);
    return this.currentId;
  }
}
