// The `ts-pdb` command: its help says how to get a session; a wrong command is a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/build.mjs';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const cli = join(ROOT, pkg.bin['ts-pdb']);
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('ts-pdb --version prints the package version', () => {
  const r = run('--version');
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('ts-pdb --help says how to get a session', () => {
  const r = run('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /ts-pdb\/transformer/);
  assert.match(r.stdout, /IPDB_DEBUG=1/);
});

test('an unknown command exits 2 and names it', () => {
  const r = run('frobnicate');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
});
