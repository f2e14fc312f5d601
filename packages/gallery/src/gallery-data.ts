import type { NeighbourQualityReport } from '@lookalike/core';

/** Everything the gallery shows; image paths are relative to the gallery's index.html. */
export interface GalleryData {
  rebuildId: string;
  createdAt: string;
  finishedAt?: string;
  /** Figures from the manifest, shown as they are (key → value). */
  counts: Record<string, number>;
  /** Stage name → duration in ms. */
  stageMs: Record<string, number>;
  model?: { id: string; dim: number };
  pca?: { inputDim: number; dims: number; explainedVarianceRatio: number };
  articles: GalleryArticle[];
  customers?: GalleryCustomer[];
  methods?: GalleryMethod[];
  /** The rebuild's neighbour-quality report (`neighbour-quality.json`), when articles.csv has the labels. */
  quality?: NeighbourQualityReport;
  /** The method whose recommendations the customers above show (and submission.csv holds). */
  submissionMethod?: string;
  /** Published figures on the real H&M data, shown beside the methods so their values are read in context. */
  realData?: GalleryRealData;
}

export interface GalleryRealData {
  /** Plain text. */
  paragraph: string;
  results: readonly {
    method: string;
    validation?: number;
    kaggle?: number;
    source: { title: string; url?: string };
  }[];
}

export interface GalleryImage {
  articleId: string;
  /** Relative URL of the thumbnail; undefined when the image could not be read. */
  image?: string;
}

export interface GalleryArticle extends GalleryImage {
  neighbours: (GalleryImage & { score: number })[];
}

export interface GalleryCustomer {
  customerId: string;
  purchases: (GalleryImage & { date: string })[];
  recommendations: (GalleryImage & { hit: boolean })[];
}

export interface GalleryMethod {
  name: string;
  map12: number;
  recall12: number;
  /** On holdout purchases of new articles (cold start); undefined when there were none. */
  newMap12?: number;
  newRecall12?: number;
  /** Over customers without a purchase before the holdout; undefined when there were none. */
  newCustomerMap12?: number;
  newCustomerRecall12?: number;
}
