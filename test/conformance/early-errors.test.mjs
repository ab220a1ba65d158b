// Programs with an early error must stay invalid once instrumented (found by test262:
// statements/async-function/early-errors-declaration-formals-body-duplicate.js and its siblings).
//
// `ts.transpileModule` reports syntax errors only: a name declared twice in one scope, one of them
// lexically (`function f(a) { let a; }`), is an error of TypeScript's checker, so the plain build
// emits the program as written and it fails when it loads (SyntaxError). The instrumented build
// moved the body into a `try` block (or a `let` to function level) and the same program loaded and
// ran. Such a function is now left as written (transformer/core/scope-model.ts,
// `redeclaresLexically`). Babel's parser rejects all of them: its builds stop at compile time.
//
// (and statements/try/early-catch-function.js.) These cases are not semantics fixtures (test/fixtures/semantics): a fixture is a module that
// loads and runs; these must not load at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import vm from 'node:vm';

const require = createRequire(import.meta.url);
const { CompileRefused, compileJs } = require('./compile-js.cjs');

/** Each source has one early error inside a function. */
const INVALID = {
  'a parameter and a let of the body (test262 early-errors-*-formals-body-duplicate)': 'async function foo(bar) { let bar; }',
  'a parameter and a const of an arrow body': 'const f = (a) => { const a = 1; return a; };',
  'two lets of a block': 'function f() { { let x = 1; let x = 2; return x; } }',
  'two lets of the body': 'function f() { let x = 1; let x = 2; return x; }',
  'a function declaration and a let of the body': 'function f() { function x() {} let x = 2; return x; }',
  'a var and a let of the body': 'function f() { var x; let x = 2; return x; }',
  'a catch parameter and a let of its block': 'function f() { try { g(); } catch (e) { let e; } }',
  'a catch parameter and a function of its block (test262 statements/try/early-catch-function)':
    'function f() { try { g(); } catch (e) { function e() {} } }',
  'a function declared in a block and a let of the block': 'function f() { { function g() {} let g; } }',
  'two lets of one switch': 'function f(x) { switch (x) { case 1: let a; break; case 2: let a; } }',
  'a class declaration and a parameter': 'function f(C) { class C {} return C; }',
};

/** Near misses: valid, and instrumented as usual. */
const VALID = {
  'a let in a loop body shadowing the loop head':
    'function f() { const r = []; for (let i = 0; i < 2; i++) { let i2 = i; { let i = 5; r.push(i + i2); } } return r; }',
  'a var redeclaring a catch parameter (Annex B)': 'function f() { try { throw 1; } catch (e) { var e = 2; } return typeof e; }',
  'a let in a case block and one after the switch':
    'function f(x) { switch (x) { case 1: { let a = 1; return a; } } let a = 2; return a; }',
  'a parameter shadowed in a nested block': 'function f(a) { { let a = 2; return a; } }',
  'a var and a function of the same name': 'function f() { var g = 1; function g() {} return typeof g; }',
};

const loads = (code) => {
  try {
    new vm.Script(code);
    return 'loads';
  } catch (e) {
    return e.constructor.name;
  }
};

for (const [what, source] of Object.entries(INVALID)) {
  test(`an early error stays one when instrumented: ${what}`, () => {
    assert.equal(loads(source), 'SyntaxError', 'the source itself');
    for (const build of ['ts-plain', 'ts']) {
      const code = compileJs(source, { build, fileName: 'early.js' });
      assert.equal(loads(code), 'SyntaxError', `${build}:\n${code}`);
    }
    for (const build of ['babel-plain', 'babel']) {
      assert.throws(() => compileJs(source, { build, fileName: 'early.js' }), CompileRefused, build);
    }
  });
}

for (const [what, source] of Object.entries(VALID)) {
  test(`valid near miss, instrumented and the same: ${what}`, () => {
    const expected = vm.runInNewContext(`${source}; JSON.stringify(f(1))`);
    for (const build of ['ts', 'babel']) {
      const code = compileJs(source, { build, fileName: 'near.js' });
      assert.match(code, /__tsPdb\.f\(/, `${build}: instrumented`);
      // Run it with a capture that does nothing (debugging off costs one call per frame on a throw).
      const capture = { m: (d) => d, f() {}, b() {}, U: Symbol('U') };
      const got = vm.runInNewContext(`${code}; JSON.stringify(f(1))`, {
        require: () => capture,
        module: {},
        exports: {},
        __filename: 'near.js',
        __dirname: '.',
      });
      assert.equal(got, expected, `${build}:\n${code}`);
    }
  });
}
