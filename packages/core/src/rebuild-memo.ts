export interface RebuildMemoOptions<T> {
  /** Loads the artifact of one rebuild (e.g. reads and decodes its model). */
  load: (rebuildId: string) => Promise<T>;
  /** How many rebuilds' artifacts to keep (default 1: the rebuild the worker is on). */
  keep?: number;
  /** Frees an artifact that was dropped (evicted or cleared); its errors are ignored. */
  dispose?: (value: T) => void | Promise<void>;
  /**
   * Wait this long before disposing an evicted artifact, so that jobs of the older rebuild still using it
   * can finish (default 0). The timer does not keep the process alive. `clear()` disposes at once.
   */
  disposeDelayMs?: number;
}

/**
 * "The artifact of the current rebuild", loaded once and shared by every job of that rebuild: the last
 * `keep` rebuilds' promises, most recent first. A rejected load is dropped, so that the next `get` tries again;
 * a rebuild beyond `keep` is evicted (and disposed, when it loaded).
 */
export class RebuildMemo<T> {
  private readonly entries: { rebuildId: string; value: Promise<T> }[] = [];
  private readonly keep: number;

  constructor(private readonly options: RebuildMemoOptions<T>) {
    this.keep = Math.max(1, Math.floor(options.keep ?? 1));
  }

  get(rebuildId: string): Promise<T> {
    const at = this.entries.findIndex((entry) => entry.rebuildId === rebuildId);
    if (at >= 0) {
      const [entry] = this.entries.splice(at, 1);
      this.entries.unshift(entry!);
      return entry!.value;
    }
    const entry = { rebuildId, value: this.options.load(rebuildId) };
    entry.value.catch(() => {
      const index = this.entries.indexOf(entry);
      if (index >= 0) this.entries.splice(index, 1);
    });
    this.entries.unshift(entry);
    for (const evicted of this.entries.splice(this.keep))
      void this.release(evicted.value, this.options.disposeDelayMs ?? 0);
    return entry.value;
  }

  /** The rebuild ids held, most recent first. */
  rebuildIds(): string[] {
    return this.entries.map((entry) => entry.rebuildId);
  }

  /** Drops every artifact, disposing the loaded ones now (awaited). */
  async clear(): Promise<void> {
    const dropped = this.entries.splice(0);
    await Promise.all(dropped.map((entry) => this.release(entry.value, undefined)));
  }

  /** Disposes the value once loaded: after `delayMs` (unawaited), or now when `delayMs` is undefined. */
  private async release(value: Promise<T>, delayMs: number | undefined): Promise<void> {
    const dispose = this.options.dispose;
    if (!dispose) return;
    const loaded = await value.then(
      (v) => ({ v }),
      () => undefined,
    );
    if (!loaded) return;
    const run = () => Promise.resolve(dispose(loaded.v)).catch(() => undefined);
    if (delayMs === undefined) await run();
    else if (delayMs <= 0) void run();
    else setTimeout(() => void run(), delayMs).unref();
  }
}
