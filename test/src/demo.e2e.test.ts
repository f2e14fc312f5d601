import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { METHODS } from '@lookalike/recsys';

const CLI = join(__dirname, '..', '..', 'services', 'cli', 'dist', 'main.js');

/**
 * The README's first command, minus set-up and build: `lookalike demo` generates the sample,
 * runs every service with its own Redis, rebuilds with recommendations and prints MAP@12 of every
 * method and where the gallery is. On the default sample (seed 1) with the real image neighbours,
 * the methods rank as on the real H&M data and the hybrid is above every single method.
 */
describe('lookalike demo', () => {
  it('completes from an empty folder and prints MAP@12 of every method', async () => {
    const work = await mkdtemp(join(tmpdir(), 'lookalike-demo-'));
    try {
      const child = spawn(process.execPath, [CLI, 'demo', '--port', '0'], {
        cwd: work,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(/rebuild \S+ completed/);
      expect(stdout).toMatch(/images\s+600 planned, 600 embedded/);
      const map = new Map<string, number>();
      for (const method of METHODS) {
        const row = new RegExp(`^${method}\\s+(0\\.\\d{5})\\s+0\\.\\d{4}`, 'm').exec(stdout);
        expect({ method, row: row !== null }).toEqual({ method, row: true });
        map.set(method, Number(row![1]));
      }
      // As on the real data: repurchase > popularity, both well above image neighbours alone; the hybrid above all.
      const at = (m: string) => map.get(m)!;
      expect(at('repurchase')).toBeGreaterThan(at('popularity'));
      expect(at('popularity')).toBeGreaterThan(2 * at('visual'));
      for (const m of METHODS.filter((x) => x !== 'hybrid')) {
        expect({ method: m, hybridAbove: at('hybrid') > at(m) }).toEqual({ method: m, hybridAbove: true });
      }
      expect(stdout).toMatch(/^submission\.csv, the API and the gallery: hybrid$/m);
      // The demo rebuild measures its neighbours against the sample's labels: each share beside chance, and the
      // sample's images are drawn from those labels, so the neighbours agree far above chance.
      expect(stdout).toMatch(
        /^quality {2}neighbours against the labels of articles\.csv \(600 articles\):$/m,
      );
      const type = /^\s+product type\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$/m.exec(stdout);
      expect(type).not.toBeNull();
      const [at1, , at10, , chance] = type!.slice(1).map(Number);
      expect(at10!).toBeGreaterThan(2 * chance!);
      expect(at1!).toBeGreaterThanOrEqual(at10!);
      const gallery = /^gallery\s+(\S+index\.html)$/m.exec(stdout)?.[1];
      expect(gallery && existsSync(gallery)).toBe(true);
      const html = readFileSync(gallery!, 'utf8');
      expect(html).toContain('<h2>Neighbour quality</h2>');
      // The gallery's customers (the evaluate job's sample) show submission.csv's rows for them, in order.
      const submission = new Map(
        readFileSync(join(dirname(gallery!), '..', 'submission.csv'), 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((line) => [line.split(',')[0]!, line.split(',')[1]!.split(' ')] as const),
      );
      const customers = [
        ...html.matchAll(/<section class="customer" data-customer="([^"]+)">([\s\S]*?)<\/section>/g),
      ];
      expect(customers).toHaveLength(6);
      for (const [, id, body] of customers) {
        const recommended = body!.slice(body!.indexOf('<h4>recommended</h4>'));
        const shown = [...recommended.matchAll(/data-article="(\d{10})"/g)].map((m) => m[1]);
        expect({ id, shown }).toEqual({ id, shown: submission.get(id!) });
      }
      expect(existsSync(join(work, '.lookalike', 'sample', 'sample.json'))).toBe(true);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
