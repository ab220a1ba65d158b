// Issue #7 item 1: large real programs, every function instrumented ("instrument all"), behave
// byte for byte as the plain ones, once through each adapter (the Babel plugin, the TypeScript
// transformer), with debugging off and on.
//
// 1. The TypeScript compiler (typescript@5.9.3's lib/_tsc.js from npm, the devDependency
//    "typescript-5-9"; 6 MB, ~10,900 functions) compiles this repository (a copy of runtime/,
//    transformer/ and tsconfig.json: ~70 files, type checked, with declarations and source maps)
//    into a temporary folder: every emitted file, the exit status and the output must equal the
//    plain compiler's.
// 2. acorn (node_modules/acorn/dist/acorn.js) parses a corpus (the .js files of 15 installed
//    packages, ~4 MB) three ways: the AST JSON, or the SyntaxError, must equal the plain acorn's
//    (test/conformance/acorn-corpus.mjs).
//
// The instrumented copies live in a scratch folder inside this package, so that their
// `require("ts-pdb/capture")` resolves to this checkout's dist/ (by self-reference); the folder is
// removed at the end. Slow parts run in child processes, the two adapters side by side.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';
import { compileFile as compileFileOrThrow, makeTscHome, node, TS_LIB } from './instrumented-tsc.mjs';

const require = createRequire(import.meta.url);
const acorn = require('acorn');
const HERE = join(ROOT, 'test', 'conformance');
const COUNT_CAPTURES = join(HERE, 'count-captures.cjs');
const ADAPTERS = ['babel', 'ts'];

const dir = scratch('real-programs-');
after(() => rmSync(dir, { recursive: true, force: true }));

/** Type errors of several kinds for the compiled project (the file is still emitted). */
const TYPE_ERRORS = `// Written by test/conformance/real-programs.test.mjs: type errors on purpose.
export function typeErrors(n: number): string {
  const unused = 1;
  const s: string = n;
  const o = { a: 1 };
  o.b = 2;
  typeErrors('x', 2);
  let implicit;
  return implicit.nope + missingName;
}
`;
const TYPE_ERROR_COUNT = 7;

/** Compiles `input` with `build` (compile-js.cjs) into `output`, in a child process. */
async function compileFile(build, input, output) {
  try {
    return await compileFileOrThrow(build, input, output);
  } catch (e) {
    assert.fail(e.message);
  }
}

/** The functions of a script (acorn's AST) and how many have an empty body (nothing there can throw: left as written). */
function countFunctions(source) {
  let functions = 0;
  let empty = 0;
  const walk = (n) => {
    if (Array.isArray(n)) {
      for (const c of n) walk(c);
      return;
    }
    if (!n || typeof n.type !== 'string') return;
    if (/Function/.test(n.type)) {
      functions++;
      if (n.body.type === 'BlockStatement' && n.body.body.length === 0) empty++;
    }
    for (const k in n) {
      const v = n[k];
      if (v && typeof v === 'object') walk(v);
    }
  };
  walk(acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true }));
  return { functions, empty };
}

/** Functions the instrumented output captures (one `__tsPdb.f(` per function's catch). */
const instrumentedCount = (code) => (code.match(/__tsPdb\d*\.[fF]\(/g) ?? []).length;

/** Every file under `root`, relative path to content. */
function tree(root) {
  const files = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(relative(root, p), readFileSync(p));
    }
  };
  walk(root);
  return files;
}

function assertSameTree(actualRoot, expectedRoot, what) {
  const a = tree(actualRoot);
  const e = tree(expectedRoot);
  assert.deepEqual([...a.keys()].sort(), [...e.keys()].sort(), `${what}: the same files`);
  const differ = [...e.keys()].filter((k) => !a.get(k).equals(e.get(k)));
  assert.deepEqual(differ, [], `${what}: files whose bytes differ`);
  return e.size;
}

