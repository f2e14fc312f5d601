import { manifestSchema, STAGES_IN_MANIFEST, type Manifest, type RebuildSpec } from '@lookalike/core';
import { getJsonIfExists, manifestKey, putJson, type ObjectStore } from '@lookalike/storage';

/** Reads and writes `rebuilds/<id>/manifest.json`. Only the orchestrator (and submit) write it. */
export class ManifestRepository {
  constructor(private readonly store: ObjectStore) {}

  async get(rebuildId: string): Promise<Manifest | undefined> {
    return getJsonIfExists(this.store, manifestKey(rebuildId), (v) => manifestSchema.parse(v));
  }

  async require(rebuildId: string): Promise<Manifest> {
    const manifest = await this.get(rebuildId);
    if (!manifest) throw new Error(`rebuild ${rebuildId} has no manifest`);
    return manifest;
  }

  async save(manifest: Manifest): Promise<Manifest> {
    const saved = { ...manifest, updatedAt: new Date().toISOString() };
    await putJson(this.store, manifestKey(manifest.rebuildId), saved);
    return saved;
  }

  /** The manifest of a just-submitted rebuild. */
  static initial(rebuildId: string, spec: RebuildSpec, now = new Date()): Manifest {
    const at = now.toISOString();
    return {
      rebuildId,
      spec,
      status: 'running',
      step: 'plan',
      createdAt: at,
      updatedAt: at,
      stages: Object.fromEntries(STAGES_IN_MANIFEST.map((s) => [s, { state: 'pending' as const }])),
      counts: {
        planned: 0,
        shards: 0,
        embedded: 0,
        failed: 0,
        cached: 0,
        ignoredFiles: 0,
        missingImages: 0,
        neighbourParts: 0,
        indexed: 0,
      },
      failures: { byReason: {}, examples: [] },
    };
  }
}
