import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', 'services', 'cli', 'dist', 'main.js');

/**
 * The README's first command, minus set-up and build: `lookalike demo` generates the sample,
 * runs every service with its own Redis, rebuilds with recommendations and prints MAP@12 for the
 * three methods and where the gallery is.
 */
describe('lookalike demo', () => {
  it('completes from an empty folder and prints MAP@12 of every method', async () => {
    const work = await mkdtemp(join(tmpdir(), 'lookalike-demo-'));
    try {
      const child = spawn(process.execPath, [CLI, 'demo', '--port', '0'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(/rebuild \S+ completed/);
      expect(stdout).toMatch(/images\s+600 planned, 600 embedded/);
      for (const method of ['visual', 'popularity', 'repurchase']) {
        expect(stdout).toMatch(new RegExp(`^${method}\\s+0\\.\\d{5}\\s+0\\.\\d{4}`, 'm'));
      }
      const gallery = /^gallery\s+(\S+index\.html)$/m.exec(stdout)?.[1];
      expect(gallery && existsSync(gallery)).toBe(true);
      expect(existsSync(join(work, '.lookalike', 'sample', 'sample.json'))).toBe(true);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
