/**
 * Published MAP@12 figures on the real H&M data (Kaggle's "H&M Personalized Fashion Recommendations": 105,542
 * articles, 1.37M customers, the week after 2020-09-22 as the test), for reading a sample's figures in context.
 * `validation` is a last-week validation on the training data (customers who bought that week), `kaggle` the
 * leaderboard score.
 */
export interface PublishedResult {
  /** What was measured, in a few words. */
  method: string;
  validation?: number;
  kaggle?: number;
  source: { title: string; url?: string };
}

const ISSUE = { title: 'a study quoted in lookalike issue 14 (its link is not given there)' };
const CHESNOKOV = {
  title: 'M. Chesnokov, 142nd place: baselines over the 4 last weeks (02_baselines_clean.ipynb)',
  url: 'https://github.com/mike-chesnokov/kaggle_hm_recs_2022',
};
const OSMULSKI = {
  title: 'R. Osmulski, personalized_fashion_recs (01_Solution_warmup.ipynb)',
  url: 'https://github.com/radekosmulski/personalized_fashion_recs',
};
const WINNERS = {
  title: 'the 1st-place solution, summarised at goldandrabbit.github.io',
  url: 'https://goldandrabbit.github.io/2022/05/15/H&M%20Recommendation%20Competition%20Top1%20%E6%96%B9%E6%A1%88',
};

export const PUBLISHED_HM_RESULTS: readonly PublishedResult[] = [
  { method: 'image embeddings alone', validation: 0.0024, kaggle: 0.0018, source: ISSUE },
  { method: 'popularity (time-weighted, by gender)', validation: 0.0074, source: CHESNOKOV },
  { method: 'co-purchase pairs of recent purchases', validation: 0.0101, source: CHESNOKOV },
  { method: 'repurchase (recent purchases)', validation: 0.0218, source: CHESNOKOV },
  { method: 'last purchases + best sellers', validation: 0.021, source: OSMULSKI },
  { method: 'repurchase + popularity', validation: 0.025, kaggle: 0.021, source: ISSUE },
  {
    method: 'a strong heuristic (time-decayed recent purchases, frequent pairs, popularity by gender)',
    kaggle: 0.02359,
    source: { title: 'M. Chesnokov, 142nd place (README)', url: CHESNOKOV.url },
  },
  {
    method: 'a silver medal (45th of 3,006)',
    kaggle: 0.02996,
    source: {
      title: 'ABHIRAM1234/H-M-Fashion-Recommendations',
      url: 'https://github.com/ABHIRAM1234/H-M-Fashion-Recommendations',
    },
  },
  { method: "the winners' best single model (LightGBM)", validation: 0.043, kaggle: 0.0362, source: WINNERS },
];

/**
 * The paragraph that puts a sample's figures in context (plain text, no markup): what the real data ranks
 * first, and why the sample's absolute figures are higher.
 */
export const PUBLISHED_CONTEXT =
  'On the real H&M data, repeating what a customer bought recently is the strongest simple signal and image ' +
  'similarity alone is weak: image embeddings alone scored MAP@12 0.0024, popularity 0.0074, repurchase 0.0218 ' +
  'and repurchase + popularity 0.025 on last-week validations, strong heuristics about 0.024 on Kaggle, a silver ' +
  "medal 0.030 and the winners' best single model 0.036; the winners found that image features did not help their " +
  'ranking except, perhaps, for cold start. Our sample is built to rank the methods the same way (see the ' +
  "sample's README); its figures are several times higher because its catalogue is 175 times smaller, so " +
  'compare the order of the methods, not their values.';
