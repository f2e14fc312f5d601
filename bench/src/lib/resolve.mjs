// Loads workspace packages and their third-party dependencies.
//
// Normal case: bench/node_modules (after `pnpm install`) resolves every dependency declared in
// bench/package.json. Until the lockfile has the bench package, fall back to the built workspace
// packages (packages/<name>, whose `main` is dist/index.js) and to the packages that already
// depend on a third-party module.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO_ROOT = join(BENCH_DIR, '..');
export const RESULTS_DIR = join(BENCH_DIR, 'results');

const own = createRequire(join(BENCH_DIR, 'package.json'));

/** Where each module can be found when bench/node_modules does not have it yet. */
const FALLBACK = {
  '@lookalike/ann': 'packages/ann',
  '@lookalike/core': 'packages/core',
  '@lookalike/local-servers': 'packages/local-servers',
  '@lookalike/queue': 'packages/queue',
  '@lookalike/storage': 'packages/storage',
  '@lookalike/vision': 'packages/vision',
  sharp: 'packages/vision',
  bullmq: 'packages/queue',
};

function isMissing(err, name) {
  return err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(`'${name}'`);
}

/** `require(name)` from the bench package, else from the workspace (see above). */
export function load(name) {
  try {
    return own(name);
  } catch (err) {
    if (!isMissing(err, name)) throw err;
  }
  const where = FALLBACK[name];
  if (!where) throw new Error(`bench: cannot resolve ${name}; run pnpm install at the repository root`);
  const dir = join(REPO_ROOT, where);
  if (name.startsWith('@lookalike/')) {
    const pkg = own(join(dir, 'package.json'));
    if (!existsSync(join(dir, pkg.main))) {
      throw new Error(
        `bench: ${name} is not built (${join(dir, pkg.main)} missing): run \`pnpm exec turbo run build\``,
      );
    }
    return own(dir);
  }
  return createRequire(join(dir, 'package.json'))(name);
}

/** Entry point of a built service, e.g. services/indexer/dist/main.js (checked to exist). */
export function serviceMain(service) {
  const path = join(REPO_ROOT, 'services', service, 'dist', 'main.js');
  if (!existsSync(path)) throw new Error(`bench: ${path} missing: run \`pnpm exec turbo run build\` first`);
  return path;
}

/**
 * A rebuild-spec default (core's rebuildSpecSchema), so that the benchmarks run what a rebuild
 * submitted without options would run; `fallback` if the schema does not expose it.
 */
export function specDefault(field, fallback) {
  try {
    const value = load('@lookalike/core').rebuildSpecSchema.shape[field].parse(undefined);
    return value ?? fallback;
  } catch {
    return fallback;
  }
}
