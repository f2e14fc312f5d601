import { type NeighbourQualityReport, QUALITY_LABEL_NAMES } from '@lookalike/core';
import type {
  GalleryArticle,
  GalleryCustomer,
  GalleryData,
  GalleryImage,
  GalleryMethod,
  GalleryRealData,
} from './gallery-data';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function thumb(item: GalleryImage, caption: string, extraClass = ''): string {
  const img = item.image
    ? `<img src="${escapeHtml(item.image)}" alt="${escapeHtml(item.articleId)}" loading="eager">`
    : `<div class="missing">no image</div>`;
  return `<figure class="thumb ${extraClass}" data-article="${escapeHtml(item.articleId)}">${img}<figcaption>${caption}</figcaption></figure>`;
}

function articleRow(article: GalleryArticle): string {
  const neighbours = article.neighbours
    .map((n, i) => thumb(n, `#${i + 1} ${escapeHtml(n.articleId)}<br><b>${n.score.toFixed(3)}</b>`))
    .join('');
  return `<section class="row" data-query="${escapeHtml(article.articleId)}">
  ${thumb(article, `query ${escapeHtml(article.articleId)}`, 'query')}
  <div class="strip">${neighbours}</div>
</section>`;
}

function customerRow(customer: GalleryCustomer): string {
  const purchases = customer.purchases
    .map((p) => thumb(p, `${escapeHtml(p.articleId)}<br>${escapeHtml(p.date)}`))
    .join('');
  const recs = customer.recommendations
    .map((r, i) =>
      thumb(r, `#${i + 1} ${escapeHtml(r.articleId)}${r.hit ? '<br><b>bought</b>' : ''}`, r.hit ? 'hit' : ''),
    )
    .join('');
  const hits = customer.recommendations.filter((r) => r.hit).length;
  return `<section class="customer" data-customer="${escapeHtml(customer.customerId)}">
  <h3>${escapeHtml(customer.customerId.slice(0, 16))}… — ${hits} of 12 bought in the holdout week</h3>
  <div class="pair"><div><h4>recent purchases</h4><div class="strip">${purchases}</div></div>
  <div><h4>recommended</h4><div class="strip">${recs}</div></div></div>
</section>`;
}

/** A horizontal bar chart (inline SVG) of MAP@12 by method, and the table of every figure. */
function methodChart(methods: GalleryMethod[], submissionMethod: string | undefined): string {
  const max = Math.max(1e-9, ...methods.map((m) => m.map12));
  const rowH = 34;
  const bars = methods
    .map((m, i) => {
      const w = Math.round((m.map12 / max) * 420);
      const y = i * rowH;
      return `<g data-method="${escapeHtml(m.name)}"><text x="0" y="${y + 21}">${escapeHtml(m.name)}</text><rect x="170" y="${y + 6}" width="${w}" height="20" rx="3"/><text x="${178 + w}" y="${y + 21}">${m.map12.toFixed(5)}</text></g>`;
    })
    .join('');
  const cell = (v: number | undefined, digits: number) =>
    `<td>${v === undefined ? '–' : v.toFixed(digits)}</td>`;
  const table = methods
    .map(
      (m) =>
        `<tr data-row="${escapeHtml(m.name)}"><td>${escapeHtml(m.name)}${m.name === submissionMethod ? ' (shown below, submission)' : ''}</td>` +
        `${cell(m.map12, 5)}${cell(m.recall12, 4)}${cell(m.newMap12, 5)}${cell(m.newRecall12, 4)}${cell(m.newCustomerMap12, 5)}${cell(m.newCustomerRecall12, 4)}</tr>`,
    )
    .join('');
  return `<svg class="chart" width="700" height="${methods.length * rowH + 8}" role="img" aria-label="MAP@12 by method">${bars}</svg>
<table><tr><th>method</th><th>MAP@12</th><th>recall@12</th><th>MAP@12 new articles</th><th>recall@12 new articles</th><th>MAP@12 new customers</th><th>recall@12 new customers</th></tr>${table}</table>`;
}

/** The published figures on the real H&M data, with their sources. */
function realDataSection(real: GalleryRealData): string {
  const value = (v: number | undefined) => `<td>${v === undefined ? '–' : String(v)}</td>`;
  const rows = real.results
    .map((r) => {
      const source = r.source.url
        ? `<a href="${escapeHtml(r.source.url)}">${escapeHtml(r.source.title)}</a>`
        : escapeHtml(r.source.title);
      return `<tr><td>${escapeHtml(r.method)}</td>${value(r.validation)}${value(r.kaggle)}<td>${source}</td></tr>`;
    })
    .join('');
  return `<h3>In context: the real H&amp;M data</h3>
<p class="context">${escapeHtml(real.paragraph)}</p>
<table class="real-data"><tr><th>on the real data</th><th>MAP@12 validation</th><th>MAP@12 Kaggle</th><th>source</th></tr>${rows}</table>`;
}

