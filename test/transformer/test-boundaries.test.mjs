// The option testBoundaries (core/test-callbacks.ts; the Vite plugin sets it): with `instrument: "all"`
// the functions a test file gives its runner (`test`, `it`, their modifiers, the hooks) are debug
// boundaries, in both adapters alike; `describe`'s is not, nor a function given to another call; in
// marked mode, or without the option, nothing changes. And the boundary opens the session when an
// error fails the test: a real run of the TypeScript build, with a `test` that calls the function as
// a runner does and reports what it caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { babelTranspile, ROOT, scratch, transpile } from '../helpers/build.mjs';

const SOURCE = `import { describe, test, it, beforeEach, expect } from 'vitest';
function share(total: number, parts: number) {
  if (parts === 0) throw new Error('nothing to share ' + total + ' by');
  return total / parts;
}
describe('shares', () => {
  beforeEach(() => { globalThis.ready = true; });
  test('one', () => { const parts = 0; expect(share(90, parts)).toBe(1); });
  test.only('two', async () => { await null; share(60, 0); });
  it.each([1])('three %i', function three(n) { share(n, 0); });
  it('four', function four() { [1].map((x) => x + 1); });
  /^t/.test('a test');
});
`;

/** name -> boundary, for every function of a build (anonymous ones by their line). */
function boundaries(code) {
  const m = /meta: ("(?:[^"\\]|\\.)*")/.exec(code);
  const meta = m ? JSON.parse(JSON.parse(m[1])) : { fns: [] };
  return Object.fromEntries(meta.fns.map((f) => [`${f.name}@${f.line}`, f.boundary]));
}

const fileName = join(ROOT, '.tmp', 'shares.test.ts');

/** The environment without ts-pdb's switches a developer's shell may have set. */
function withoutSwitches(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^(IPDB_|TS_PDB_)/.test(k)));
}

test('with instrument "all" and testBoundaries, the functions given to test, it, their modifiers, tables and hooks are boundaries, in both adapters; not without the option nor in marked mode', () => {
  const transform = { instrument: 'all', testBoundaries: true };
  const fromTs = boundaries(transpile(SOURCE, { fileName, transform }).code);
  const fromBabel = boundaries(babelTranspile(SOURCE, { fileName, transform }).code);
  assert.deepEqual(fromTs, {
    'share@2': false,
    '<anonymous>@6': false, // describe's: it runs while the tests are collected
    '<anonymous>@7': true, // beforeEach
    '<anonymous>@8': true, // test
    '<anonymous>@9': true, // test.only
    'three@10': true, // it.each([...])(...): a call of what it.each returned
    'four@11': true, // it
    '<anonymous>@11': false, // a function given to another call (map) inside a test
  });
  assert.deepEqual(fromBabel, fromTs);
  // Without the option, or in marked mode, no function is a boundary for being a test.
  assert.ok(Object.values(boundaries(transpile(SOURCE, { fileName, transform: { instrument: 'all' } }).code)).every((b) => !b));
  assert.deepEqual(boundaries(transpile(SOURCE, { fileName, transform: { testBoundaries: true } }).code), {});
  assert.ok(Object.values(boundaries(babelTranspile(SOURCE, { fileName, transform: { instrument: 'all' } }).code)).every((b) => !b));
});

test('a test that fails through a function that is not marked opens the session as the error leaves the test, once', (t) => {
  const dir = scratch('test-boundaries-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const src = `import { share } from './share';
declare function test(name: string, fn: () => void): void;
test('one', () => {
  const parts = 0;
  share(90, parts);
});
`;
  for (const [name, text] of [
    [
      'share',
      'export function share(total: number, parts: number) {\n  if (parts === 0) throw new Error(`nothing to share ${total} by`);\n  return total / parts;\n}\n',
    ],
    ['shares.test', src],
  ]) {
    const { code } = transpile(text, {
      fileName: join(dir, `${name}.ts`),
      transform: { instrument: 'all', testBoundaries: true },
      compilerOptions: { sourceMap: false, inlineSourceMap: true, inlineSources: true },
    });
    writeFileSync(join(dir, `${name}.js`), code);
  }
  // A runner of one test: calls the function, reports the failure (as Vitest would).
  writeFileSync(
    join(dir, 'run.js'),
    `globalThis.test = (name, fn) => { try { fn(); console.log('passed', name); } catch (e) { console.log('failed', name, e.message); } };\nrequire('./shares.test.js');\n`,
  );
  const r = spawnSync(process.execPath, [join(dir, 'run.js')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...withoutSwitches(process.env), IPDB_DEBUG: '1', CI: 'true', IPDB_DUMP: '0', NO_COLOR: '1' },
    input: '',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^failed one nothing to share 90 by$/m, 'the error goes on to the runner, unchanged');
  // The report of the session (no terminal): both frames with their locals, the test's outermost.
  assert.match(r.stderr, /Exception caught in <anonymous>:/);
  assert.match(r.stderr, /File "shares\.test\.ts", line 5, in <anonymous>\n {4}share\(90, parts\);\n {6}parts = 0\n/);
  assert.match(r.stderr, /File "share\.ts", line 2, in share\n.*\n {6}total = 90\n {6}parts = 0\n/);
  assert.equal(r.stderr.match(/Exception caught in/g)?.length, 1, 'one session per error');
});
