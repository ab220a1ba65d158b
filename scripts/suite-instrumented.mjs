#!/usr/bin/env node
// A real library's own test suite with its source instrumented (issue #7 item 3; results in
// docs/CONFORMANCE.md, section 3). Not in CI: it needs the library's repository and its test runner
// from npm.
//
//   node scripts/suite-instrumented.mjs <lib> <checkout-dir>
//
// <lib> is a key of LIBS below (ufo, immer, yaml, semver, qs); <checkout-dir> a checkout of its
// repository at the recorded commit (or any copy of that tree: only read, never changed).
//
// What it does, in OUT (default .tmp/suites/<lib> in this checkout):
//   1. deps/: a package.json with the library's dependencies and the devDependencies its tests
//      need (at the library's own version ranges), installed with `npm install` (once).
//   2. For each build, work/<build>/: a copy of the checkout with node_modules linked to deps/,
//      whose SOURCE files (LIBS[lib].sources; never the tests) are compiled in place:
//        raw          as written (the library's test runner compiles them itself, as it always does)
//        babel        @babel/core with the ts-pdb plugin (`ts-pdb/babel`), `instrument: "all"`
//                     (TypeScript sources: with @babel/preset-typescript)
//        ts           ts.transpileModule with the ts-pdb transformer (`ts-pdb/transformer`),
//                     `instrument: "all"` (TypeScript sources: the library's tsconfig options)
//        babel-plain, ts-plain   the same compilers without ts-pdb (only when a test fails
//                     instrumented and passes raw: the compiler's own difference, or ts-pdb's)
//      A compiled TypeScript file keeps its name (`src/url.ts` holds JavaScript, which is valid
//      TypeScript), so the runner, its config and every import stay as they are.
//   3. Runs the library's test runner on each build, the instrumented ones twice: debugging off
//      (IPDB_DEBUG unset) and on (IPDB_DEBUG=1: every exception through an instrumented function
//      records its frame). CI=true and no terminal: no session ever waits for input (the library
//      marks no function, so none opens; IPDB_ON_UNCAUGHT=0).
//   4. Reads every test's result (vitest's JSON report; TAP from tap and tape), and compares each
//      run with raw: a test that passes raw and fails (or is missing) instrumented is a difference.
//
// So that a zero is not hollow: the instrumented code loads its capture functions through a
// counting wrapper (node_modules/ts-pdb-count) that records the calls the catch clauses make
// (`f`/`F`/`B`: one per frame an exception passes through; `m`: one per instrumented module
// loaded) in every process and worker; the report prints those counts, and the number of
// functions instrumented against the number of functions in the source files.
//
// Environment: OUT, BUILDS (default "raw babel ts"), DEBUG (default "off on"), JOBS (test runner
// parallelism where it has a flag; default 2). Needs `npm run build` first. Prints a report and
// writes OUT/summary.json; exits with 1 when a difference is ts-pdb's.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/**
 * The libraries. `sources`: the library's own source files, as paths relative to the checkout
 * (folders are walked; `exclude` drops matches); `lang`: ts or js; `module`: esm or cjs (what the
 * JavaScript builds emit); `devDeps`: what its tests load; `run(out, jobs)`: the runner's command
 * and its result format.
 */
