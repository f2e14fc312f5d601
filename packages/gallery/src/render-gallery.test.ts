import { escapeHtml, renderGallery } from './render-gallery';

describe('renderGallery', () => {
  const html = renderGallery({
    rebuildId: 'rb-1',
    createdAt: '2026-11-25T10:00:00Z',
    counts: { planned: 3, embedded: 2, failed: 1 },
    stageMs: { embed: 1500 },
    articles: [
      {
        articleId: '0100000001',
        image: 'thumbs/0100000001.jpg',
        neighbours: [{ articleId: '0100000002', image: 'thumbs/0100000002.jpg', score: 0.9876 }],
      },
    ],
    customers: [
      {
        customerId: 'a'.repeat(64),
        purchases: [{ articleId: '0100000001', image: 'thumbs/0100000001.jpg', date: '2020-09-01' }],
        recommendations: [
          { articleId: '0100000002', image: 'thumbs/0100000002.jpg', hit: true },
          { articleId: '0100000003', hit: false },
        ],
      },
    ],
    methods: [
      { name: 'hybrid', map12: 0.03, recall12: 0.06, newCustomerMap12: 0.004, newCustomerRecall12: 0.01 },
      { name: 'visual', map12: 0.02, recall12: 0.05, newMap12: 0.01, newRecall12: 0.02 },
      { name: 'popularity', map12: 0.01, recall12: 0.03 },
    ],
    submissionMethod: 'hybrid',
    realData: {
      paragraph: 'On the real data <repurchase> wins.',
      results: [
        {
          method: 'image embeddings alone',
          validation: 0.0024,
          kaggle: 0.0018,
          source: { title: 'a study' },
        },
        {
          method: 'repurchase',
          validation: 0.0218,
          source: { title: 'notebook', url: 'https://example.org/x?a=1&b=2' },
        },
      ],
    },
  });

  it('shows the manifest figures, neighbours with scores, hits and the method chart', () => {
    expect(html).toContain('<span class="value" data-count="embedded">2</span>');
    expect(html).toContain('data-query="0100000001"');
    expect(html).toContain('<b>0.988</b>');
    expect(html).toMatch(/class="thumb hit" data-article="0100000002"/);
    expect(html).toContain('1 of 12 bought');
    expect(html).toContain('data-method="visual"');
    expect(html).toContain('<div class="missing">no image</div>');
  });

  it('tabulates every method overall, on new articles and for new customers, the submission method marked', () => {
    expect(html).toMatch(
      /<tr data-row="hybrid"><td>hybrid \(shown below, submission\)<\/td><td>0\.03000<\/td><td>0\.0600<\/td><td>–<\/td><td>–<\/td><td>0\.00400<\/td><td>0\.0100<\/td><\/tr>/,
    );
    expect(html).toMatch(
      /<tr data-row="visual"><td>visual<\/td><td>0\.02000<\/td><td>0\.0500<\/td><td>0\.01000<\/td><td>0\.0200<\/td><td>–<\/td><td>–<\/td><\/tr>/,
    );
  });

  it('quotes the published real-data figures with their sources beside ours', () => {
    expect(html).toContain('<p class="context">On the real data &lt;repurchase&gt; wins.</p>');
    expect(html).toContain('<td>image embeddings alone</td><td>0.0024</td><td>0.0018</td><td>a study</td>');
    expect(html).toContain('<a href="https://example.org/x?a=1&amp;b=2">notebook</a>');
    const without = renderGallery({ rebuildId: 'r', createdAt: 'c', counts: {}, stageMs: {}, articles: [] });
    expect(without).not.toContain('real H&amp;M data');
  });

  it('shows the neighbour-quality report beside chance when the rebuild has one', () => {
    const quality = renderGallery({
      rebuildId: 'r',
      createdAt: 'c',
      counts: {},
      stageMs: {},
      articles: [],
      quality: {
        version: 1,
        articles: 10,
        labelled: 9,
        k: 5,
        ks: [1, 5],
        labels: [
          {
            column: 'product_type_name',
            articles: 9,
            values: 3,
            chance: 0.25,
            shareAt: { '1': 0.5, '5': 0.4 },
          },
        ],
        siblings: {
          articles: 4,
          meanSiblings: 1,
          recallAt: { '1': 0.75, '5': 1 },
          shareAt: { '1': 0.75, '5': 0.2 },
        },
      },
    });
    expect(quality).toContain('<h2>Neighbour quality</h2>');
    expect(quality).toContain('over 9 labelled articles');
    expect(quality).toContain(
      '<tr data-label="product_type_name"><td>same product type</td><td>0.500</td><td>0.400</td><td>0.250</td></tr>',
    );
    expect(quality).toContain('4 articles with a variant)</td><td>0.750</td><td>1.000</td><td>–</td>');
    expect(html).not.toContain('Neighbour quality');
  });

  it('escapes text', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
