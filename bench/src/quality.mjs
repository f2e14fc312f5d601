// Benchmark (c): neighbour quality on real product photos.
//
//   pnpm --filter @lookalike/bench run quality [-- --corpus ../shared/data/hm-real-dev --variants default,previous]
//
// Runs the rebuild through the real services (a local stack: Redis, producer, 2 embedders, reducer, 2 indexers,
// file storage in a temporary folder) on a labelled corpus in the H&M layout (`images/0XX/<id>.jpg` +
// `articles.csv`), once per variant of the rebuild options, and prints each rebuild's neighbour-quality report
// (written by its `quality` job) beside chance and a trivial baseline computed here: cosine on 16×16 RGB
// thumbnails. Also prints each rebuild's embed and neighbour stage times (the cost of each option).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { load, REPO_ROOT } from './lib/resolve.mjs';
import { machineFacts, parseArgs, printMarkdownTable, writeResult } from './lib/machine.mjs';

const { startLocalStack, ApiClient } = load('@lookalike/cli');
const { labelsForRows, measureNeighbourQuality, readArticleLabels } = load('@lookalike/neighbour-quality');
const { bruteForceNeighbours } = load('@lookalike/ann');
const { l2Normalise } = load('@lookalike/linalg');
const sharp = load('sharp');

const opts = parseArgs(process.argv.slice(2), {
  corpus: join(REPO_ROOT, '..', 'shared', 'data', 'hm-real-dev'),
  variants: 'default,previous',
  embedders: 2,
  keep: false,
});

/** Rebuild options of each variant (what is not given takes the rebuild defaults). */
const VARIANTS = {
  default: {},
  // The options before issue 13: TF's black resize_with_pad, plain PCA.
  previous: { padding: 'black', powerNorm: 1, pcaWhiten: 0 },
  'white-pad': { padding: 'white' },
  'no-whiten': { pcaWhiten: 0 },
  'no-power': { powerNorm: 1 },
  'full-whiten': { pcaWhiten: 1 },
  raw: { pcaDims: 0, powerNorm: 1, pcaWhiten: 0, padding: 'black' },
};

const COLUMNS = [
  ['type@1', (r) => share(r, 'product_type_name', 1)],
  ['type@10', (r) => share(r, 'product_type_name', 10)],
  ['group@10', (r) => share(r, 'product_group_name', 10)],
  ['colour@10', (r) => share(r, 'colour_group_name', 10)],
  ['appearance@10', (r) => share(r, 'graphical_appearance_name', 10)],
  ['code@1 (with a variant)', (r) => r.siblings?.shareAt['1']],
  ['variant recall@10', (r) => r.siblings?.recallAt['10']],
];

function share(report, column, k) {
  return report.labels.find((l) => l.column === column)?.shareAt[String(k)];
}

