// Source maps (external and inline, missing and broken) and how frames are built from the stack
// trace and the captured records (matching, truncated stacks, thrown primitives, moved files).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import {
  buildFrames,
  capture,
  expectTranscript,
  records,
  ROOT,
  sessionFor,
  sessionOn,
  shop,
  SHOP_TS,
  sourceMaps,
  transcriptOf,
} from './harness.mjs';

const FIX = join(ROOT, 'test/transcripts/fixtures');
const ORIGINAL = join(ROOT, SHOP_TS);
const lineOf = (file, needle) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle)) + 1;

test('a compiled position maps to the TypeScript line, through an external map and an inline one', () => {
  for (const compiled of ['shop.mjs', 'shop.cjs']) {
    const file = join(FIX, compiled);
    const line = lineOf(file, '= item.price * item.qty;');
    const col = readFileSync(file, 'utf8').split('\n')[line - 1].indexOf('item.price');
    const o = sourceMaps.originalPosition({ file, line, col });
    assert.deepEqual(o, { file: ORIGINAL, line: 9, col: 15 }, compiled);
  }
});

test('no map, a broken map, an unreadable file: the position is kept, nothing throws', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-pdb-maps-'));
  const plain = join(dir, 'plain.js');
  writeFileSync(plain, 'const a = 1;\n');
  assert.deepEqual(sourceMaps.originalPosition({ file: plain, line: 1, col: 6 }), { file: plain, line: 1, col: 6 });
  const broken = join(dir, 'broken.js');
  writeFileSync(broken, 'x();\n//# sourceMappingURL=broken.js.map\n');
  writeFileSync(join(dir, 'broken.js.map'), '{ not json');
  assert.deepEqual(sourceMaps.originalPosition({ file: broken, line: 1, col: 0 }), { file: broken, line: 1, col: 0 });
  const missing = join(dir, 'missing.js');
  assert.deepEqual(sourceMaps.originalPosition({ file: missing, line: 3, col: 1 }), { file: missing, line: 3, col: 1 });
  assert.equal(sourceMaps.sourceLines(missing), undefined);
});

test("an original that is not on disk is read from the map's sourcesContent", () => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-pdb-maps-'));
  const js = join(dir, 'out.js');
  // out.js line 1 maps to src/gone.ts line 2, column 2 (VLQ "AACE": source 0, line +1, column +2).
  const map = { version: 3, sources: ['src/gone.ts'], sourcesContent: ['// first\n  boom();\n'], names: [], mappings: 'AACE' };
  writeFileSync(js, `boom();\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`);
  const o = sourceMaps.originalPosition({ file: js, line: 1, col: 0 });
  assert.deepEqual(o, { file: join(dir, 'src/gone.ts'), line: 2, col: 2 });
  assert.deepEqual(sourceMaps.sourceLines(o.file), ['// first', '  boom();']);
});

test('records attach to their stack frames; frames without records stay, without locals', async () => {
  const s = await sessionOn(() => (0, shop.checkout)([null]));
  const [inner, outer, caller] = s.frames;
  assert.deepEqual([inner.name, inner.instrumented, inner.file, inner.line], ['lineTotal', true, ORIGINAL, 9]);
  assert.deepEqual([outer.name, outer.instrumented, outer.line], ['checkout', true, 18]);
  assert.equal(caller.instrumented, false);
  assert.ok(caller.file.endsWith('harness.mjs') || caller.file.endsWith('source-maps-frames.test.mjs'), caller.file);
  assert.ok(
    s.frames.some((f) => f.kind === 'node' && !f.selectable),
    'node internals are kept, not selectable',
  );
  assert.equal(s.index, 0);
});

test('a record whose stack frame was cut off (Error.stackTraceLimit) is still shown, at its function', async () => {
  const s = await sessionOn(() => (0, shop.checkout)([null]), { stackLimit: 1 });
  assert.deepEqual(
    s.frames.map((f) => [f.name, f.kind, f.line]),
    [
      ['lineTotal', 'file', 9],
      ['checkout', 'record', 14],
    ],
  );
  expectTranscript(
    s,
    `
    ipdb> w
      ${SHOP_TS}(14)checkout()
    -> export function checkout(cart: Item[], coupon?: string): number {
    > ${SHOP_TS}(9)lineTotal()
    -> const base = item.price * item.qty;
    ipdb> u
    > ${SHOP_TS}(14)checkout()
         13 // @debuggable
    ---> 14 export function checkout(cart: Item[], coupon?: string): number {
         15   orderCount++;
    ipdb> p cart
    [ null ]
    ipdb> q
  `,
  );
});

