/**
 * Small Vitest projects for the tests of the Vite plugin (test/vite/), written into a scratch folder
 * inside the package (.tmp/, git-ignored): without a package.json of their own, `ts-pdb` resolves
 * to this checkout by self-reference, and `vitest` and `vite` to the checkout's devDependencies.
 * examples/vitest is the user's project; these are the cases it does not show.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './build.mjs';

/** The checkout's Vitest (its CLI file). */
export const VITEST = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

/**
 * A project in a new scratch folder, removed when the test ends: `files` maps relative paths to
 * their text. A `vitest.config.mts` using the plugin with `plugin` (its options, as source text) is
 * added unless `files` has one.
 * @param {import('node:test').TestContext} t
 * @param {Record<string, string>} files
 * @param {{ plugin?: string, test?: string }} [config] the plugin's options and the config's `test` (source text)
 */
export function vitestProject(t, files, config = {}) {
  const base = path.join(ROOT, '.tmp');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'vitest-project-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const all = {
    'vitest.config.mts': `import { defineConfig } from 'vitest/config';
import tsPdb from 'ts-pdb/vite';
export default defineConfig({ plugins: [tsPdb(${config.plugin ?? ''})], test: ${config.test ?? '{}'} });
`,
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The module of the tests below: a marked function that throws with the loop's state in its locals. */
export const STOCK_TS = `export interface Line {
  sku: string;
  qty: number;
}

// @debuggable
export function reserve(stock: Map<string, number>, lines: Line[]) {
  const left = new Map(stock);
  for (const line of lines) {
    const have = left.get(line.sku) ?? 0;
    if (have < line.qty) throw new RangeError(\`only \${have} \${line.sku} left, \${line.qty} wanted\`);
    left.set(line.sku, have - line.qty);
  }
  return left;
}
`;

/** A test file whose one test fails through reserve(), for an order of `qty` nuts (12 on the shelf). */
export function failingTest(name, qty) {
  return `import { expect, test } from 'vitest';
import { reserve } from '../src/stock';

test('${name}', () => {
  const wanted = ${qty};
  expect(reserve(new Map([['nut', 12]]), [{ sku: 'nut', qty: wanted }]).get('nut')).toBe(0);
});
`;
}
