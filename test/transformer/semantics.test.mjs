// Every fixture in test/fixtures/semantics runs plain, instrumented with debugging off, and
// instrumented with debugging on; all three must behave the same (return values, thrown errors,
// and whatever the fixture observes: this, arguments, new.target, fn.name, fn.length, ...), and
// the frames captured on the way out must hold the locals the fixture expects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ROOT, scratch, writeBuild } from '../helpers/build.mjs';
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

/** Fixture options from a first-line comment: `// fixture: {"compilerOptions": {...}, "transform": {...}, "variants": {...}}`. */
function fixtureOptions(src) {
  const m = /^\/\/ fixture: (.*)$/m.exec(src);
  return m ? JSON.parse(m[1]) : {};
}

function matchFrames(actual, expectedList, where) {
  // A last entry 'end' says no frame follows: the list is exact.
  const exact = expectedList.at(-1) === 'end';
  const expected = exact ? expectedList.slice(0, -1) : expectedList;
  if (exact) assert.equal(actual.length, expected.length, `${where}: exactly ${expected.length} frames, got ${inspect(actual, { depth: 5 })}`);
  assert.ok(actual.length >= expected.length,
    `${where}: expected at least ${expected.length} captured frames, got ${inspect(actual, { depth: 5 })}`);
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
for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.ts')).sort()) {
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
      assert.ok(plain.cases && Object.keys(plain.cases).length, 'a fixture exports its cases');
      const frames = { ...instr.frames, ...(variant ? instr.variantFrames?.[variant] : {}) };
      for (const caseName of Object.keys(plain.cases)) {
        await t.test(caseName, async () => {
          settings.enabled = false;
          const a = await outcome(plain.cases[caseName]);
          const b = await outcome(instr.cases[caseName]);
          settings.enabled = true;
          let c;
          try { c = await outcome(instr.cases[caseName]); } finally { settings.enabled = false; }
          assert.deepEqual({ value: b.value, threw: b.threw }, { value: a.value, threw: a.threw }, 'instrumented (debugging off) vs plain');
          assert.deepEqual({ value: c.value, threw: c.threw }, { value: a.value, threw: a.threw }, 'instrumented (debugging on) vs plain');
          const expected = frames[caseName];
          if (expected) {
            assert.ok(c.error !== undefined, 'a case with expected frames must throw');
            matchFrames(framesOf(c.error), expected, caseName);
          }
        });
      }
    });
  }
}
