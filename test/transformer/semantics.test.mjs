// Every fixture in test/fixtures/semantics runs plain, instrumented with debugging off, and
// instrumented with debugging on; all three must behave the same (return values, thrown errors,
// and whatever the fixture observes: this, arguments, new.target, fn.name, fn.length, ...), and
// the frames captured on the way out must hold the locals the fixture expects.
//
// Each fixture goes through both adapters: the TypeScript transformer (ts.transpileModule) and the
// Babel plugin (@babel/core with the TypeScript preset). Each Babel build is compared with Babel's
// own plain build, and its captured frames must be identical to the TypeScript build's. Variants
// (`"variants"`: TypeScript compiler options such as a lower target) are TypeScript-only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inspect, isDeepStrictEqual } from 'node:util';
import { ROOT, scratch, writeBabelBuild, writeBuild } from '../helpers/build.mjs';
import { framesOf, settings } from '../helpers/frames.mjs';

const require = createRequire(import.meta.url);
const FIXTURES = join(ROOT, 'test/fixtures/semantics');

/** What a case did, in a form comparable across builds (errors by class and message). */
async function outcome(fn) {
  try {
    let r = fn();
    if (r && typeof r.then === 'function') r = await r;
    return { value: inspect(r, { depth: 6, breakLength: Infinity, sorted: true }) };
  } catch (e) {
    return { threw: e instanceof Error ? `${e.constructor.name}: ${e.message}` : inspect(e), error: e };
  }
}

/**
 * Fixture options from a first-line comment: `// fixture: {"compilerOptions": {...}, "transform": {...}, "variants": {...}}`;
 * `"babel": "<reason>"` leaves the Babel adapter out of a fixture that Babel cannot build as TypeScript does.
 */
function fixtureOptions(src) {
  const m = /^\/\/ fixture: (.*)$/m.exec(src);
  return m ? JSON.parse(m[1]) : {};
}

function matchFrames(actual, expectedList, where) {
  // A last entry 'end' says no frame follows: the list is exact.
  const exact = expectedList.at(-1) === 'end';
  const expected = exact ? expectedList.slice(0, -1) : expectedList;
  if (exact)
    assert.equal(actual.length, expected.length, `${where}: exactly ${expected.length} frames, got ${inspect(actual, { depth: 5 })}`);
  assert.ok(
    actual.length >= expected.length,
    `${where}: expected at least ${expected.length} captured frames, got ${inspect(actual, { depth: 5 })}`,
  );
  expected.forEach((exp, i) => {
    const act = actual[i];
    const msg = `${where}: frame ${i} was ${inspect(act, { depth: 5 })}`;
    if (exp.name !== undefined) assert.equal(act.name, exp.name, msg);
    for (const [k, v] of Object.entries(exp.locals ?? {})) assert.equal(act.locals[k], v, `${msg}\n  local ${k}`);
    for (const [k, v] of Object.entries(exp.closure ?? {})) assert.equal(act.closure[k], v, `${msg}\n  closure ${k}`);
    if ('this' in exp) assert.equal(act.this, exp.this, `${msg}\n  this`);
    for (const k of exp.absent ?? []) assert.ok(!(k in act.locals), `${msg}\n  ${k} should not be captured`);
  });
}

