// Parsing V8 stack text: every line shape Node prints, and text a custom prepareStackTrace made.
import assert from 'node:assert/strict';
import test from 'node:test';
import { stack } from './harness.mjs';

const { parseStack, parseFrameLine, stackTextOf } = stack;

const pick = (f) => Object.fromEntries(Object.entries(f).filter(([k, v]) => k !== 'text' && v !== undefined && v !== false));

test('named, anonymous, async, constructor, method alias', () => {
  assert.deepEqual(pick(parseFrameLine('    at lineTotal (/app/src/shop.js:10:30)')), {
    name: 'lineTotal',
    kind: 'file',
    file: '/app/src/shop.js',
    line: 10,
    col: 29,
  });
  assert.deepEqual(pick(parseFrameLine('    at /app/main.js:4:7')), {
    name: '<anonymous>',
    kind: 'file',
    file: '/app/main.js',
    line: 4,
    col: 6,
  });
  assert.deepEqual(pick(parseFrameLine('    at async Promise.all (index 0)')), { name: 'Promise.all', kind: 'native', isAsync: true });
  assert.deepEqual(pick(parseFrameLine('    at async file:///app/x.mjs:8:7')), {
    name: '<anonymous>',
    kind: 'file',
    file: '/app/x.mjs',
    line: 8,
    col: 6,
    isAsync: true,
  });
  assert.deepEqual(pick(parseFrameLine('    at new K (file:///tmp/st.mjs:1:32)')), {
    name: 'K',
    kind: 'file',
    file: '/tmp/st.mjs',
    line: 1,
    col: 31,
    isConstructor: true,
  });
  assert.deepEqual(pick(parseFrameLine('    at Object.m [as z] (file:///tmp/st.mjs:8:24)')), {
    name: 'Object.m',
    alias: 'z',
    kind: 'file',
    file: '/tmp/st.mjs',
    line: 8,
    col: 23,
  });
  assert.deepEqual(pick(parseFrameLine('    at Object.<anonymous> (/tmp/st.cjs:1:21)')), {
    name: 'Object.<anonymous>',
    kind: 'file',
    file: '/tmp/st.cjs',
    line: 1,
    col: 20,
  });
  assert.deepEqual(pick(parseFrameLine('    at /tmp/dir with spaces/a (1).js:2:3')), {
    name: '<anonymous>',
    kind: 'file',
    file: '/tmp/dir with spaces/a (1).js',
    line: 2,
    col: 2,
  });
});

test('node internals, native code, eval, Windows paths, file URLs with escapes', () => {
  assert.deepEqual(pick(parseFrameLine('    at Module._compile (node:internal/modules/cjs/loader:1521:14)')), {
    name: 'Module._compile',
    kind: 'node',
    file: 'node:internal/modules/cjs/loader',
    line: 1521,
    col: 13,
  });
  assert.deepEqual(pick(parseFrameLine('    at node:internal/main/run_main_module:28:49')), {
    name: '<anonymous>',
    kind: 'node',
    file: 'node:internal/main/run_main_module',
    line: 28,
    col: 48,
  });
  assert.deepEqual(pick(parseFrameLine('    at JSON.parse (<anonymous>)')), { name: 'JSON.parse', kind: 'native' });
  assert.deepEqual(pick(parseFrameLine('    at Array.map (native)')), { name: 'Array.map', kind: 'native' });
  assert.deepEqual(pick(parseFrameLine('    at evil (eval at <anonymous> (file:///tmp/st.mjs:6:7), <anonymous>:1:24)')), {
    name: 'evil',
    kind: 'eval',
    evalOrigin: 'eval at <anonymous> (file:///tmp/st.mjs:6:7)',
    line: 1,
    col: 23,
  });
  assert.deepEqual(pick(parseFrameLine('    at [eval]:1:47')), { name: '<anonymous>', kind: 'eval', file: '[eval]', line: 1, col: 46 });
  assert.deepEqual(pick(parseFrameLine('    at [eval]-wrapper:6:24')), {
    name: '<anonymous>',
    kind: 'eval',
    file: '[eval]-wrapper',
    line: 6,
    col: 23,
  });
  assert.deepEqual(pick(parseFrameLine('    at run (C:\\app\\src\\main.js:3:9)')), {
    name: 'run',
    kind: 'file',
    file: 'C:\\app\\src\\main.js',
    line: 3,
    col: 8,
  });
  assert.deepEqual(pick(parseFrameLine('    at f (file:///tmp/a%20b.mjs:1:1)')), {
    name: 'f',
    kind: 'file',
    file: '/tmp/a b.mjs',
    line: 1,
    col: 0,
  });
});

test('the header keeps a multi-line message; only the trailing "at" lines are frames', () => {
  const text = 'Error: first line\n    at not a frame: part of the message\nsecond line\n    at f (/a.js:1:2)\n    at g (/b.js:3:4)';
  const p = parseStack(text);
  assert.equal(p.header, 'Error: first line\n    at not a frame: part of the message\nsecond line');
  assert.deepEqual(
    p.frames.map((f) => f.name),
    ['f', 'g'],
  );
});

test('anything else is tolerated: no stack, a custom format, a throwing getter', () => {
  assert.deepEqual(parseStack(undefined), { header: '', frames: [] });
  assert.deepEqual(parseStack('just text'), { header: 'just text', frames: [] });
  assert.equal(parseFrameLine('    at something odd').kind, 'unknown');
  assert.equal(stackTextOf('a string'), undefined);
  assert.equal(stackTextOf({ stack: 42 }), undefined);
  assert.equal(
    stackTextOf({
      get stack() {
        throw new Error('no');
      },
    }),
    undefined,
  );
  assert.equal(
    stackTextOf(
      new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
        },
      ),
    ),
    undefined,
  );
});

test('a real stack from this process parses into this file', () => {
  function here() {
    return new Error('probe');
  }
  const frames = parseStack(here().stack).frames;
  assert.equal(frames[0].name, 'here');
  assert.equal(frames[0].kind, 'file');
  assert.ok(frames[0].file.endsWith('stack.test.mjs'), frames[0].file);
});
