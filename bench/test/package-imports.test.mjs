// The benchmarks run only by hand, so a name a package stops exporting would surface in the next benchmark
// run as `undefined is not a function`. This checks every name they take from a workspace package, on the
// packages' built output (turbo builds them before tests).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(join(root, 'package.json'));
const sources = ['src', 'src/lib'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((file) => file.endsWith('.mjs'))
    .map((file) => join(root, dir, file)),
);
const PATTERNS = [
  // const { a, b: c } = load('@lookalike/x')
  { re: /const \{([^}]+)\} = load\('(@lookalike\/[a-z-]+)'\)/g, name: (part) => part.split(':')[0] },
  // import { a, b as c } from '@lookalike/x'
  { re: /import \{([^}]+)\} from '(@lookalike\/[a-z-]+)'/g, name: (part) => part.split(' as ')[0] },
];

test('every name the benchmarks take from a workspace package is exported by it', () => {
  const missing = [];
  let checked = 0;
  for (const file of sources) {
    const text = readFileSync(file, 'utf8');
    for (const { re, name } of PATTERNS) {
      for (const [, names, pkg] of text.matchAll(re)) {
        const exports = require(pkg);
        for (const part of names.split(',')) {
          const wanted = name(part).trim();
          if (wanted === '') continue;
          checked++;
          if (!(wanted in exports))
            missing.push(`${file.slice(root.length)}: ${pkg} has no export "${wanted}"`);
        }
      }
    }
  }
  assert.ok(checked > 30, `only ${checked} names found: the patterns no longer match the benchmarks`);
  assert.deepEqual(missing, []);
});
