// Source maps stay correct: the instrumented build maps user code back to its original lines,
// a throw's position maps to the original statement, and frame records carry original positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { originalLineOf, TOTAL_SOURCE } from '../helpers/maps.mjs';
import { scratch, writeBuild } from '../helpers/build.mjs';
import { settings } from '../helpers/frames.mjs';

const require = createRequire(import.meta.url);
const capture = require('../../dist/runtime/capture.js');

test('user statements map to their original lines in the instrumented build', () => {
  const dir = scratch('maps-');
  const js = writeBuild(dir, 'total', TOTAL_SOURCE, { transform: { instrument: 'all' } });
  const code = readFileSync(js, 'utf8');
  const map = new TraceMap(readFileSync(js + '.map', 'utf8'));
  assert.equal(originalLineOf(map, code, 'sum = 0'), 4);
  assert.equal(originalLineOf(map, code, 'item.price * item.qty.n'), 6);
  assert.equal(originalLineOf(map, code, 'sum += line'), 7);
  assert.equal(originalLineOf(map, code, 'return sum'), 9);
});

test('the throw position maps to the original line, and frame records carry original positions', () => {
  const dir = scratch('maps-');
  const js = writeBuild(dir, 'total', TOTAL_SOURCE, { transform: { instrument: 'all' } });
  const map = new TraceMap(readFileSync(js + '.map', 'utf8'));
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
  assert.equal(top[1], js);
  const pos = originalPositionFor(map, { line: Number(top[2]), column: Number(top[3]) - 1 });
  assert.equal(pos.line, 6, 'the throw maps to `const line = item.price * item.qty!.n`');
  const c = capture.captureOf(err, false);
  const meta = capture.metaOf(c.frames[0].mod);
  const fn = meta.fns[c.frames[0].fn];
  assert.deepEqual({ name: fn.name, line: fn.line, endLine: fn.endLine }, { name: 'total', line: 3, endLine: 10 });
  assert.ok(pos.line >= fn.line && pos.line <= fn.endLine, 'the throw lies inside the recorded function range');
});
