import { getJson, indexIdsKey, type ObjectStore } from '@lookalike/storage';

/** Row number → article id of a rebuild's index (written by the indexer's build-index job). */
export async function readIndexIds(store: ObjectStore, rebuildId: string): Promise<string[]> {
  return getJson(store, indexIdsKey(rebuildId), (v) => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      throw new Error('index ids: expected string[]');
    return v as string[];
  });
}
