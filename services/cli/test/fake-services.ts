import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_SERVICES } from '../src/local-services';

/**
 * Stand-in for a built service: answers /healthz on LOOKALIKE_HTTP_PORT with the environment it
 * was given, logs pino-style JSON, and exits cleanly on SIGTERM.
 */
const FAKE_SERVICE = `
const http = require('node:http');
const service = __dirname.split(require('node:path').sep).slice(-2)[0];
const log = (msg, extra) => console.log(JSON.stringify({ level: 30, time: new Date().toISOString(), service, pid: process.pid, msg, ...extra }));
const pick = ['LOOKALIKE_REDIS_URL', 'LOOKALIKE_STORAGE_URL', 'LOOKALIKE_HTTP_PORT', 'LOOKALIKE_HTTP_HOST', 'OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'OMP_WAIT_POLICY', 'EXTRA', 'ONLY_EMBEDDER'];
const env = Object.fromEntries(pick.map((k) => [k, process.env[k]]));
if (process.env.FAIL_SERVICE === service) { console.error(service + ': invalid configuration: boom'); process.exit(2); }
const server = http.createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ ok: true, service, env })); });
server.listen(Number(process.env.LOOKALIKE_HTTP_PORT), '127.0.0.1', () => log(service + ' ready', { port: server.address().port }));
process.on('SIGTERM', () => { log('shutting down'); server.close(() => process.exit(0)); });
`;

/** A temporary monorepo whose services/<name>/dist/main.js are FAKE_SERVICE. */
export async function fakeRepo(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'lookalike-cli-repo-'));
  for (const service of LOCAL_SERVICES) {
    await mkdir(join(root, 'services', service, 'dist'), { recursive: true });
    await writeFile(join(root, 'services', service, 'dist', 'main.js'), FAKE_SERVICE);
  }
  return root;
}
