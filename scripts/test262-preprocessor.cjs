// test262-harness preprocessor (`--preprocessor`): compiles each test with the build named by
// TS_PDB_TEST262_BUILD before the harness runs it (scripts/test262.sh sets it):
//
//   raw          the test as test262 wrote it (no compiler)
//   babel        @babel/core with the ts-pdb Babel plugin, "instrument all"
//   babel-plain  @babel/core with no plugin (Babel's own printing of the test)
//   ts           ts.transpileModule (allowJs, target ESNext) with the ts-pdb transformer, "instrument all"
//   ts-plain     ts.transpileModule with no transformer
//
// The harness hands over the test with its includes (assert.js, sta.js, ...) and, for the strict
// run, a leading "use strict": all of it is compiled, the harness's helpers too, as a script
// (sloppy unless it says otherwise).
//
// A test the compiler refuses (a syntax error, as most negative `phase: parse` tests are meant to
// be) runs as written: a build would have stopped before running anything. Tests flagged `module`
// are left out (see below). Its name goes to the
// file TS_PDB_TEST262_LOG, if set (one JSON line per test and scenario), so the report can count
// them.
//
// TS_PDB_TEST262_SCENARIO=one keeps one run per test: the default one (as written), or the strict
// one for a test flagged onlyStrict (the harness runs a test twice, as written and with
// "use strict" prepended, unless its flags say otherwise); =other keeps the runs `one` leaves out
// (the two together are every run); unset, every run.
'use strict';
const { appendFileSync } = require('node:fs');
const { join } = require('node:path');
const { BUILDS, CompileRefused, ROOT, compileJs } = require('../test/conformance/compile-js.cjs');

const build = process.env.TS_PDB_TEST262_BUILD || 'raw';
if (build !== 'raw' && !BUILDS[build]) throw new Error(`TS_PDB_TEST262_BUILD=${build}: one of raw, ${Object.keys(BUILDS).join(', ')}`);
const log = process.env.TS_PDB_TEST262_LOG;
// The tests run from a temporary folder (in a vm context whose `require` is the host's), where
// `ts-pdb/capture` does not resolve: instrumented code loads the built file by its path.
const runtimeModule = join(ROOT, 'dist', 'runtime', 'capture.js');

const scenarios = process.env.TS_PDB_TEST262_SCENARIO;
/** True for the run `TS_PDB_TEST262_SCENARIO=one` keeps. */
const first = (test) => test.scenario === 'default' || !!test.attrs.flags.onlyStrict;

module.exports = function preprocess(test) {
  // A test the preprocessor does not keep (false) is not run at all.
  if ((scenarios === 'one' && !first(test)) || (scenarios === 'other' && first(test))) return false;
  // Excluded (CONFORMANCE.md): the harness's node host runs a test flagged `module` as a script,
  // so most fail as written, and an instrumented module (a static `import` of the capture) cannot
  // load at all. ES module output is tested by the semantics fixtures and the tool-chain tests.
  if (test.attrs.flags.module) return false;
  if (build === 'raw') return test;
  try {
    test.contents = compileJs(test.contents, { build, fileName: test.file, sourceType: 'script', runtimeModule });
  } catch (e) {
    if (!(e instanceof CompileRefused)) {
      // The transform failed where the plain compiler did not: a failure of this test, not of the run.
      test.result = {
        stdout: '',
        stderr: `ts-pdb transform failed: ${e && e.stack}\n`,
        error: { name: 'TsPdbTransformError', message: String(e && e.message) },
      };
      return test;
    }
    if (log)
      appendFileSync(
        log,
        JSON.stringify({ file: test.file, scenario: test.scenario, refused: e.message.split('\n')[0].slice(0, 200) }) + '\n',
      );
  }
  return test;
};