function log(msg) {
  console.log(`[quality ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

function corpusFiles(dir) {
  const files = [];
  for (const sub of readdirSync(join(dir, 'images')).sort())
    for (const f of readdirSync(join(dir, 'images', sub)).sort())
      if (f.endsWith('.jpg')) files.push({ id: f.slice(0, -4), path: join(dir, 'images', sub, f) });
  return files;
}

/** The trivial baseline: cosine on 16×16 RGB thumbnails (the whole image squashed, no model). */
async function thumbnailReport(files, labelsRead) {
  const dim = 16 * 16 * 3;
  const x = new Float32Array(files.length * dim);
  await Promise.all(
    files.map(async (f, i) => {
      const data = await sharp(readFileSync(f.path))
        .resize(16, 16, { fit: 'fill' })
        .removeAlpha()
        .raw()
        .toBuffer();
      for (let j = 0; j < dim; j++) x[i * dim + j] = data[j] / 255;
    }),
  );
  l2Normalise(x, dim);
  const table = bruteForceNeighbours(x, dim, 0, files.length, 20);
  const ids = files.map((f) => f.id);
  return measureNeighbourQuality({ articleIds: ids, k: 20, ids: table.ids }, labelsForRows(ids, labelsRead));
}

async function waitFor(client, rebuildId) {
  for (;;) {
    const status = await client.status(rebuildId);
    const manifest = status.manifest ?? status;
    if (manifest.status === 'completed') return manifest;
    if (manifest.status === 'failed' || manifest.status === 'cancelled')
      throw new Error(`rebuild ${rebuildId} ${manifest.status}: ${manifest.error ?? ''}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function main() {
  const corpus = resolve(opts.corpus);
  if (!existsSync(join(corpus, 'articles.csv')) || !existsSync(join(corpus, 'images'))) {
    console.error(
      `quality benchmark: no labelled corpus at ${corpus} (images/0XX/<id>.jpg + articles.csv); pass --corpus`,
    );
    process.exit(2);
  }
  const machine = machineFacts();
  log(`machine: ${machine.nproc} cpus (${machine.cpuModel}), load ${machine.loadavg.join(' ')}`);
  const files = corpusFiles(corpus);
  const labelsRead = await readArticleLabels([readFileSync(join(corpus, 'articles.csv'))], {
    file: 'articles.csv',
  });
  log(`corpus: ${files.length} images in ${corpus}`);
  const rows = [];
  const thumb = await thumbnailReport(files, labelsRead);
  rows.push({ method: '16×16 RGB thumbnail, cosine', report: thumb });

  const work = await mkdtemp(join(tmpdir(), 'lookalike-bench-quality-'));
  const stack = await startLocalStack({
    storageDir: join(work, 'storage'),
    embedders: Number(opts.embedders),
    env: { LOG_LEVEL: 'warn' },
    allowedLocations: [corpus],
  });
  const runs = [];
  try {
    const client = new ApiClient(stack.apiUrl, { timeoutMs: 60_000 });
    for (const name of String(opts.variants).split(',')) {
      const overrides = VARIANTS[name];
      if (!overrides) throw new Error(`unknown variant ${name} (known: ${Object.keys(VARIANTS).join(', ')})`);
      const started = Date.now();
      const { rebuildId } = await client.submit({
        images: join(corpus, 'images'),
        articles: join(corpus, 'articles.csv'),
        shardSize: 250,
        publish: false,
        ...overrides,
      });
      const manifest = await waitFor(client, rebuildId);
      if (!manifest.quality) throw new Error(`rebuild ${rebuildId} has no quality report`);
      const stage = (s) => manifest.stages[s]?.ms ?? 0;
      const run = {
        variant: name,
        options: overrides,
        rebuildId,
        wallS: (Date.now() - started) / 1000,
        embedS: stage('embed') / 1000,
        cached: manifest.counts.cached,
        neighboursS: (stage('build-index') + stage('neighbours')) / 1000,
        reduceS: (stage('fit') + stage('project')) / 1000,
        report: manifest.quality,
      };
      runs.push(run);
      log(
        `${name}: rebuild ${rebuildId} in ${run.wallS.toFixed(1)} s (embed ${run.embedS.toFixed(1)} s, ${run.cached} from cache; fit+project ${run.reduceS.toFixed(1)} s; index+neighbours ${run.neighboursS.toFixed(1)} s)`,
      );
      rows.push({ method: `lookalike ${name} ${JSON.stringify(overrides)}`, report: manifest.quality });
    }
  } finally {
    await stack.stop();
    if (!opts.keep) await rm(work, { recursive: true, force: true });
  }

  const chance = {
    method: 'chance',
    values: COLUMNS.map(([label]) => {
      const column = {
        type: 'product_type_name',
        group: 'product_group_name',
        colour: 'colour_group_name',
        appearance: 'graphical_appearance_name',
      }[label.split('@')[0]];
      return column ? thumb.labels.find((l) => l.column === column)?.chance : undefined;
    }),
  };
  const header = ['method', ...COLUMNS.map(([l]) => l)];
  const body = [
    chance,
    ...rows.map((r) => ({ method: r.method, values: COLUMNS.map(([, f]) => f(r.report)) })),
  ].map((r) => [r.method, ...r.values.map((v) => (v === undefined ? '—' : v.toFixed(3)))]);
  printMarkdownTable(
    `Neighbour quality on ${files.length} labelled photos (${corpus}); ${thumb.siblings?.articles ?? 0} articles have a colour variant`,
    header,
    body,
  );
  console.log(
    'Cost (this run, this box): ' +
      runs
        .map(
          (r) =>
            `${r.variant}: embed ${r.embedS.toFixed(1)} s (${r.cached} cached), neighbours ${r.neighboursS.toFixed(1)} s`,
        )
        .join('; '),
  );
  const path = writeResult('quality', {
    bench: 'quality',
    corpus,
    machine,
    thumbnail: thumb,
    runs,
    machineEnd: machineFacts(),
  });
  log(`result written to ${path}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