test('a thrown primitive has no stack: its frames come from the records alone', async () => {
  const s = await sessionOn(() => shop.rejectCode(500));
  assert.equal(s.thrown, 'code 500: other');
  assert.deepEqual(
    s.frames.map((f) => [f.name, f.kind, f.instrumented]),
    [['rejectCode', 'record', true]],
  );
  expectTranscript(
    s,
    `
    ipdb> p reason
    'other'
    ipdb> q
  `,
  );
});

test('without any record the session starts at the innermost frame with source (not in native code)', async () => {
  function parseIt() {
    return JSON.parse('{');
  }
  const s = await sessionOn(() => parseIt());
  assert.equal(s.frames[0].name, 'JSON.parse');
  assert.equal(s.frames[0].kind, 'native');
  assert.equal(s.index, 1);
  assert.equal(s.frame.name, 'parseIt');
  const { text } = transcriptOf(s, ['d', 'q']);
  assert.match(text, /ipdb> d\n\*\*\* Newest frame\n/);
});

test('a record matches its frame by base name when the build ran elsewhere; unrelated records go last', () => {
  const fn = {
    name: 'lineTotal',
    line: 8,
    col: 0,
    endLine: 11,
    endCol: 1,
    names: ['item'],
    kinds: ['param'],
    closure: [],
    boundary: false,
    hasThis: false,
  };
  const meta = JSON.stringify({ v: 1, fns: [fn], scopes: [] });
  const moved = capture.m({ file: '/build-machine/src/shop.ts', meta });
  const other = capture.m({ file: '/elsewhere/other.ts', meta });
  const err = new Error('x');
  err.stack = `Error: x\n    at lineTotal (${ORIGINAL}:9:21)\n    at main (${ORIGINAL}:100:1)`;
  capture.f(err, moved, 0, undefined, 'moved item');
  capture.f(err, other, 0, undefined, 'other item');
  const frames = buildFrames(err, capture.captureOf(err, false));
  assert.deepEqual(
    frames.map((f) => [f.name, f.kind, f.instrumented, f.locals.get('item')?.get()]),
    [
      ['lineTotal', 'file', true, 'moved item'],
      ['main', 'file', false, undefined],
      ['lineTotal', 'record', true, 'other item'],
    ],
  );
  assert.equal(frames[0].file, ORIGINAL, "the stack's file is shown (it exists here)");
});

test('block scopes: inner bindings shadow outer ones; the innermost scope record wins', () => {
  const meta = JSON.stringify({
    v: 1,
    fns: [
      {
        name: 'f',
        line: 1,
        col: 0,
        endLine: 9,
        endCol: 1,
        names: ['x', 'y'],
        kinds: ['param', 'var'],
        closure: ['outer'],
        boundary: false,
        hasThis: false,
      },
    ],
    scopes: [
      { fn: 0, names: ['x', 'a'], kinds: ['let', 'const'], line: 2, col: 2 },
      { fn: 0, names: ['x'], kinds: ['const'], line: 3, col: 4 },
    ],
  });
  const mod = capture.m({ file: '/virtual/scopes.ts', meta });
  const err = new Error('scopes');
  capture.b(err, mod, 1, 'inner x');
  capture.b(err, mod, 0, 'middle x', 'a value');
  capture.f(err, mod, 0, undefined, 'param x', records.UNINITIALIZED, 'closed over');
  const s = sessionFor(err, capture.captureOf(err, false));
  expectTranscript(
    s,
    `
    ipdb> p locals()
    { x: 'inner x', y: <uninitialized>, a: 'a value', outer: 'closed over' }
    ipdb> p x + "/" + a + "/" + outer
    'inner x/a value/closed over'
    ipdb> q
  `,
  );
  assert.deepEqual(
    [...s.frame.locals.values()].map((b) => [b.name, b.kind]),
    [
      ['x', 'const'],
      ['y', 'var'],
      ['a', 'const'],
    ],
  );
});
