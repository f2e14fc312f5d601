import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BUNDLED_MOBILENET_V2_140_224,
  BundledModelSource,
  createModelSource,
  DEFAULT_MODEL,
  Embedder,
  initTfjsBackend,
  loadModel,
  loadModelArtifacts,
  locateNsfwjsPackage,
  ModelLoadError,
  modelSpecKind,
} from '../src';
import { EXPORTED_WEIGHTS_FILE, writeTfjsGraphModel } from './write-graph-model';
import { checkerSvg, maxAbsDiff, toJpeg, toPng, tshirtSvg } from './fixtures';

jest.setTimeout(120_000);

let dir: string;
let server: Server;
let baseUrl: string;
const requests: string[] = [];
let images: Buffer[];
let bundled: { modelId: string; sha: string; vectors: Float32Array };

/** Serves `dir` read-only; `/missing/*` and unknown files are 404. */
function startServer(root: string): Promise<Server> {
  const srv = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(req.url ?? '');
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    stat(file).then(
      (s) => {
        if (!s.isFile()) throw new Error('not a file');
        res.writeHead(200, {
          'content-type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
          'content-length': s.size,
        });
        createReadStream(file).pipe(res);
      },
      () => res.writeHead(404).end('not found'),
    );
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vision-model-'));
  const loaded = await loadModelArtifacts(new BundledModelSource('mobilenet_v2_140_224'));
  await writeTfjsGraphModel(join(dir, 'mobilenet'), loaded.artifacts);
  server = await startServer(dir);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  images = [await toPng(tshirtSvg({ fill: '#2980b9' })), await toJpeg(checkerSvg())];
  const embedder = await Embedder.create({ batchSize: 2 });
  try {
    bundled = {
      modelId: embedder.modelId,
      sha: embedder.modelSha256,
      vectors: (await embedder.embed(images)).vectors,
    };
  } finally {
    await embedder.dispose();
  }
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function embedWith(model: string, extra: Parameters<typeof Embedder.create>[0] = {}) {
  const embedder = await Embedder.create({ model, batchSize: 2, ...extra });
  try {
    return { embedder, result: await embedder.embed(images) };
  } finally {
    await embedder.dispose();
  }
}

describe('model specs', () => {
  test('classification', () => {
    expect(DEFAULT_MODEL).toBe(BUNDLED_MOBILENET_V2_140_224);
    expect(modelSpecKind('bundled:mobilenet_v2_140_224')).toBe('bundled');
    expect(modelSpecKind('file:///m/model.json')).toBe('file');
    expect(modelSpecKind('/m/model.json')).toBe('file');
    expect(modelSpecKind('https://tfhub.dev/x/model.json?tfjs-format=file')).toBe('http');
    expect(() => modelSpecKind('s3://bucket/model.json')).toThrow(/unsupported model URL scheme/);
    expect(() => createModelSource('s3://bucket/model.json')).toThrow(ModelLoadError);
    expect(() => createModelSource('bundled:nope')).toThrow(/unknown bundled model 'nope'/);
  });

  test('the bundled model is found inside nsfwjs and read without its exports map', async () => {
    const pkg = locateNsfwjsPackage();
    expect(pkg.version).toBe('4.4.0');
    const loaded = await loadModelArtifacts(new BundledModelSource('mobilenet_v2_140_224'));
    expect(loaded.artifacts.format).toBe('graph-model');
    expect(loaded.weightBytes.byteLength).toBeGreaterThan(4_000_000);
    expect(loaded.sha256).toBe(bundled.sha);
  });
});

describe('loading the same model from elsewhere', () => {
  test('exported files are TF.js converter layout', async () => {
    const json = JSON.parse(await readFile(join(dir, 'mobilenet', 'model.json'), 'utf8')) as {
      format: string;
      weightsManifest: { paths: string[] }[];
    };
    expect(json.format).toBe('graph-model');
    expect(json.weightsManifest[0]?.paths).toEqual([EXPORTED_WEIGHTS_FILE]);
  });

  test('file:// URL gives the same vectors as the bundled path', async () => {
    const url = pathToFileURL(join(dir, 'mobilenet', 'model.json')).toString();
    const { embedder, result } = await embedWith(url);
    expect(embedder.modelSha256).toBe(bundled.sha);
    expect(embedder.dim).toBe(1792);
    expect(maxAbsDiff(result.vectors, bundled.vectors)).toBe(0);
    // The directory URL and a plain path work too.
    const viaDir = await loadModel(`${pathToFileURL(join(dir, 'mobilenet')).toString()}/`);
    expect(viaDir.sha256).toBe(bundled.sha);
    viaDir.graph.dispose();
    const viaPath = await loadModel(join(dir, 'mobilenet'));
    expect(viaPath.name).toBe('mobilenet');
    viaPath.graph.dispose();
  });

  test('http:// URL gives the same vectors as the bundled path', async () => {
    requests.length = 0;
    const { embedder, result } = await embedWith(`${baseUrl}/mobilenet/model.json`, { modelName: 'mnv2' });
    expect(requests).toEqual(['/mobilenet/model.json', `/mobilenet/${EXPORTED_WEIGHTS_FILE}`]);
    expect(embedder.modelSha256).toBe(bundled.sha);
    expect(embedder.modelId).toBe(bundled.modelId.replace(/^mobilenet_v2_140_224/, 'mnv2'));
    expect(maxAbsDiff(result.vectors, bundled.vectors)).toBe(0);
  });

  test('query strings are kept on weight URLs (TF-Hub style)', async () => {
    requests.length = 0;
    const model = await loadModel(`${baseUrl}/mobilenet/model.json?tfjs-format=file`);
    expect(requests).toEqual([
      '/mobilenet/model.json?tfjs-format=file',
      `/mobilenet/${EXPORTED_WEIGHTS_FILE}?tfjs-format=file`,
    ]);
    model.graph.dispose();
  });

  test('TF-Hub directory URLs get model.json?tfjs-format=file; the fetch option is used', async () => {
    const seen: string[] = [];
    const fakeFetch = (async (url: URL | string) => {
      seen.push(url.toString());
      return new Response('nope', { status: 404, statusText: 'Not Found' });
    }) as typeof fetch;
    const source = createModelSource(
      'https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_140_224/feature_vector/3/default/1',
      { fetch: fakeFetch },
    );
    expect(source.name).toBe('1');
    await expect(source.readModelJson()).rejects.toThrow(/HTTP 404 Not Found/);
    expect(seen).toEqual([
      'https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_140_224/feature_vector/3/default/1/model.json?tfjs-format=file',
    ]);
    expect(createModelSource('https://example.com/models/mnv2/').location).toBe(
      'https://example.com/models/mnv2/model.json',
    );
    expect(createModelSource('https://example.com/models/mnv2/').name).toBe('mnv2');
  });

  test('another output node can be named (the classifier head, 5-d)', async () => {
    const embedder = await Embedder.create({ outputNode: 'Identity' });
    try {
      expect(embedder.dim).toBe(5);
      expect(embedder.modelId).not.toBe(bundled.modelId);
      expect((await embedder.embed(images)).vectors.length).toBe(10);
    } finally {
      await embedder.dispose();
    }
    await expect(loadModel(DEFAULT_MODEL, { outputNode: 'no/such/node' })).rejects.toThrow(
      /not in the model graph/,
    );
  });
});

describe('model load failures are ModelLoadErrors', () => {
  beforeAll(() => initTfjsBackend('auto'));

  test('HTTP 404', async () => {
    await expect(loadModel(`${baseUrl}/missing/model.json`)).rejects.toThrow(/HTTP 404/);
  });

  test('connection refused', async () => {
    const closed = await startServer(dir);
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(loadModel(`http://127.0.0.1:${port}/model.json`)).rejects.toBeInstanceOf(ModelLoadError);
  });

  test('missing file, bad JSON, layers model, short weights, escaping weight path', async () => {
    await expect(loadModel(pathToFileURL(join(dir, 'nowhere', 'model.json')).toString())).rejects.toThrow(
      /cannot read/,
    );

    const write = async (name: string, json: string, bin?: Buffer) => {
      await writeFile(join(dir, `${name}.json`), json);
      if (bin) await writeFile(join(dir, `${name}.bin`), bin);
      return join(dir, `${name}.json`);
    };
    await expect(loadModel(await write('bad', '{not json'))).rejects.toThrow(/not valid JSON/);
    await expect(
      loadModel(
        await write(
          'layers',
          JSON.stringify({ format: 'layers-model SECRET-VALUE', modelTopology: {}, weightsManifest: [] }),
        ),
      ),
    ).rejects.toThrow(/^(?!.*SECRET-VALUE).*not a TF.js graph model/s);

    const original = JSON.parse(await readFile(join(dir, 'mobilenet', 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    const short = structuredClone(original);
    short.weightsManifest[0]!.paths = ['short.bin'];
    await expect(loadModel(await write('short', JSON.stringify(short), Buffer.alloc(100)))).rejects.toThrow(
      /hold 100 bytes but the manifest describes/,
    );

    const escaping = structuredClone(original);
    escaping.weightsManifest[0]!.paths = ['../../etc/passwd'];
    await expect(loadModel(await write('escaping', JSON.stringify(escaping)))).rejects.toThrow(
      /outside the model directory/,
    );
  });
});