const LIBS = {
  ufo: {
    repo: 'unjs/ufo',
    commit: '11308c0bb5cb4a4bc3bfcbdc5c03177b097423e6',
    lang: 'ts',
    module: 'esm',
    sources: ['src'],
    exclude: /\.d\.ts$/,
    devDeps: ['vitest'],
    run: (out) => ({ cmd: ['node_modules/.bin/vitest', 'run', '--reporter=json', `--outputFile=${out}`], format: 'vitest' }),
  },
  immer: {
    repo: 'immerjs/immer',
    commit: '061c2425e1c9dff89e4e4189d42af1b7839dfe0a',
    lang: 'ts',
    module: 'esm',
    sources: ['src'],
    exclude: /\.d\.ts$|\.flow$/,
    devDeps: ['vitest', 'vite', 'deep-freeze', 'lodash', 'redux', 'type-plus', 'immutable', 'lodash.clonedeep', 'seamless-immutable'],
    run: (out) => ({ cmd: ['node_modules/.bin/vitest', 'run', '--reporter=json', `--outputFile=${out}`], format: 'vitest' }),
  },
  yaml: {
    repo: 'eemeli/yaml',
    commit: 'bf03c0cb1ee997c56ed85c70f56c73e05b1cc001',
    lang: 'ts',
    module: 'esm',
    sources: ['src'],
    exclude: /\.d\.ts$/,
    devDeps: ['vitest', 'fast-check'],
    run: (out) => ({ cmd: ['node_modules/.bin/vitest', 'run', '--reporter=json', `--outputFile=${out}`], format: 'vitest' }),
  },
  semver: {
    repo: 'npm/node-semver',
    commit: '6e05b7637396ac66522cff8731f07cfe0ef49a29',
    lang: 'js',
    module: 'cjs',
    sources: ['bin', 'classes', 'functions', 'internal', 'ranges', 'index.js', 'preload.js'],
    devDeps: ['tap'],
    run: (out, jobs) => ({ cmd: ['node_modules/.bin/tap', '--no-coverage', '-R', 'tap', `-j${jobs}`], format: 'tap', stdout: out }),
  },
  qs: {
    repo: 'ljharb/qs',
    commit: '3a890d4ecd3deb72a45d90be36f4f8c5970467c7',
    lang: 'js',
    module: 'cjs',
    sources: ['lib'],
    devDeps: [
      'tape',
      'es-value-fixtures',
      'for-each',
      'has-bigints',
      'has-override-mistake',
      'has-property-descriptors',
      'has-proto',
      'has-symbols',
      'iconv-lite',
      'mock-property',
      'object-inspect',
      'safer-buffer',
    ],
    run: (out) => ({ cmd: ['node_modules/.bin/tape', 'test/**/*.js'], format: 'tap', stdout: out }),
  },
};

const [libName, checkoutArg] = process.argv.slice(2);
const lib = LIBS[libName];
if (!lib || !checkoutArg || !existsSync(join(checkoutArg, 'package.json'))) {
  console.error(`usage: node scripts/suite-instrumented.mjs <${Object.keys(LIBS).join('|')}> <checkout-dir>`);
  process.exit(2);
}
if (!existsSync(join(ROOT, 'dist', 'transformer', 'index.js'))) {
  console.error('scripts/suite-instrumented.mjs: dist/ is missing; run npm run build first');
  process.exit(2);
}
const CHECKOUT = resolve(checkoutArg);
const OUT = resolve(process.env.OUT || join(ROOT, '.tmp', 'suites', libName));
const BUILDS = (process.env.BUILDS || 'raw babel ts').split(/\s+/).filter(Boolean);
const DEBUG = (process.env.DEBUG || 'off on').split(/\s+/).filter(Boolean);
const JOBS = Number(process.env.JOBS || 2);
const log = (...a) => console.error(...a);

// The commit, when the checkout is a git work tree (a `git archive` copy is not).
const gitHead = spawnSync('git', ['-C', CHECKOUT, 'rev-parse', '--show-toplevel', 'HEAD'], { encoding: 'utf8' });
const [top, head] = gitHead.status === 0 ? gitHead.stdout.trim().split('\n') : [];
const commit = top && resolve(top) === CHECKOUT ? head : `not a git checkout (recorded: ${lib.commit})`;
if (top && resolve(top) === CHECKOUT && head !== lib.commit) log(`note: ${CHECKOUT} is at ${head}, the recorded commit is ${lib.commit}`);
log(`${libName} (${lib.repo}) ${commit}; node ${process.version}; results in ${OUT}`);
mkdirSync(OUT, { recursive: true });

