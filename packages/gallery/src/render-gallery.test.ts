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
      { name: 'visual', map12: 0.02, recall12: 0.05, newMap12: 0.01, newRecall12: 0.02 },
      { name: 'popularity', map12: 0.01, recall12: 0.03 },
    ],
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

  it('escapes text', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
