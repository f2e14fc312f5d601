import { decodeModel, Recommender } from '@lookalike/recsys';
import { recommendModelKey, type ObjectStore } from '@lookalike/storage';
import type { ManifestRepository } from './orchestrator/manifest-repository';
import { PublishedArtifact } from './published-artifact';

/**
 * A customer's 12 recommendations from the published rebuild's model: the default method (the hybrid) with the
 * options recorded in the model, as in submission.csv. Customers without purchases get the trending ranking; an
 * unknown customer gets undefined.
 */
export class CustomerRecommendations {
  private readonly published: PublishedArtifact<Recommender>;

  constructor(store: ObjectStore, manifests: ManifestRepository, refreshMs = 5000) {
    this.published = new PublishedArtifact(
      store,
      async (rebuildId) => {
        const manifest = await manifests.require(rebuildId);
        if (!manifest.recommend) return undefined;
        return new Recommender(decodeModel(await store.get(recommendModelKey(rebuildId))));
      },
      refreshMs,
    );
  }

  currentRebuild(): Promise<string | undefined> {
    return this.published.currentRebuild();
  }

  async recommend(customerId: string): Promise<{ rebuildId: string; articles: string[] } | 'no-model' | undefined> {
    const published = await this.published.get();
    if (!published) return 'no-model';
    const articles = published.value.recommendIds(customerId);
    return articles ? { rebuildId: published.rebuildId, articles: [...articles] } : undefined;
  }
}
