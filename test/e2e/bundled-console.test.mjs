// ts-pdb bundled into a program (webpack without externals, the ts-loader row's
// webpack.bundled.config.js): the console still opens in a real pseudo-terminal. Its terminal
// worker is a file of its own, which the bundle does not have; it is found in the ts-pdb package
// installed for the program. The bundle goes to the row's dist-console/ (git-ignored), so the
// tool-chain suite's own builds in dist/ are not disturbed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { spawnNode } from '../helpers/pty.mjs';

const ROW = path.join(ROOT, 'test', 'toolchains', 'ts-loader');

test('bundled with webpack (no externals): the console session opens, reads locals, and q ends with the original error', async (t) => {
  if (!fs.existsSync(path.join(ROW, 'node_modules', 'ts-pdb'))) {
    const msg = 'test/toolchains/ts-loader is not installed (.ci/run installs it)';
    if (process.env.CI) assert.fail(msg);
    t.skip(msg);
    return;
  }
  const out = path.join(ROW, 'dist-console');
  fs.rmSync(out, { recursive: true, force: true });
  const webpack = path.join(ROW, 'node_modules', 'webpack-cli', 'bin', 'cli.js');
  const build = spawnSync(process.execPath, [webpack, '-c', 'webpack.bundled.config.js', '--output-path', out], {
    cwd: ROW,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(build.status, 0, `webpack builds the bundle\n${build.stdout}\n${build.stderr}`);
  const bundle = path.join(out, 'bundle-inlined.js');
  assert.doesNotMatch(fs.readFileSync(bundle, 'utf8'), /require\("ts-pdb\/capture"\)/, 'ts-pdb is inside the bundle, not required');

  const pty = spawnNode([bundle], { cwd: ROW, env: { IPDB_DEBUG: '1', IPDB_MODE: 'console', CI: undefined, NO_COLOR: '1' } });
  try {
    await pty.waitFor(/Entering post-mortem session/);
    await pty.waitFor(/ipdb> $/);
    pty.type('p [items, total, over]');
    await pty.waitFor(/\[ \[ \{ name: 'tea', price: 4, qty: 3 \} \], 12, 2 \]/);
    await pty.waitFor(/ipdb> $/);
    pty.type('q');
    const { exitCode } = await pty.wait();
    assert.equal(exitCode, 1, pty.text);
    assert.match(pty.text, /RangeError: over budget by 2 \(ts-loader\)/);
  } finally {
    pty.kill();
  }
});
