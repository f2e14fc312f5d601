import type { Manifest } from '@lookalike/core';
import { escapeHtml } from '@lookalike/gallery';

/** The producer's home page: every rebuild with its status, step, progress and links. */
export function renderRebuildsPage(manifests: Manifest[], dashboardPath: string): string {
  const rows = manifests
    .map((m) => {
      const stages = Object.values(m.stages);
      const done = stages.filter((s) => s.state === 'done' || s.state === 'skipped').length;
      const id = escapeHtml(m.rebuildId);
      const gallery = m.status === 'completed' ? `<a href="/rebuilds/${id}/gallery/">gallery</a>` : '';
      return `<tr data-rebuild="${id}"><td>${id}</td><td class="status ${m.status}">${m.status}</td><td>${escapeHtml(m.step)}</td>
<td><progress max="${stages.length}" value="${done}"></progress> ${done}/${stages.length}</td>
<td>${m.counts.embedded}/${m.counts.planned}</td><td>${m.counts.failed}</td><td>${escapeHtml(m.createdAt)}</td>
<td>${gallery} <a href="/rebuilds/${id}/manifest.json">manifest</a> <a href="/rebuilds/${id}">status</a></td></tr>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lookalike rebuilds</title>
<meta http-equiv="refresh" content="5">
<style>body{font:14px system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px}
.completed{color:#229954}.failed{color:#c0392b}.cancelled{color:#888}.running{color:#2471a3}</style></head>
<body><h1>lookalike rebuilds</h1><p><a href="${escapeHtml(dashboardPath)}">Bull dashboard</a> · <a href="/rebuilds">JSON</a></p>
<table><tr><th>rebuild</th><th>status</th><th>step</th><th>stages</th><th>embedded</th><th>failed</th><th>created</th><th></th></tr>
${rows || '<tr><td colspan="8">no rebuilds yet</td></tr>'}</table></body></html>
`;
}