// 1. Dependencies.
const DEPS = join(OUT, 'deps');
{
  const pkg = JSON.parse(readFileSync(join(CHECKOUT, 'package.json'), 'utf8'));
  const devDependencies = {};
  for (const n of lib.devDeps) {
    if (!pkg.devDependencies?.[n]) throw new Error(`${libName}: ${n} is not a devDependency`);
    devDependencies[n] = pkg.devDependencies[n];
  }
  const want =
    JSON.stringify({ name: `${libName}-test-deps`, private: true, dependencies: pkg.dependencies ?? {}, devDependencies }, null, 2) + '\n';
  mkdirSync(DEPS, { recursive: true });
  const have = existsSync(join(DEPS, 'package.json')) ? readFileSync(join(DEPS, 'package.json'), 'utf8') : '';
  if (have !== want || !existsSync(join(DEPS, 'node_modules'))) {
    writeFileSync(join(DEPS, 'package.json'), want);
    log(`npm install (${lib.devDeps.join(' ')}) ...`);
    const r = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: DEPS,
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error('npm install failed');
  }
  // The counting wrapper: ts-pdb's capture, with each entry point counted per process and worker.
  const dir = join(DEPS, 'node_modules', 'ts-pdb-count');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ts-pdb-count', version: '0.0.0', main: 'index.cjs' }) + '\n');
  const capture = join(ROOT, 'dist', 'runtime', 'capture.js');
  const names = Object.keys(require(capture)).filter((k) => k !== '__esModule');
  // Plain `exports.x = ...` assignments and getters in TypeScript's own form, so that Node's CJS
  // lexer finds every name for an ES module's `import * as __tsPdb`.
  writeFileSync(
    join(dir, 'index.cjs'),
    `'use strict';
// Written by scripts/suite-instrumented.mjs: ts-pdb's capture with its entry points counted.
const c = require(${JSON.stringify(capture)});
const { writeFileSync } = require('node:fs');
const calls = { m: 0, f: 0, F: 0, B: 0, b: 0, recorded: 0 };
const file = process.env.TS_PDB_COUNT_DIR && require('node:path').join(process.env.TS_PDB_COUNT_DIR,
  process.pid + '-' + require('node:worker_threads').threadId + '-' + Math.random().toString(36).slice(2) + '.json');
const save = () => { if (file) writeFileSync(file, JSON.stringify(calls)); };
const frames = (v) => { const r = c.captureOf(v, false); return r ? r.frames.length : 0; };
// recorded: calls after which the thrown value's frames changed (one more; or, at 256, cut to
// 129): debugging on records, off does not.
const counted = (k) => k === 'm' || k === 'b'
  ? function () { calls[k]++; save(); return c[k].apply(this, arguments); }
  : function (thrown) {
    calls[k]++;
    const before = frames(thrown);
    try { return c[k].apply(this, arguments); } finally { if (frames(thrown) !== before) calls.recorded++; save(); }
  };
${names
  .map((k) =>
    k in { m: 1, f: 1, F: 1, B: 1, b: 1 }
      ? `exports.${k} = counted(${JSON.stringify(k)});`
      : `Object.defineProperty(exports, ${JSON.stringify(k)}, { enumerable: true, get: function () { return c.${k}; } });`,
  )
  .join('\n')}
`,
  );
}

