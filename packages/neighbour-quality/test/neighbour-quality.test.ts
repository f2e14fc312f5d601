import { neighbourQualityReportSchema } from '@lookalike/core';
import { labelsForRows, measureNeighbourQuality, readArticleLabels } from '../src';

// A hand-made corpus whose every figure is worked out below. E has an image but no articles.csv row.
const ARTICLES_CSV = [
  'article_id,product_code,prod_name,product_type_name,colour_group_name',
  '0100000001,0100000,"Dress, long",Dress,Red',
  '0100000002,0100000,"Dress, long",Dress,Blue',
  '0200000001,0200000,Shirt,Shirt,Red',
  '0300000001,0300000,Dress short,Dress,Red',
].join('\n');

const [A, B, C, D, E] = [0, 1, 2, 3, 4];
const table = {
  articleIds: ['0100000001', '0100000002', '0200000001', '0300000001', '0400000001'],
  k: 2,
  // row r: its two neighbours, best first
  ids: Int32Array.from([B, C, A, D, D, A, A, B, A, B]),
};

async function report() {
  const read = await readArticleLabels([ARTICLES_CSV], { file: 'articles.csv' });
  return measureNeighbourQuality(table, labelsForRows(table.articleIds, read));
}

describe('measureNeighbourQuality on a corpus worked out by hand', () => {
  test('label agreement at k = 1 and 2 beside chance, for the columns the file has', async () => {
    const r = await report();
    expect(neighbourQualityReportSchema.parse(r)).toEqual(r);
    expect(r).toMatchObject({ version: 1, articles: 5, labelled: 4, k: 2, ks: [1] });
    const by = Object.fromEntries(r.labels.map((l) => [l.column, l]));
    expect(Object.keys(by).sort()).toEqual(['colour_group_name', 'product_code', 'product_type_name']);
    // type: A (Dress) → B Dress, C Shirt; B → A, D Dress; C (Shirt) → D, A Dress; D → A, B Dress.
    // Dress ×3, Shirt ×1: chance (3·2 + 1·0) / (4·3) = 0.5.
    expect(by.product_type_name).toEqual({
      column: 'product_type_name',
      articles: 4,
      values: 2,
      chance: 0.5,
      shareAt: { '1': 0.75 },
    });
    // colour: A red → B blue; B blue → A red; C red → D red; D red → A red. Red ×3, blue ×1.
    expect(by.colour_group_name).toMatchObject({ chance: 0.5, shareAt: { '1': 0.5 } });
    // product code: A and B share 0100000 and find each other first. Counts 2, 1, 1: chance 2 / 12.
    expect(by.product_code).toMatchObject({ values: 3, chance: 0.166667, shareAt: { '1': 0.5 } });
  });

  test('at k = 2 too; sibling recall over the articles that have a variant', async () => {
    const read = await readArticleLabels([ARTICLES_CSV], { file: 'articles.csv' });
    const r = measureNeighbourQuality(table, labelsForRows(table.articleIds, read), [1, 2, 5]);
    expect(r.ks).toEqual([1, 2]); // 5 > k
    const by = Object.fromEntries(r.labels.map((l) => [l.column, l.shareAt]));
    // type: A ½, B 1, C 0, D 1 → 0.625; colour: A ½, B 0, C 1, D ½ → 0.5; code: A ½, B ½, C 0, D 0 → 0.25.
    expect(by).toEqual({
      product_type_name: { '1': 0.75, '2': 0.625 },
      colour_group_name: { '1': 0.5, '2': 0.5 },
      product_code: { '1': 0.5, '2': 0.25 },
    });
    // A and B are each other's only variant, found at rank 1.
    expect(r.siblings).toEqual({
      articles: 2,
      meanSiblings: 1,
      recallAt: { '1': 1, '2': 1 },
      shareAt: { '1': 1, '2': 0.5 },
    });
  });

  test('a neighbour table of the wrong size is refused', async () => {
    const read = await readArticleLabels([ARTICLES_CSV], { file: 'articles.csv' });
    expect(() =>
      measureNeighbourQuality(
        { ...table, ids: table.ids.subarray(1) },
        labelsForRows(table.articleIds, read),
      ),
    ).toThrow(/expected 5 × 2/);
    expect(E).toBe(4);
  });
});
