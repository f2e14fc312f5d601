import { ArticleIdTable, articleCodeOf } from './article-id-table';
import { RecsysInputError } from './errors';

/**
 * A whole-catalogue neighbour table as the pipeline produces it (the shape of `@lookalike/ann`'s
 * `NeighbourTable` with `firstRow` 0, plus the article id of every row): row `r` is article `articleIds[r]`,
 * its j-th neighbour is row `ids[r * k + j]` (or -1 for none) with cosine score `scores[r * k + j]`.
 */
export interface NeighbourInput {
  readonly articleIds: ArrayLike<string>;
  readonly k: number;
  readonly ids: Int32Array;
  readonly scores: Float32Array;
  /** When given, must be 0 (a merged, whole table). */
  readonly firstRow?: number;
  /** When given, must equal `articleIds.length`. */
  readonly rows?: number;
}

/**
 * Neighbours in the model's article-index space: article `a`'s j-th neighbour is article `ids[a * k + j]`
 * (-1 for none, e.g. an article without an image) with score `scores[a * k + j]`.
 */
export interface ArticleNeighbours {
  readonly k: number;
  readonly ids: Int32Array;
  readonly scores: Float32Array;
}

export interface AlignedNeighbours {
  neighbours: ArticleNeighbours;
  /** Articles of the table that were not in `articles` yet (appended to it). */
  addedArticles: number;
  /** Neighbour entries dropped: out-of-range rows, self references, non-finite scores. */
  droppedEntries: number;
}

/**
 * Maps a pipeline neighbour table into the article-index space of `articles`, appending table articles it
 * lacks (an article with an image but no sales yet is exactly a cold-start candidate). Call it before the
 * article count is frozen (i.e. before `prepareModel`, which calls it for you).
 */
export function alignNeighbours(articles: ArticleIdTable, input: NeighbourInput): AlignedNeighbours {
  const rows = input.articleIds.length;
  const k = input.k;
  if (!Number.isInteger(k) || k < 0)
    throw new RecsysInputError(`neighbour k must be a non-negative integer, got ${k}`);
  if ((input.firstRow ?? 0) !== 0)
    throw new RecsysInputError('neighbour table must be whole (firstRow 0): merge the parts first');
  if (input.rows !== undefined && input.rows !== rows)
    throw new RecsysInputError(`neighbour table has ${input.rows} rows but ${rows} article ids`);
  if (input.ids.length !== rows * k || input.scores.length !== rows * k) {
    throw new RecsysInputError(`neighbour ids/scores must have rows * k = ${rows * k} entries`);
  }
  const before = articles.size;
  const rowArticle = new Int32Array(rows);
  for (let r = 0; r < rows; r++) rowArticle[r] = articles.intern(articleCodeOf(input.articleIds[r]!));
  const seen = new Uint8Array(articles.size);
  for (let r = 0; r < rows; r++) {
    if (seen[rowArticle[r]!] === 1)
      throw new RecsysInputError(`article ${input.articleIds[r]} has two rows in the neighbour table`);
    seen[rowArticle[r]!] = 1;
  }
  const n = articles.size;
  const ids = new Int32Array(n * k).fill(-1);
  const scores = new Float32Array(n * k);
  let dropped = 0;
  for (let r = 0; r < rows; r++) {
    const a = rowArticle[r]!;
    let out = a * k;
    for (let j = 0; j < k; j++) {
      const nb = input.ids[r * k + j]!;
      const s = input.scores[r * k + j]!;
      if (nb < 0) continue;
      if (nb >= rows || nb === r || !Number.isFinite(s)) {
        dropped++;
        continue;
      }
      ids[out] = rowArticle[nb]!;
      scores[out] = s;
      out++;
    }
  }
  return { neighbours: { k, ids, scores }, addedArticles: n - before, droppedEntries: dropped };
}

/** A table with no neighbours (k = 0): the visual method then ranks only the customer's own purchases. */
export function noNeighbours(): ArticleNeighbours {
  return { k: 0, ids: new Int32Array(0), scores: new Float32Array(0) };
}