/** How often the neighbours share the article's labels, beside chance, and colour-variant recall. */
function qualitySection(report: NeighbourQualityReport): string {
  const head = report.ks.map((k) => `<th>top ${k}</th>`).join('');
  const cells = (by: Record<string, number>) =>
    report.ks.map((k) => `<td>${by[String(k)]?.toFixed(3) ?? '–'}</td>`).join('');
  const rows = report.labels
    .map(
      (l) =>
        `<tr data-label="${escapeHtml(l.column)}"><td>same ${escapeHtml(QUALITY_LABEL_NAMES[l.column])}</td>${cells(l.shareAt)}<td>${l.chance.toFixed(3)}</td></tr>`,
    )
    .join('');
  const siblings =
    report.siblings && report.siblings.articles > 0
      ? `<tr data-label="variant-recall"><td>colour variants found (recall, ${report.siblings.articles} articles with a variant)</td>${cells(report.siblings.recallAt)}<td>–</td></tr>`
      : '';
  return `<h2>Neighbour quality</h2>
<p class="context">Share of each article's nearest neighbours that have its value in <code>articles.csv</code>, over ${report.labelled} labelled articles, beside the share that neighbours drawn at random would have.</p>
<table class="quality"><tr><th>neighbours with</th>${head}<th>chance</th></tr>${rows}${siblings}</table>`;
}

/** The gallery page: self-contained HTML (inline CSS, no scripts), images beside it in `thumbs/`. */
export function renderGallery(data: GalleryData): string {
  const counts = Object.entries(data.counts)
    .map(
      ([k, v]) =>
        `<div class="figure"><span class="value" data-count="${escapeHtml(k)}">${v}</span><span class="label">${escapeHtml(k)}</span></div>`,
    )
    .join('');
  const stages = Object.entries(data.stageMs)
    .map(([k, ms]) => `<tr><td>${escapeHtml(k)}</td><td>${(ms / 1000).toFixed(1)} s</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lookalike — ${escapeHtml(data.rebuildId)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:22px;margin:0 0 4px} h2{margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
.figures{display:flex;flex-wrap:wrap;gap:12px}.figure{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:8px 12px;min-width:90px}
.figure .value{display:block;font-size:20px;font-weight:600}.figure .label{color:#666;font-size:12px}
.row,.customer{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:8px;margin:10px 0;display:flex;gap:10px;align-items:flex-start}
.customer{display:block}.pair{display:flex;gap:16px;flex-wrap:wrap}
.strip{display:flex;flex-wrap:wrap;gap:4px}.thumb{margin:0;width:76px;text-align:center;font-size:10px;color:#555}
.thumb img,.thumb .missing{width:76px;height:114px;object-fit:contain;background:#eee;border-radius:3px;display:block}
.query img{outline:3px solid #2471a3}.hit img{outline:3px solid #229954}
.chart rect{fill:#2471a3}.chart text{font-size:13px}
.context{max-width:900px}.real-data td:last-child{text-align:left}table{border-collapse:collapse;margin-top:8px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}
</style></head>
<body>
<h1>Rebuild ${escapeHtml(data.rebuildId)}</h1>
<div>created ${escapeHtml(data.createdAt)}${data.finishedAt ? `, finished ${escapeHtml(data.finishedAt)}` : ''}${
    data.model ? ` · model ${escapeHtml(data.model.id)} (${data.model.dim}-d)` : ''
  }${data.pca ? ` · PCA ${data.pca.inputDim} → ${data.pca.dims} (${(data.pca.explainedVarianceRatio * 100).toFixed(1)}% variance)` : ''}</div>
<h2>Figures</h2><div class="figures">${counts}</div>
<table class="stages"><tr><th>stage</th><th>time</th></tr>${stages}</table>
${data.methods && data.methods.length > 0 ? `<h2>MAP@12 by method</h2>${methodChart(data.methods, data.submissionMethod)}${data.realData ? realDataSection(data.realData) : ''}` : ''}
${data.quality ? qualitySection(data.quality) : ''}
<h2>Articles and their nearest neighbours</h2>
${data.articles.map(articleRow).join('\n')}
${data.customers && data.customers.length > 0 ? `<h2>Customers: recent purchases and recommendations</h2>\n${data.customers.map(customerRow).join('\n')}` : ''}
</body></html>
`;
}
