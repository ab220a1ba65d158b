// The Babel adapter (`ts-pdb/babel`) against the TypeScript adapter and against Babel without it:
// the same functions marked, the same metadata for every semantics fixture, the build turned off
// gives Babel's own output, source maps (its own and an input map) lead to the original lines,
// and ES module output runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { originalLineOf, TOTAL_SOURCE } from '../helpers/maps.mjs';
import { babelTranspile, ROOT, scratch, transpile, ts, writeBabelBuild } from '../helpers/build.mjs';
import { framesOf, settings } from '../helpers/frames.mjs';

const require = createRequire(import.meta.url);
const babel = require('@babel/core');

/** The module metadata a build embeds (`meta: "..."`), parsed. */
function metaOf(code) {
  const m = /meta: ("(?:[^"\\]|\\.)*")/.exec(code);
  return m ? JSON.parse(JSON.parse(m[1])) : { fns: [], scopes: [] };
}

/** Function records without their order (the adapters may number them differently), sorted by position. */
function fnRecords(meta) {
  return meta.fns.map((f) => JSON.stringify(f)).sort();
}
/** Scope records with their function named instead of numbered, sorted. */
function scopeRecords(meta) {
  return meta.scopes.map((s) => JSON.stringify({ ...s, fn: meta.fns[s.fn]?.name })).sort();
}

test('package export ts-pdb/babel is the plugin, for require and import', async () => {
  const viaRequire = require('ts-pdb/babel');
  const viaImport = (await import('ts-pdb/babel')).default;
  assert.equal(typeof viaRequire, 'function');
  assert.equal(viaImport, viaRequire);
  assert.equal(viaRequire.default, viaRequire);
});

const FIXTURES = join(ROOT, 'test/fixtures/semantics');
for (const file of readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.ts'))
  .sort()) {
  const src = readFileSync(join(FIXTURES, file), 'utf8');
  const opts = JSON.parse(/^\/\/ fixture: (.*)$/m.exec(src)?.[1] ?? '{}');
  if (opts.babel) continue;
  test(`the same frame metadata from both adapters: ${file}`, () => {
    const transform = { instrument: 'all', ...opts.transform };
    const decorators = opts.compilerOptions?.experimentalDecorators ? 'legacy' : /^\s*@\w|\baccessor \w/m.test(src) ? '2023-11' : undefined;
    const fileName = join(ROOT, '.tmp', file);
    const fromTs = metaOf(transpile(src, { fileName, transform, compilerOptions: opts.compilerOptions }).code);
    const fromBabel = metaOf(babelTranspile(src, { fileName, transform, decorators }).code);
    assert.ok(fromTs.fns.length > 0);
    assert.deepEqual(fnRecords(fromBabel), fnRecords(fromTs), 'functions');
    assert.deepEqual(scopeRecords(fromBabel), scopeRecords(fromTs), 'scopes');
  });
}

// Three decisions the adapters once made each on their own (now in transformer/core/): which
// initialisers cannot throw (not split through a temporary), which wrappers a function's name is
// read through, and which statements stay out of the try segments (`declare`, types).
/** `src` (a .ts file) built by both adapters with every function instrumented: [TypeScript's code, Babel's code]. */
function bothBuilds(src) {
  const fileName = join(ROOT, '.tmp', 'shapes.ts');
  const transform = { instrument: 'all' };
  return [transpile(src, { fileName, transform }).code, babelTranspile(src, { fileName, transform, decorators: '2023-11' }).code];
}

test('both adapters: a function is named through `!`, `<T>x`, `as`, `satisfies` and parentheses, and by an accessor field', () => {
  const [fromTs, fromBabel] = bothBuilds(`export const bang = (() => 1)!;
export const cast = <any>(() => 2);
export const as = (() => 3) as unknown;
export const sat = (() => 4) satisfies unknown;
export const both = ((() => 5)! as any);
export class Holder {
  accessor held = () => 6;
}
`);
  const names = (code) =>
    metaOf(code)
      .fns.map((f) => f.name)
      .sort();
  assert.deepEqual(names(fromBabel), names(fromTs));
  assert.deepEqual(names(fromTs), ['as', 'bang', 'both', 'cast', 'held', 'sat']);
});

test('both adapters: the same initialisers are split through a temporary (`void` of a literal cannot throw)', () => {
  const [fromTs, fromBabel] = bothBuilds(`export function shapes(o: any) {
  switch (o.k) {
    case 1:
      let z = o.z;
      const a = void /re/;
      const b = void \`t\`;
      const c = void null;
      const d = (void 0)!;
      const e = typeof o;
      const g = -1;
      return [z, a, b, c, d, e, g];
  }
}
`);
  const split = (code) => [...code.matchAll(/\b(?:const|let) (\w+) = __tsPdbT\d+;/g)].map((m) => m[1]);
  assert.deepEqual(split(fromBabel), split(fromTs));
  // `typeof o` (a binding in its TDZ throws) and `-1` (\`+1n\` throws) are split: it only costs a temporary.
  assert.deepEqual(split(fromTs), ['z', 'e', 'g']);
});

