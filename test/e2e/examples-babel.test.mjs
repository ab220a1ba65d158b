// examples/babel, as its README tells a user to run it: its `build` script (@babel/cli with
// babel.config.json: @babel/preset-typescript, the ts-pdb/babel plugin, source maps on), then its
// program with IPDB_DEBUG=1 IPDB_MODE=console in a real pseudo-terminal. The session opens at
// riskyOperation's TypeScript line, `p locals()` shows its locals, and `q` ends the program with
// the original error.
//
// The example's own node_modules are used (installed by .ci/run); the build goes to a scratch copy
// under .tmp/ whose node_modules is a link to the example's, so the test writes nothing into
// examples/ and runs under several Node lines (test/node-lines.test.mjs) never share an output folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnNode } from '../helpers/pty.mjs';
import {
  binOf,
  cleanEnv,
  escapeRegExp,
  installedExample,
  lineOf,
  packageOf,
  ptyEnv,
  runNode,
  scratch,
  seen,
} from '../helpers/examples.mjs';

const BUILD_TIMEOUT_MS = 120_000;
const PROMPT = /ipdb> $/;
const ORIGINAL = /TypeError: Cannot read properties of undefined \(reading 'value'\)/;

/** Types a command and waits for its output and the next prompt; returns the output. */
async function run(p, command) {
  p.type(command);
  const m = await p.waitFor(/\n([^]*?)ipdb> $/);
  return m[1];
}

test('examples/babel: @babel/cli builds it with ts-pdb/babel, and the session shows the locals at the TypeScript line', async (t) => {
  const example = installedExample(t, 'babel');
  if (!example) return;
  const { scripts, type } = packageOf(example);
  assert.equal(type, 'module', 'the example is an ES module package (Babel keeps the import syntax)');
  assert.equal(
    scripts.start,
    'npm run build && IPDB_DEBUG=1 IPDB_MODE=console node out/your-script.js',
    'npm start builds, then runs with debugging on',
  );
  const config = JSON.parse(fs.readFileSync(path.join(example, 'babel.config.json'), 'utf8'));
  assert.deepEqual(config.plugins, [['ts-pdb/babel', { instrument: 'marked' }]], 'the plugin as README.md shows it');
  assert.equal(config.sourceMaps, true);

  const dir = scratch(t, 'e2e-examples-babel-');
  for (const f of ['package.json', 'babel.config.json', 'your-script.ts']) fs.copyFileSync(path.join(example, f), path.join(dir, f));
  fs.symlinkSync(path.join(example, 'node_modules'), path.join(dir, 'node_modules'), 'dir');

  // The `build` script, run as npm would: `babel <args>` is the example's own @babel/cli.
  const [cmd, ...args] = scripts.build.split(/\s+/);
  assert.equal(cmd, 'babel', 'the build script runs @babel/cli');
  const build = await runNode(binOf(example, '@babel/cli', 'babel'), args, { cwd: dir, env: cleanEnv(), timeout: BUILD_TIMEOUT_MS });
  assert.equal(build.code, 0, `the build succeeds\n${seen(build)}`);
  const out = fs.readFileSync(path.join(dir, 'out', 'your-script.js'), 'utf8');
  assert.match(out, /^import \* as __tsPdb from "ts-pdb\/capture";$/m, 'the output is instrumented, an ES module');
  assert.match(out, /^\/\/# sourceMappingURL=your-script\.js\.map$/m, 'with a source map');
  assert.ok(fs.existsSync(path.join(dir, 'out', 'your-script.js.map')));
  t.diagnostic(`babel build ${build.ms} ms`);

  const source = path.join(dir, 'your-script.ts');
  const raiseLine = lineOf(source, 'config.divisor!.value');
  const p = spawnNode([path.join('out', 'your-script.js')], {
    cwd: dir,
    // History goes to the scratch folder, never to the real ~/.ts_pdb_history.
    env: ptyEnv({ IPDB_DEBUG: '1', IPDB_MODE: 'console', NO_COLOR: '1', TS_PDB_HISTORY: path.join(dir, 'history') }),
  });
  t.after(() => p.kill());
  const banner = (await p.waitFor(PROMPT)).input;
  assert.match(banner, /Exception caught in riskyOperation/);
  // The session opens where the error was raised, in the TypeScript source (through Babel's map).
  assert.match(banner, new RegExp(`^> \\S*your-script\\.ts\\(${raiseLine}\\)riskyOperation\\(\\)$`, 'm'));
  assert.match(banner, new RegExp(`^-*> +${raiseLine} +${escapeRegExp('const result = numerator / config.divisor!.value;')}`, 'm'));

  const locals = await run(p, 'p locals()');
  assert.match(locals, /^\{ config: \{ name: 'broken' \}, numerator: 10, result: <uninitialized> \}$/m);

  p.type('q');
  const exit = await p.wait();
  assert.equal(exit.exitCode, 1, `the original error ends the program\n${p.text}`);
  assert.match(p.rest, ORIGINAL);
  assert.doesNotMatch(p.rest, /ipdb> /, 'a session opens once per error');
  assert.doesNotMatch(p.text, /ts-pdb: internal fault/);
});
