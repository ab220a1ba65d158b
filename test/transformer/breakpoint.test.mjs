// The transform of `breakpoint()` calls (core/breakpoints.ts) through both adapters: the same
// metadata (the bindings visible at each call, in the same order), ts-pdb's import only (a local
// function called `breakpoint` is left alone), and, debugging off, the program's behaviour
// unchanged: its arguments are evaluated once, as the call would evaluate them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { babelTranspile, ROOT, scratch, transpile } from '../helpers/build.mjs';

const SOURCE = `import { breakpoint, Debugger } from 'ts-pdb';

let calls = 0;
const opts = () => { calls++; return { ranks: [5] }; };

class Job {
  constructor(readonly size: number) {}
  run(items: number[]) {
    let total = 0;
    for (const item of items) {
      const doubled = item * 2;
      total += doubled;
      breakpoint(opts());
    }
    const later = total + 1;
    return later;
  }
}

function outer(seed: number) {
  const base = seed * 3;
  return (x: number) => {
    let y = x + base;
    Debugger.setTrace();
    return y;
  };
}

function notOurs() {
  const breakpoint = (n: number) => n + 1;
  return breakpoint(1);
}

breakpoint();
console.log(new Job(2).run([1, 2, 3]), outer(2)(1), notOurs(), calls);
`;

/** The module metadata the build embeds. */
function metaOf(code) {
  const m = /meta: ("(?:[^"\\]|\\.)*")/.exec(code);
  assert.ok(m, 'the build has module metadata');
  return JSON.parse(JSON.parse(m[1]));
}

test('both adapters describe the same breakpoint sites: the bindings visible at each call, none still in its TDZ', () => {
  const file = '/virtual/app.ts';
  const fromTs = metaOf(transpile(SOURCE, { fileName: file }).code);
  const fromBabel = metaOf(babelTranspile(SOURCE, { fileName: file }).code);
  assert.deepEqual(fromBabel, fromTs);
  const sites = fromTs.fns.filter((f) => f.site === 'breakpoint');
  assert.deepEqual(
    sites.map((s) => [s.name, s.names, s.kinds, s.closure]),
    [
      ['Job.run', ['doubled', 'item', 'items', 'total'], ['const', 'const', 'param', 'let'], []],
      ['<anonymous>', ['x', 'y'], ['param', 'let'], ['seed', 'base']],
      ['<module>', [], [], []],
    ],
  );
});

test('debugging off, the instrumented program does what the plain one does (arguments evaluated once each)', () => {
  const dir = scratch('breakpoint-build-');
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'ts-pdb'), 'dir');
  const run = (name, code) => {
    fs.writeFileSync(path.join(dir, name), code);
    return spawnSync(process.execPath, [path.join(dir, name)], { encoding: 'utf8', env: { ...process.env, IPDB_DEBUG: '' } });
  };
  const plain = run('plain.js', transpile(SOURCE, { transform: false }).code);
  assert.equal(plain.status, 0, plain.stderr);
  assert.equal(plain.stdout, '13 7 2 3\n');
  for (const [name, code] of [
    ['ts.js', transpile(SOURCE).code],
    ['babel.js', babelTranspile(SOURCE).code],
  ]) {
    assert.match(code, /__tsPdb\.bp\(/, name);
    const r = run(name, code);
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    assert.equal(r.stdout, plain.stdout, name);
    assert.equal(r.stderr, '', name);
  }
});

test('a local function called breakpoint is not a breakpoint', () => {
  const { code } = transpile(SOURCE);
  assert.match(code, /const breakpoint = \(n\) => n \+ 1;\s*return breakpoint\(1\);/);
});
