import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The monorepo root: the nearest folder above `from` holding `pnpm-workspace.yaml`
 * (this file lives in services/cli/src or services/cli/dist, three levels down).
 */
export function findRepoRoot(from: string = __dirname): string {
  let dir = resolve(from);
  while (true) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(__dirname, '..', '..', '..');
    dir = parent;
  }
}
