// scripts/test262.sh end to end, in CI, without test262 itself (a real run takes hours and a
// checkout CI never fetches; docs/CONFORMANCE.md has its results): a folder laid out as test262 is
// (package.json, harness/, test/language/) with a few small tests runs through test262-harness,
// raw and with each adapter, and the report must count them and tell a compiler's own difference
// (Babel and TypeScript print functions again: toString changes) from ts-pdb's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';

const dir = scratch('test262-script-');
after(() => rmSync(dir, { recursive: true, force: true }));

const HARNESS = {
  'assert.js': `function assert(mustBeTrue, message) { if (mustBeTrue !== true) throw new Test262Error(message || 'expected true'); }
assert.sameValue = function (actual, expected, message) {
  if (!Object.is(actual, expected)) throw new Test262Error((message ? message + ' ' : '') + 'expected ' + String(expected) + ', got ' + String(actual));
};
assert.throws = function (C, fn, message) {
  try { fn(); } catch (e) { if (e.constructor !== C) throw new Test262Error('wrong error ' + e); return; }
  throw new Test262Error(message || 'expected a throw');
};`,
  'sta.js': `function Test262Error(message) { this.message = message || ''; }
Test262Error.prototype.toString = function () { return 'Test262Error: ' + this.message; };
Test262Error.thrower = function (message) { throw new Test262Error(message); };
function $DONOTEVALUATE() { throw 'Test262: This statement should not be evaluated.'; }`,
  'doneprintHandle.js': `function $DONE(error) {
  if (error) print('Test262:AsyncTestFailure:' + (error && error.name) + ': ' + (error && error.message));
  else print('Test262:AsyncTestComplete');
}`,
};

const TESTS = {
  // Passes everywhere: per-iteration bindings seen by closures, TDZ, arguments, a caught error.
  'closures-tdz-arguments.js': `/*---
description: closures, TDZ and arguments
---*/
function f(a) {
  const fns = [];
  for (let i = 0; i < 3; i++) fns.push(() => i);
  let caught;
  try { later; } catch (e) { caught = e.constructor; }
  let later = 1;
  arguments[0] = 9;
  return [fns.map((g) => g()).join(), caught === ReferenceError, a, later].join('|');
}
var strict = (function () { return this === undefined; })();
assert.sameValue(f(1), strict ? '0,1,2|true|1|1' : '0,1,2|true|9|1');
`,
  // A syntax error: both compilers refuse it, so it runs as written (and passes: a SyntaxError).
  'syntax-error.js': `/*---
description: not a program
negative:
  phase: parse
  type: SyntaxError
---*/
$DONOTEVALUATE();
var x = ;
`,
  // Async: the result comes through $DONE.
  'async.js': `/*---
description: an async function that throws and is caught
flags: [async]
---*/
async function g(x) { const y = await x; if (y > 1) throw new RangeError('big ' + y); return y; }
g(2).then(() => $DONE(new Test262Error('no throw')), (e) => { assert.sameValue(e.message, 'big 2'); }).then($DONE, $DONE);
`,
  // Fails compiled, passes raw: both compilers print the function again. Not ts-pdb's doing.
  'to-string.js': `/*---
description: Function.prototype.toString gives the source text
flags: [noStrict]
---*/
function   spaced( a ) { return a }
assert.sameValue(spaced.toString(), 'function   spaced( a ) { return a }');
`,
  // Fails everywhere.
  'fails.js': `/*---
description: fails as written too
flags: [onlyStrict]
---*/
assert.sameValue(1, 2);
`,
};

/** Runs `bash args`; resolves on exit. */
function bash(args, env) {
  return new Promise((resolve) => {
    const child = spawn('bash', args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('scripts/test262.sh runs test262-style tests raw and through both adapters, and reports what differs and why', async () => {
  const t262 = join(dir, 'test262');
  mkdirSync(join(t262, 'harness'), { recursive: true });
  mkdirSync(join(t262, 'test', 'language', 'sample'), { recursive: true });
  writeFileSync(join(t262, 'package.json'), JSON.stringify({ name: 'test262', version: '5.0.0' }));
  for (const [f, text] of Object.entries(HARNESS)) writeFileSync(join(t262, 'harness', f), text + '\n');
  for (const [f, text] of Object.entries(TESTS)) writeFileSync(join(t262, 'test', 'language', 'sample', f), text);
  const out = join(dir, 'out');
  const r = await bash([join(ROOT, 'scripts', 'test262.sh'), t262, 'test/language/sample'], { OUT: out, THREADS: '2', IPDB_DEBUG: '1' });
  const report = r.stdout;
  assert.equal(r.code, 0, `test262.sh failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  // 5 tests: 3 run twice (as written, strict), to-string.js only as written, fails.js only strict.
  for (const b of ['babel', 'ts']) {
    const section = report.slice(report.indexOf(`#### ${b}`));
    // runs 8; pass 6 (all but fails.js and to-string.js); raw passes 7; refused: syntax-error.js twice
    // (a syntax-error test); fail-but-pass-raw: to-string.js; ts-pdb's: none.
    assert.match(section, /\| sample \| 8 \| 6 \| 7 \| 2 \| 0 \| 1 \| 0 \|/, `${b}:\n${report}`);
  }
  assert.match(report, /to-string\.js \(default\): .*\[compiler \(fails without ts-pdb too/);
  assert.match(report, /PASS: no run fails because of ts-pdb/);
  const refused = readFileSync(join(out, 'babel.refused.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    refused.map((x) => x.file.replace(/^.*\//, '')),
    ['syntax-error.js', 'syntax-error.js'],
  );
});

test('the preprocessor instruments every function of a test (harness included) with each adapter, and leaves raw tests alone', () => {
  const require = createRequire(import.meta.url);
  const path = join(ROOT, 'scripts', 'test262-preprocessor.cjs');
  const contents = `${HARNESS['sta.js']}\nfunction f(a) { const b = a + 1; return b; }\nf(1);\n`;
  const saved = process.env.TS_PDB_TEST262_BUILD;
  try {
    for (const build of ['raw', 'babel', 'ts', 'babel-plain', 'ts-plain']) {
      process.env.TS_PDB_TEST262_BUILD = build;
      delete require.cache[path];
      const preprocess = require(path);
      const t = preprocess({ file: 'test/language/x/y.js', scenario: 'default', contents, attrs: { flags: {} } });
      const n = (t.contents.match(/__tsPdb\.f\(/g) ?? []).length;
      // sta.js: Test262Error, its toString, thrower, $DONOTEVALUATE; the test: f.
      assert.equal(n, build === 'babel' || build === 'ts' ? 5 : 0, `${build}:\n${t.contents}`);
      if (build === 'raw') assert.equal(t.contents, contents);
      if (n) assert.ok(t.contents.includes(JSON.stringify(join(ROOT, 'dist', 'runtime', 'capture.js'))), 'loads the capture by its path');
    }
  } finally {
    if (saved === undefined) delete process.env.TS_PDB_TEST262_BUILD;
    else process.env.TS_PDB_TEST262_BUILD = saved;
    delete require.cache[path];
  }
});