const dir = scratch('semantics-');
for (const file of readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.ts'))
  .sort()) {
  const src = readFileSync(join(FIXTURES, file), 'utf8');
  const opts = fixtureOptions(src);
  // A fixture runs as written, and once more per variant: `"variants": { "es2015": { "target": "ES2015" } }`
  // adds compiler options; the fixture's `variantFrames.es2015` may replace some expected frames.
  const runs = [['', {}], ...Object.entries(opts.variants ?? {})];
  for (const [variant, extra] of runs) {
    const label = variant ? `${file} (${variant}: ${JSON.stringify(extra)})` : file;
    test(`semantics: ${label}`, async (t) => {
      const compilerOptions = { ...opts.compilerOptions, ...extra };
      const name = file.replace(/\.ts$/, '') + (variant ? '.' + variant : '');
      const plainPath = writeBuild(dir, name + '.plain', src, { transform: false, compilerOptions });
      const instrPath = writeBuild(dir, name + '.instr', src, { transform: { instrument: 'all', ...opts.transform }, compilerOptions });
      assert.match(readFileSync(instrPath, 'utf8'), /__tsPdb\d*\.[fF]\(/, 'the instrumented build must capture something');
      const plain = require(plainPath);
      const instr = require(instrPath);
      // The Babel builds (no variant: variants are TypeScript compiler options).
      let babelPlain;
      let babelInstr;
      if (!variant && !opts.babel) {
        const decorators = compilerOptions.experimentalDecorators ? 'legacy' : /^\s*@\w|\baccessor \w/m.test(src) ? '2023-11' : undefined;
        const bp = writeBabelBuild(dir, name + '.babel-plain', src, { transform: false, decorators });
        const bi = writeBabelBuild(dir, name + '.babel-instr', src, { transform: { instrument: 'all', ...opts.transform }, decorators });
        assert.match(readFileSync(bi, 'utf8'), /__tsPdb\d*\.[fF]\(/, 'the Babel build must capture something');
        babelPlain = require(bp);
        babelInstr = require(bi);
      }
      assert.ok(plain.cases && Object.keys(plain.cases).length, 'a fixture exports its cases');
      const frames = { ...instr.frames, ...(variant ? instr.variantFrames?.[variant] : {}) };
      for (const caseName of Object.keys(plain.cases)) {
        await t.test(caseName, async () => {
          settings.enabled = false;
          const a = await outcome(plain.cases[caseName]);
          const b = await outcome(instr.cases[caseName]);
          settings.enabled = true;
          let c;
          try {
            c = await outcome(instr.cases[caseName]);
          } finally {
            settings.enabled = false;
          }
          assert.deepEqual({ value: b.value, threw: b.threw }, { value: a.value, threw: a.threw }, 'instrumented (debugging off) vs plain');
          assert.deepEqual({ value: c.value, threw: c.threw }, { value: a.value, threw: a.threw }, 'instrumented (debugging on) vs plain');
          const expected = frames[caseName];
          if (expected) {
            assert.ok(c.error !== undefined, 'a case with expected frames must throw');
            matchFrames(framesOf(c.error), expected, caseName);
          }
          if (!babelInstr) return;
          settings.enabled = false;
          const bp = await outcome(babelPlain.cases[caseName]);
          const bb = await outcome(babelInstr.cases[caseName]);
          settings.enabled = true;
          let bc;
          try {
            bc = await outcome(babelInstr.cases[caseName]);
          } finally {
            settings.enabled = false;
          }
          // Where Babel's own build means something else than the source (it prints a parenthesised
          // '("use strict")' as a directive), the instrumented build keeps the source's meaning.
          const babelAsWritten = { value: bp.value, threw: bp.threw };
          const source = { value: a.value, threw: a.threw };
          const diverges = !isDeepStrictEqual(babelAsWritten, source);
          if (diverges)
            t.diagnostic(`${caseName}: Babel's plain build differs from TypeScript's (${inspect(babelAsWritten)} vs ${inspect(source)})`);
          for (const [run, what] of [
            [bb, 'debugging off'],
            [bc, 'debugging on'],
          ]) {
            const got = { value: run.value, threw: run.threw };
            if (diverges && isDeepStrictEqual(got, source)) continue;
            assert.deepEqual(got, babelAsWritten, `Babel: instrumented (${what}) vs plain`);
          }
          if (c.error !== undefined && bc.error !== undefined) {
            // The same frames, names and values. Where the two compilers' own output differs, values
            // are compared without it: `this` by presence (class fields may be defined in another
            // order), an error's stack without its lines (other files), a decorated class without
            // the Symbol.metadata that Babel's decorators add (Node 24 shows symbol keys without brackets).
            const value = (v) =>
              v.replace(/\n\s+at .*/g, '').replace(/ \{ \[?Symbol\(Symbol\.metadata\)\]?: \[Object: null prototype\] \{\} \}/g, '');
            const values = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, value(v)]));
            const shape = (frames) =>
              frames.map((f) => ({ ...f, locals: values(f.locals), closure: values(f.closure), this: 'this' in f }));
            assert.deepEqual(shape(framesOf(bc.error)), shape(framesOf(c.error)), 'Babel frames vs TypeScript frames');
          }
        });
      }
    });
  }
}
