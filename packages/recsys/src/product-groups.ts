import type { ArticleIdTable } from './article-id-table';

/**
 * Articles grouped by product_code: product `p` has articles `articles[offsets[p], offsets[p + 1])` (ascending),
 * and `productOf[a]` is article `a`'s product. H&M's article id is the product_code followed by a 3-digit
 * colourway (`0108775015` = product 0108775, colourway 015), so the code is the id divided by 1000.
 */
export interface ProductGroups {
  readonly productOf: Int32Array;
  readonly offsets: Int32Array;
  readonly articles: Int32Array;
}

/** The product_code of an article's numeric code. */
export function productCodeOf(articleCode: number): number {
  return Math.floor(articleCode / 1000);
}

export function productGroups(articles: ArticleIdTable): ProductGroups {
  const n = articles.size;
  const order = Array.from({ length: n }, (_, a) => a);
  const code = Float64Array.from(order, (a) => productCodeOf(articles.code(a)));
  order.sort((x, y) => code[x]! - code[y]! || x - y);
  const productOf = new Int32Array(n);
  const starts: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = order[i]!;
    if (i === 0 || code[a] !== code[order[i - 1]!]) starts.push(i);
    productOf[a] = starts.length - 1;
  }
  starts.push(n);
  return { productOf, offsets: Int32Array.from(starts), articles: Int32Array.from(order) };
}
