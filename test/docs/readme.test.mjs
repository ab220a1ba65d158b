// The README tells the truth: its command list is the command table, its first commands are
// the two a new user types, and every command the table has appears in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { readmeWithCommands } from '../helpers/command-docs.mjs';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

test('the README command list is generated from the command table (npm run docs)', () => {
  assert.equal(readme, readmeWithCommands(readme), 'run `npm run docs` to regenerate the README command list');
});

test('the README shows first the install-and-run command, then npm test', () => {
  const firstBlock = /```sh\n([^]*?)```/.exec(readme)[1];
  const lines = firstBlock
    .trim()
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim());
  assert.deepEqual(lines, ['npm install && npm start', 'npm test']);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.ok(pkg.scripts.start && pkg.scripts.test, 'package.json has the start and test scripts');
});

test('every IPDB_ variable the runtime reads is in the README switch table', () => {
  const config = ['runtime/config.ts', 'runtime/capture.ts'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
  const used = new Set([...config.matchAll(/env\.(IPDB_[A-Z_]+)/g)].map((m) => m[1]));
  for (const v of used) assert.match(readme, new RegExp('`' + v + '`'), `${v} is documented`);
});