// 2. Builds.
let babel;
let ts;
const tsOptions = () => {
  ts ??= require('typescript');
  const cfgPath = join(CHECKOUT, 'tsconfig.json');
  const cfg = ts.readConfigFile(cfgPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(cfg.config ?? {}, ts.sys, CHECKOUT);
  // The library's options that decide what its JavaScript does (the rest are about checking or
  // emitting other files); the output is an ES module, as its runner loads it.
  const keep = ['target', 'useDefineForClassFields', 'experimentalDecorators', 'emitDecoratorMetadata', 'downlevelIteration', 'jsx'];
  const options = Object.fromEntries(keep.filter((k) => parsed.options[k] !== undefined).map((k) => [k, parsed.options[k]]));
  return { ...options, module: ts.ModuleKind.ESNext, isolatedModules: true, newLine: ts.NewLineKind.LineFeed };
};
let tsCompilerOptions;

function compileTs(build, code, file) {
  const instrument = !build.endsWith('-plain');
  const options = { instrument: 'all', runtimeModule: 'ts-pdb-count' };
  if (build.startsWith('babel')) {
    babel ??= require('@babel/core');
    return babel.transformSync(code, {
      filename: file,
      babelrc: false,
      configFile: false,
      sourceType: 'module',
      presets: [require.resolve('@babel/preset-typescript')],
      plugins: instrument ? [[join(ROOT, 'dist', 'transformer', 'babel', 'index.js'), options]] : [],
    }).code;
  }
  tsCompilerOptions ??= tsOptions();
  const { createTransformer } = require(join(ROOT, 'dist', 'transformer', 'index.js'));
  const out = ts.transpileModule(code, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: tsCompilerOptions,
    transformers: instrument ? { before: [createTransformer(options, ts)] } : undefined,
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(errors[0].messageText, '\n')}`);
  return out.outputText;
}

function compile(build, code, file) {
  if (lib.lang === 'ts') return compileTs(build, code, file);
  const { compileJs } = require(join(ROOT, 'test', 'conformance', 'compile-js.cjs'));
  return compileJs(code, { build, fileName: file, sourceType: lib.module === 'esm' ? 'module' : 'script', runtimeModule: 'ts-pdb-count' });
}

const sourceFiles = (base) => {
  const files = [];
  const walk = (p) => {
    const full = join(base, p);
    if (!existsSync(full)) throw new Error(`${libName}: no ${p} in the checkout`);
    if (statSync(full).isDirectory()) {
      for (const e of readdirSync(full).sort()) walk(`${p}/${e}`);
    } else if (/\.(c|m)?[jt]s$/.test(p) && !(lib.exclude && lib.exclude.test(p))) files.push(p);
  };
  for (const s of lib.sources) walk(s);
  return files;
};

/** Functions with a body in a source file (what "instrument all" may instrument), by TypeScript's parser. */
function countFunctions(code, file) {
  ts ??= require('typescript');
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  let all = 0;
  let empty = 0;
  const visit = (n) => {
    if (ts.isFunctionLike(n) && n.body) {
      all++;
      if (ts.isBlock(n.body) && n.body.statements.length === 0) empty++;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { all, empty };
}

function prepare(build) {
  const work = join(OUT, 'work', build);
  rmSync(work, { recursive: true, force: true });
  cpSync(CHECKOUT, work, { recursive: true, filter: (src) => !/\/(node_modules|\.git)$/.test(src) });
  symlinkSync(join(DEPS, 'node_modules'), join(work, 'node_modules'), 'dir');
  const stats = { files: 0, functions: 0, emptyFunctions: 0, instrumented: 0 };
  for (const f of sourceFiles(work)) {
    const file = join(work, f);
    const code = readFileSync(file, 'utf8');
    const fn = countFunctions(code, file);
    stats.files++;
    stats.functions += fn.all;
    stats.emptyFunctions += fn.empty;
    if (build === 'raw') continue;
    const out = compile(build, code, file);
    // One catch per instrumented function, calling f (a frame) or B (a marked function).
    stats.instrumented += (out.match(/__tsPdb\.[fFB]\(__tsPdbE,/g) ?? []).length;
    writeFileSync(file, out);
  }
  return { work, stats };
}

// 3. Runs.
function runSuite(build, work, debug) {
  const name = build === 'raw' || build.endsWith('-plain') ? build : `${build}-debug-${debug}`;
  const result = join(OUT, `${name}.${lib.run('').format === 'vitest' ? 'json' : 'tap'}`);
  const countDir = join(OUT, 'counts', name);
  rmSync(countDir, { recursive: true, force: true });
  mkdirSync(countDir, { recursive: true });
  rmSync(result, { force: true });
  const { cmd, format, stdout } = lib.run(result, JOBS);
  const env = { ...process.env, CI: 'true', IPDB_ON_UNCAUGHT: '0', TS_PDB_COUNT_DIR: countDir, FORCE_COLOR: '0', NO_COLOR: '1' };
  delete env.IPDB_DEBUG;
  delete env.IPDB_MODE;
  if (debug === 'on') env.IPDB_DEBUG = '1';
  const t0 = Date.now();
  const r = spawnSync(cmd[0], cmd.slice(1), {
    cwd: work,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: 30 * 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = Math.round((Date.now() - t0) / 1000);
  if (stdout) writeFileSync(stdout, r.stdout);
  writeFileSync(
    join(OUT, `${name}.log`),
    `$ ${cmd.join(' ')}\nexit ${r.status} ${r.signal ?? ''}\n--- stdout\n${stdout ? '(in ' + relative(OUT, stdout) + ')' : r.stdout}\n--- stderr\n${r.stderr}`,
  );
  const tests = format === 'vitest' ? readVitest(result) : readTap(r.stdout);
  const counts = { m: 0, f: 0, F: 0, B: 0, b: 0, recorded: 0, processes: 0 };
  for (const f of readdirSync(countDir)) {
    const c = JSON.parse(readFileSync(join(countDir, f), 'utf8'));
    counts.processes++;
    for (const k of Object.keys(c)) counts[k] += c[k];
  }
  const n = tally(tests);
  log(
    `  ${name}: ${n.tests} tests, ${n.pass} pass, ${n.fail} fail, ${n.skip} skipped; exit ${r.status}; ${seconds} s; ` +
      `capture calls: m ${counts.m}, f ${counts.f + counts.F + counts.B}, frames recorded ${counts.recorded} (${counts.processes} module instances)`,
  );
  return { name, build, debug, exit: r.status, seconds, tests, counts };
}

/** vitest's JSON report: one entry per test, keyed by file and full name. */
function readVitest(file) {
  const tests = new Map();
  if (!existsSync(file)) return tests;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const f of report.testResults) {
    const rel = relative(dirname(file), f.name).replace(/^work\/[^/]+\//, '');
    if (!f.assertionResults.length) add(tests, `${rel} (file)`, f.status === 'passed' ? 'pass' : 'fail');
    for (const a of f.assertionResults) {
      add(tests, `${rel} > ${a.fullName}`, a.status === 'passed' ? 'pass' : a.status === 'failed' ? 'fail' : 'skip');
    }
  }
  return tests;
}

/**
 * TAP (tap's nested subtests, tape's flat output with `# name` comments): one entry per test
 * point, keyed by the names of the subtests around it, its description and its number among
 * points of that key.
 */
function readTap(text) {
  const tests = new Map();
  const stack = []; // subtest names by indentation level
  let comment = '';
  for (const line of text.split('\n')) {
    const m = /^( *)(?:# Subtest: (.*)|(ok|not ok) \d+(?: -)? ?(.*)|# (.*))$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    if (m[2] !== undefined) {
      stack.length = depth;
      stack[depth] = m[2];
      continue;
    }
    if (m[5] !== undefined) {
      if (depth === 0 && !/^(tests|pass|fail|ok|time=|todo|skip)\b/.test(m[5])) comment = m[5];
      continue;
    }
    let desc = m[4];
    const directive = /\s# (SKIP|TODO)\b/i.exec(desc);
    desc = desc.replace(/\s*# (time=.*|SKIP.*|TODO.*)$/i, '');
    const key = [...stack.slice(0, depth), comment, desc].join(' > ');
    add(tests, key, directive ? 'skip' : m[3] === 'ok' ? 'pass' : 'fail');
    stack.length = depth + 1; // a subtest's own point closes it
  }
  return tests;
}

function add(tests, key, status) {
  let k = key;
  for (let i = 2; tests.has(k); i++) k = `${key} #${i}`;
  tests.set(k, status);
}

const tally = (tests) => {
  const n = { tests: tests.size, pass: 0, fail: 0, skip: 0 };
  for (const s of tests.values()) n[s]++;
  return n;
};

/** Tests that pass in `base` and do not in `run` (missing counts as not passing). */
const regressions = (base, run) => [...base].filter(([k, s]) => s === 'pass' && run.get(k) !== 'pass').map(([k]) => k);

// 4. Everything.
const summary = { lib: libName, repo: lib.repo, commit, node: process.version, runs: [], builds: {}, differences: [] };
const raw = BUILDS.includes('raw') ? runOne('raw', ['off']) : null;
for (const build of BUILDS.filter((b) => b !== 'raw')) runOne(build, build.endsWith('-plain') ? ['off'] : DEBUG);

function runOne(build, debugs) {
  log(`${build}: compiling ${lib.sources.join(', ')} ...`);
  const { work, stats } = prepare(build);
  summary.builds[build] = stats;
  log(
    `  ${stats.files} files, ${stats.functions} functions (${stats.emptyFunctions} with an empty body)` +
      (build === 'raw' || build.endsWith('-plain') ? '' : `, ${stats.instrumented} instrumented`),
  );
  let first;
  for (const debug of debugs) {
    const run = runSuite(build, work, debug);
    first ??= run;
    summary.runs.push({ ...run, tests: tally(run.tests) });
    if (build === 'raw' || !raw) continue;
    const lost = regressions(raw.tests, run.tests);
    const gained = [...run.tests].filter(([k, s]) => s === 'pass' && raw.tests.get(k) !== 'pass').map(([k]) => k);
    summary.runs.at(-1).failPassRaw = lost.length;
    summary.runs.at(-1).passFailRaw = gained.length;
    for (const k of lost) summary.differences.push({ run: run.name, test: k });
    for (const k of gained) log(`  note: passes in ${run.name}, not raw: ${k}`);
  }
  return first;
}

// A test that fails instrumented and passes raw: the same compiler without ts-pdb tells whose it is.
for (const compiler of ['babel', 'ts']) {
  const mine = summary.differences.filter((d) => d.run.startsWith(`${compiler}-debug`));
  if (!mine.length) continue;
  const plain = runOne(`${compiler}-plain`, ['off']);
  for (const d of mine) d.tsPdbs = plain.tests.get(d.test) === 'pass';
}

writeFileSync(join(OUT, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
console.log(`\n${libName} (${lib.repo} ${commit})`);
console.log('| run | tests | pass | fail | skipped | fail, pass raw | frames passed (f calls) | frames recorded | modules loaded (m) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of summary.runs) {
  console.log(
    `| ${r.name} | ${r.tests.tests} | ${r.tests.pass} | ${r.tests.fail} | ${r.tests.skip} | ${r.failPassRaw ?? ''} | ` +
      `${r.build === 'raw' ? '' : r.counts.f + r.counts.F + r.counts.B} | ${r.build === 'raw' ? '' : r.counts.recorded} | ${r.build === 'raw' ? '' : r.counts.m} |`,
  );
}
for (const [b, s] of Object.entries(summary.builds)) {
  console.log(
    `${b}: ${s.files} source files, ${s.functions} functions (${s.emptyFunctions} empty)` +
      (b === 'raw' || b.endsWith('-plain') ? '' : `, ${s.instrumented} instrumented`),
  );
}
for (const d of summary.differences)
  console.log(`DIFFERENCE ${d.run}: ${d.test}${d.tsPdbs === false ? " (fails without ts-pdb too: the compiler's)" : ''}`);
const ours = summary.differences.filter((d) => d.tsPdbs !== false);
console.log(ours.length ? `${ours.length} difference(s) caused by ts-pdb` : 'no difference caused by ts-pdb');
process.exitCode = ours.length ? 1 : 0;
