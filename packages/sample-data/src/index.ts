export {
  ARTICLES_CSV,
  ARTICLE_COLUMNS,
  CUSTOMERS_CSV,
  DEMO_SIZE,
  GENERATOR,
  GENERATOR_VERSION,
  HM_SIZE,
  IMAGES_DIR,
  MANIFEST,
  SAMPLE_DEFAULTS,
  TRANSACTIONS_CSV,
  articleRow,
  findCompleteSample,
  generateSample,
  lastDate,
  readSampleManifest,
  sampleParams,
  type SampleManifest,
  type SampleOptions,
  type SampleParams,
  type SamplePhase,
  type SampleProgress,
  type SampleSummary,
} from './sample';
export { buildCatalogue, MAX_ARTICLES, type Article, type Catalogue } from './catalogue';
export { CUSTOMER_HEADER } from './customers';
export {
  DEFAULT_PURCHASE_MODEL,
  HISTORY_SOURCES,
  PURCHASE_SOURCES,
  resolvePurchaseModel,
  type PurchaseModel,
  type PurchaseSource,
} from './purchase-model';
export type { BestSellerShares, RepeatHabits, RepeatShares } from './habit-stats';
export { TRANSACTION_HEADER } from './transactions';
export { imagePath, renderArticleImage } from './images';
export { articleLook, type ArticleLook, type ImageSize } from './svg';
export { csvField, csvRow } from './csv';
export { Rng, streamFor, hash32 } from './random';
export {
  APPEARANCES,
  COLOUR_GROUPS,
  INDICES,
  PRODUCT_TYPES,
  type Appearance,
  type ColourGroup,
  type PatternKind,
  type ProductType,
  type Silhouette,
} from './vocab';
