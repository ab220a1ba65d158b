// Import cycles and layers (issue #10). madge, with its defaults (type imports and require()
// counted), finds no cycle in runtime/ and transformer/ but those through the hot path's lazy
// loads: capture.ts loads breakpoint.ts, front-ends/open-session.ts and front-ends/load-failure.ts
// on the first session only (each documented where it is), and those read capture.ts's store
// back. Any other cycle fails this test, named file by file. And every import of runtime/ goes to
// its own layer or to one above it in docs/runtime-design.md's table, but for the lazy loads that open
// a session.
//
// The same check by hand: npx madge --circular --extensions ts --ts-config tsconfig.json runtime transformer
import { test } from 'node:test';
import assert from 'node:assert/strict';
import madge from 'madge';
import { ROOT } from './helpers/build.mjs';

/** The lazy loads of the hot path: the edges a cycle may go through (from capture.ts's `require`s). */
const LAZY = new Set([
  'runtime/capture.ts -> runtime/breakpoint.ts',
  'runtime/capture.ts -> runtime/front-ends/open-session.ts',
  'runtime/capture.ts -> runtime/front-ends/load-failure.ts',
]);

/** Lazy loads that point down the table of layers without making a cycle: a breakpoint opens a session. */
const LAZY_DOWN = new Set([...LAZY, 'runtime/breakpoint.ts -> runtime/front-ends/open-session.ts']);

/** docs/runtime-design.md's layers, in order: a file may import its own layer and those before it. */
const LAYERS = [
  ['contracts', (f) => f === 'runtime/records.ts' || f === 'runtime/config.ts'],
  ['hot path', (f) => f === 'runtime/capture.ts'],
  ['program API', (f) => /^runtime\/[^/]+\.ts$/.test(f)],
  ['rendering', (f) => f.startsWith('runtime/render/')],
  ['engine', (f) => f.startsWith('runtime/engine/')],
  ['snapshots', (f) => f.startsWith('runtime/snapshot/')],
  ['transformer', (f) => f.startsWith('transformer/')],
  ['loader', (f) => f.startsWith('runtime/register/')],
  ['front-ends', (f) => f.startsWith('runtime/front-ends/')],
  ['adapter', (f) => f.startsWith('runtime/dap/')],
  ['Vite plugin', (f) => f.startsWith('runtime/vite/')],
  ['CLI', (f) => f.startsWith('runtime/cli/')],
];
const layerOf = (file) => LAYERS.findIndex(([, is]) => is(file));

const edge = (from, to) => `${from} -> ${to}`;

/** One cycle of `graph` (file -> files it imports), as a list of files, or undefined when there is none. */
function findCycle(graph) {
  const state = new Map(); // file -> 1 on the path, 2 done
  const path = [];
  const visit = (file) => {
    state.set(file, 1);
    path.push(file);
    for (const dep of graph[file] ?? []) {
      if (state.get(dep) === 1) return [...path.slice(path.indexOf(dep)), dep];
      if (!state.has(dep)) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    path.pop();
    state.set(file, 2);
    return undefined;
  };
  for (const file of Object.keys(graph).sort()) {
    if (!state.has(file)) {
      const found = visit(file);
      if (found) return found;
    }
  }
  return undefined;
}

const result = await madge(['runtime', 'transformer'], { baseDir: ROOT, fileExtensions: ['ts'], tsConfig: `${ROOT}/tsconfig.json` });
const graph = result.obj();

test('madge sees the whole tree, type imports and lazy requires included', () => {
  const files = Object.keys(graph);
  assert.ok(files.length >= 80, `madge found ${files.length} files`);
  assert.ok(files.includes('runtime/capture.ts') && files.some((f) => f.startsWith('transformer/')), files.join(', '));
  for (const lazy of LAZY) {
    const [from, to] = lazy.split(' -> ');
    assert.ok(graph[from]?.includes(to), `madge counts the lazy require ${lazy}`);
  }
  // A type-only import: the frame source's interface names the Frame type of frames.ts.
  assert.ok(graph['runtime/engine/frame-source.ts']?.includes('runtime/engine/frames.ts'), 'madge counts `import type`');
});

test("no import cycle but through the hot path's lazy loads", () => {
  const without = Object.fromEntries(Object.entries(graph).map(([file, deps]) => [file, deps.filter((d) => !LAZY.has(edge(file, d)))]));
  const cycle = findCycle(without);
  assert.equal(cycle, undefined, `an import cycle: ${cycle?.join(' -> ')}`);
  // And every cycle madge reports goes through one of the lazy loads.
  for (const c of result.circular()) {
    const through = c.some((file, i) => LAZY.has(edge(file, c[(i + 1) % c.length])));
    assert.ok(through, `madge reports a cycle that no lazy load explains: ${c.join(' -> ')}`);
  }
});

test('layers: every import goes to its own layer or one above it, but for the lazy loads that open a session', () => {
  const unknown = Object.keys(graph).filter((f) => layerOf(f) < 0);
  assert.deepEqual(unknown, [], 'every file belongs to a layer of docs/runtime-design.md');
  const upward = [];
  for (const [file, deps] of Object.entries(graph)) {
    for (const dep of deps) {
      if (layerOf(dep) > layerOf(file) && !LAZY_DOWN.has(edge(file, dep))) {
        upward.push(`${edge(file, dep)} (${LAYERS[layerOf(file)][0]} imports ${LAYERS[layerOf(dep)][0]})`);
      }
    }
  }
  assert.deepEqual(upward, [], 'imports against the layers');
});
