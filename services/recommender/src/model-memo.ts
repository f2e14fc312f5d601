import { RebuildMemo } from '@lookalike/core';
import { decodeModel, type PreparedModel } from '@lookalike/recsys';
import { recommendModelKey, type ObjectStore } from '@lookalike/storage';

/** The current rebuild's recommendation model, decoded once per process (the recommend and evaluate jobs share it). */
export function createModelMemo(store: ObjectStore): RebuildMemo<PreparedModel> {
  return new RebuildMemo<PreparedModel>({
    load: async (rebuildId) => decodeModel(await store.get(recommendModelKey(rebuildId))),
  });
}