test('both adapters: `declare let` in a function stays out of the try segments, as types do', () => {
  const [fromTs, fromBabel] = bothBuilds(`export function shapes(o: any) {
  switch (o.k) {
    case 1:
      let z = o.z;
      o.a(z);
      declare let x: number;
      o.b(x);
  }
}
`);
  const tries = (code) => code.match(/\btry \{/g).length;
  assert.equal(tries(fromBabel), tries(fromTs));
  // The function's, \`let z\`'s initialiser's, \`o.a(z)\`'s segment and \`o.b(x)\`'s segment (each catch reads \`z\` in a try of its own).
  assert.equal(tries(fromTs), 7);
});

test('markers: the same functions become boundaries as with the TypeScript transformer', () => {
  const src = `import { attachOnError, Debugger as D } from 'ts-pdb';
import { attachOnError as other } from './elsewhere';
// @debuggable
export function declaration() { return 1; }
/** @debuggable */
export const expression = function () { return 2; };
// @debuggable
export const arrow = (x: number) => x * 2;
export const inline = /* @debuggable */ async (x: number) => x;
export class K {
  constructor(public a: number) { this.a = Math.abs(a); }
  @attachOnError() a1() { return 1; }
  @D.attachOnError() b1() { return 2; }
  @other() c1() { return 3; }
  // @debuggable
  get value() { return this.a; }
  // @no-debug
  hot() { return 4; }
}
export const object = {
  // @debuggable
  shorthand() { return 3; },
};
export function notMarked() { return 5; }
/** Not a marker: prose that mentions \`// @debuggable\`. */
export function prose() { return 6; }
`;
  for (const instrument of ['marked', 'all']) {
    const fromTs = metaOf(transpile(src, { transform: { instrument } }).code);
    const out = babelTranspile(src, { transform: { instrument }, decorators: '2023-11' });
    assert.deepEqual(fnRecords(metaOf(out.code)), fnRecords(fromTs), `instrument: ${instrument}`);
    if (instrument === 'marked')
      assert.ok(!metaOf(out.code).fns.some((f) => f.name === 'prose'), 'prose mentioning the marker marks nothing');
    assert.doesNotMatch(out.code, /require\("ts-pdb"\)/, 'the marker import is gone');
    assert.match(out.code, /elsewhere/, 'a decorator of the same name from another module stays');
  }
});

test("build off (enabled: false, TS_PDB_BUILD=off): Babel's own output, minus the markers", () => {
  const withMarkers = `import { attachOnError } from 'ts-pdb';
import { readFileSync } from 'node:fs';
// @debuggable
export function parse(text: string) { const lines = text.split('\\n'); return lines.map((l) => l.trim()); }
export class Loader {
  @attachOnError()
  load(path: string) { return parse(readFileSync(path, 'utf8')); }
}
`;
  const without = withMarkers.replace("import { attachOnError } from 'ts-pdb';\n", '').replace('  @attachOnError()\n', '');
  const plain = babelTranspile(without, { transform: false }).code;
  assert.equal(babelTranspile(withMarkers, { transform: { enabled: false } }).code, plain);
  const saved = process.env.TS_PDB_BUILD;
  process.env.TS_PDB_BUILD = 'off';
  try {
    assert.equal(babelTranspile(withMarkers, { transform: {} }).code, plain);
  } finally {
    if (saved === undefined) delete process.env.TS_PDB_BUILD;
    else process.env.TS_PDB_BUILD = saved;
  }
  // A file without markers, in marked mode: exactly Babel's output.
  const unmarked = without.replace('// @debuggable\n', '');
  assert.equal(babelTranspile(unmarked, { transform: {} }).code, babelTranspile(unmarked, { transform: false }).code);
});

test('JSX: a tag name reads its variable in both adapters (closures, frames)', () => {
  const src = `const h = (t: any, p: any, ...c: any[]) => ({ t, p, c });
export function view(items: string[]) {
  const Row = (p: { v: string }) => p.v;
  const ui = { Cell: (p: any) => p };
  const out = items.map((v) => <Row v={v} />);
  const other = <ui.Cell x={1}>{out}</ui.Cell>;
  if (!items.length) throw new Error('empty');
  return [out, other];
}`;
  const fileName = join(ROOT, '.tmp', 'view.tsx');
  const fromTs = metaOf(
    transpile(src, { fileName, transform: { instrument: 'all' }, compilerOptions: { jsx: ts.JsxEmit.React, jsxFactory: 'h' } }).code,
  );
  const fromBabel = metaOf(
    babel.transformSync(src, {
      filename: fileName,
      babelrc: false,
      configFile: false,
      parserOpts: { plugins: ['jsx'] },
      presets: [require.resolve('@babel/preset-typescript')],
      plugins: [[join(ROOT, 'dist/transformer/babel/index.js'), { instrument: 'all' }]],
    }).code,
  );
  assert.deepEqual(fnRecords(fromBabel), fnRecords(fromTs));
  assert.deepEqual(fromBabel.fns.find((f) => f.name === '<anonymous>').closure, ['Row'], 'the arrow rendering <Row /> captures Row');
});

test('ts-pdb\'s own files are never instrumented (a linked checkout reached by babel-jest or instrument: "all")', () => {
  const file = join(ROOT, 'dist/runtime/capture.js');
  const src = readFileSync(file, 'utf8');
  const out = babel.transformSync(src, {
    filename: file,
    babelrc: false,
    configFile: false,
    plugins: [[join(ROOT, 'dist/transformer/babel/index.js'), { instrument: 'all' }]],
  });
  assert.doesNotMatch(out.code, /__tsPdb\.m\(/);
  assert.doesNotMatch(transpile(src, { fileName: file, transform: { instrument: 'all' } }).code, /__tsPdb\.m\(/);
});

test('a bad option is a clear error', () => {
  assert.throws(
    () => babelTranspile('export {}', { transform: { instrument: 'everything' } }),
    /option "instrument" must be "marked" or "all"/,
  );
});

test('source maps: statements and the throw map to their original lines; the session shows the locals', () => {
  const dir = scratch('babel-maps-');
  const js = writeBabelBuild(dir, 'total', TOTAL_SOURCE, { transform: { instrument: 'all' } });
  const code = readFileSync(js, 'utf8');
  const map = new TraceMap(readFileSync(js + '.map', 'utf8'));
  assert.equal(originalLineOf(map, code, 'sum = 0'), 4);
  assert.equal(originalLineOf(map, code, 'item.price * item.qty.n'), 6);
  assert.equal(originalLineOf(map, code, 'sum += line'), 7);
  const mod = require(js);
  settings.enabled = true;
  let err;
  try {
    mod.cases.broken();
  } catch (e) {
    err = e;
  } finally {
    settings.enabled = false;
  }
  assert.ok(err instanceof TypeError, 'the original TypeError comes out');
  const top = /\((.*):(\d+):(\d+)\)/.exec(err.stack.split('\n')[1]);
  assert.equal(originalPositionFor(map, { line: Number(top[2]), column: Number(top[3]) - 1 }).line, 6);
  const [frame] = framesOf(err);
  assert.equal(frame.name, 'total');
  assert.equal(frame.locals.sum, '2');
  assert.equal(frame.locals.item, '{ price: 3 }');
});

test("an input source map (tsc output fed to Babel) is kept: positions are the TypeScript source's", () => {
  const dir = scratch('babel-input-map-');
  const tsPath = join(dir, 'total.ts');
  writeFileSync(tsPath, TOTAL_SOURCE);
  // tsc first (no ts-pdb), then Babel with the plugin over its JavaScript and map.
  const first = ts.transpileModule(TOTAL_SOURCE, {
    fileName: tsPath,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true },
  });
  const inputSourceMap = JSON.parse(first.sourceMapText);
  inputSourceMap.sources = [tsPath];
  const out = babel.transformSync(first.outputText.replace(/\/\/# sourceMappingURL=.*$/m, ''), {
    filename: join(dir, 'total.js'),
    babelrc: false,
    configFile: false,
    sourceMaps: true,
    inputSourceMap,
    plugins: [
      [join(ROOT, 'dist/transformer/babel/index.js'), { instrument: 'all' }],
      require.resolve('@babel/plugin-transform-modules-commonjs'),
    ],
  });
  const js = join(dir, 'total.out.js');
  writeFileSync(js, out.code + '\n//# sourceMappingURL=total.out.js.map\n');
  writeFileSync(js + '.map', JSON.stringify(out.map));
  const map = new TraceMap(out.map);
  assert.equal(originalLineOf(map, out.code, 'sum += line'), 7);
  assert.match(map.sources.join(), /total\.ts/);
  const mod = require(js);
  settings.enabled = true;
  let err;
  try {
    mod.cases.broken();
  } catch (e) {
    err = e;
  } finally {
    settings.enabled = false;
  }
  const [frame] = framesOf(err);
  assert.equal(frame.name, 'total');
  assert.equal(frame.locals.sum, '2');
});

test('ES module output (no CommonJS plugin) imports the capture module and runs', async () => {
  const dir = scratch('babel-esm-');
  const out = babel.transformSync(TOTAL_SOURCE, {
    filename: join(dir, 'total.ts'),
    babelrc: false,
    configFile: false,
    presets: [require.resolve('@babel/preset-typescript')],
    plugins: [[join(ROOT, 'dist/transformer/babel/index.js'), { instrument: 'all' }]],
  });
  assert.match(out.code, /^import \* as __tsPdb from "ts-pdb\/capture";/m);
  assert.doesNotMatch(out.code, /get exports\(\)/, 'no CommonJS names in an ES module');
  const file = join(dir, 'total.mjs');
  writeFileSync(file, out.code);
  const mod = await import(pathToFileURL(file).href);
  settings.enabled = true;
  let err;
  try {
    mod.cases.broken();
  } catch (e) {
    err = e;
  } finally {
    settings.enabled = false;
  }
  assert.ok(err instanceof TypeError);
  assert.equal(framesOf(err)[0]?.locals.sum, '2');
});