test('the TypeScript compiler (typescript@5.9.3 lib/_tsc.js), every function instrumented, compiles this repository byte for byte as the plain one', async (t) => {
  const tscSource = join(TS_LIB, '_tsc.js');
  assert.ok(existsSync(tscSource), `${relative(ROOT, tscSource)} is missing: npm install (devDependency "typescript-5-9")`);
  const { version } = JSON.parse(readFileSync(join(TS_LIB, '..', 'package.json'), 'utf8'));
  assert.equal(version, '5.9.3');
  // Each compiler in a folder of its own: _tsc.js finds its lib.*.d.ts next to itself (__filename).
  const homes = {};
  for (const build of ADAPTERS) homes[build] = makeTscHome(join(dir, 'tsc-' + build));
  // The project: a snapshot of this repository's runtime/ and transformer/ with its tsconfig.json
  // (the checkout may change while the test runs); @types/node resolves from the package's node_modules.
  const project = join(dir, 'project');
  for (const p of ['runtime', 'transformer', 'tsconfig.json']) cpSync(join(ROOT, p), join(project, p), { recursive: true });
  // Plus a file with type errors, so that the checker's diagnostics (and their printing) are part of the run too.
  writeFileSync(join(project, 'runtime', 'conformance-type-errors.ts'), TYPE_ERRORS);
  const compileProject = (tsc, out, env = {}, count = false) =>
    node([...(count ? ['-r', COUNT_CAPTURES] : []), tsc, '-p', join(project, 'tsconfig.json'), '--outDir', out], {
      env: { ...env, TS_PDB_COUNT_OUT: out + '.calls.json' },
    });

  // The two instrumented compilers and the plain compiler's build, side by side.
  const [compiled, plain] = await Promise.all([
    Promise.all(ADAPTERS.map((b) => compileFile(b, tscSource, join(homes[b], '_tsc.js')))),
    compileProject(tscSource, join(dir, 'out-plain')),
  ]);
  // Exit status 2: errors, files emitted.
  assert.equal(plain.code, 2, `the plain compiler:\n${plain.stdout}${plain.stderr}`);
  assert.equal((plain.stdout.match(/error TS\d+/g) ?? []).length, TYPE_ERROR_COUNT, plain.stdout);
  const source = readFileSync(tscSource, 'utf8');
  const { functions, empty } = countFunctions(source);
  ADAPTERS.forEach((b, i) => {
    const n = instrumentedCount(readFileSync(join(homes[b], '_tsc.js'), 'utf8'));
    t.diagnostic(
      `${b}: instrumented ${n} of ${functions} functions (${empty} empty ones are left as written) in ${compiled[i].ms} ms; output ${(compiled[i].bytes / 1e6).toFixed(1)} MB`,
    );
    assert.equal(n, functions - empty, `${b}: every function with a body is instrumented`);
  });
  t.diagnostic(`plain compiler: ${plain.ms} ms`);

  // Four builds of the project: each adapter, debugging off and on; two at a time.
  const runs = ADAPTERS.flatMap((b) => [
    [b, 'off'],
    [b, 'on'],
  ]);
  const results = [];
  for (let i = 0; i < runs.length; i += 2) {
    results.push(
      ...(await Promise.all(
        runs
          .slice(i, i + 2)
          .map(([b, debug]) =>
            compileProject(
              join(homes[b], '_tsc.js'),
              join(dir, `out-${b}-${debug}`),
              { IPDB_DEBUG: debug === 'on' ? '1' : undefined },
              true,
            ),
          ),
      )),
    );
  }
  runs.forEach(([b, debug], i) => {
    const r = results[i];
    const out = join(dir, `out-${b}-${debug}`);
    const what = `${b}, debugging ${debug}`;
    assert.deepEqual(
      { code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr },
      { code: plain.code, signal: plain.signal, stdout: plain.stdout, stderr: plain.stderr },
      `${what}: exit status and output`,
    );
    const files = assertSameTree(out, join(dir, 'out-plain'), what);
    const calls = JSON.parse(readFileSync(out + '.calls.json', 'utf8'));
    t.diagnostic(`${what}: ${files} files byte-identical in ${r.ms} ms; capture calls on the way out of frames: ${JSON.stringify(calls)}`);
    // The compiler throws and catches a few errors of its own while it works (file system probes):
    // the instrumented catch ran and rethrew them unchanged.
    assert.ok(calls.f > 0, `${what}: an exception went through an instrumented frame`);
  });
});

test('acorn, every function instrumented, parses a corpus into the same AST JSON and the same SyntaxErrors as the plain acorn', async (t) => {
  const acornSource = require.resolve('acorn');
  assert.match(acornSource, /acorn[/\\]dist[/\\]acorn\.js$/);
  const outs = Object.fromEntries(ADAPTERS.map((b) => [b, join(dir, `acorn-${b}.js`)]));
  const compiled = await Promise.all(ADAPTERS.map((b) => compileFile(b, acornSource, outs[b])));
  const { functions, empty } = countFunctions(readFileSync(acornSource, 'utf8'));
  ADAPTERS.forEach((b, i) => {
    const n = instrumentedCount(readFileSync(outs[b], 'utf8'));
    t.diagnostic(`${b}: instrumented ${n} of ${functions} functions (${empty} empty) in ${compiled[i].ms} ms`);
    assert.equal(n, functions - empty, `${b}: every function with a body is instrumented`);
  });
  const results = await Promise.all(ADAPTERS.map((b) => node([join(HERE, 'acorn-corpus.mjs'), outs[b]])));
  ADAPTERS.forEach((b, i) => {
    const r = results[i];
    assert.equal(r.code, 0, `${b}: acorn-corpus.mjs failed:\n${r.stderr}`);
    const s = JSON.parse(r.stdout);
    t.diagnostic(
      `${b}: ${s.files} files (${(s.bytes / 1e6).toFixed(1)} MB), ${s.parses} parses (${s.syntaxErrors} SyntaxErrors), each with debugging off and on; ms ${JSON.stringify(s.ms)}`,
    );
    assert.deepEqual(s.mismatches, [], `${b}: parses whose AST JSON or error differs from the plain acorn's`);
    assert.ok(s.files > 300 && s.syntaxErrors > 200, `${b}: the corpus is there (${s.files} files, ${s.syntaxErrors} errors)`);
    // Every SyntaxError went out through instrumented frames: recorded with debugging on only.
    assert.deepEqual(s.captured, { off: 0, on: s.syntaxErrors }, `${b}: errors with captured frames`);
  });
});
