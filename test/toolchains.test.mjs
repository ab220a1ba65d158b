// The tool-chain matrix (issue #3), TypeScript and Babel rows: each row is a real mini-project under
// test/toolchains/<row>/ with its own package.json and package-lock.json, depending on this
// checkout through `"ts-pdb": "file:../../.."` (a link). Each test runs the row's real build (tspc,
// webpack + ts-loader, jest + ts-jest, @babel/cli and jest + babel-jest with Babel 7 and with Babel
// 8) and its program with IPDB_DEBUG=1 and no terminal (CI=true,
// stdio pipes), and checks what a user would: the report on stderr names `checkout` at its original
// TypeScript line with its locals and their values, the marked caller is there too, and the process
// ends with the original error (exit code 1, the message, its stack).
//
// The rows are installed by .ci/run (`npm ci` in each test/toolchains/*/ after the root's); without
// an install, a row is skipped here, and fails under CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROWS = path.join(ROOT, 'test', 'toolchains');
const BUILD_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 30_000;

/** The environment of every command: debugging on, no terminal, no colours, no inherited ts-pdb switches. */
function rowEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(IPDB_|TS_PDB_)/.test(k) && k !== 'NODE_OPTIONS' && k !== 'FORCE_COLOR') env[k] = v;
  }
  return { ...env, CI: 'true', IPDB_DEBUG: '1', NO_COLOR: '1', FORCE_COLOR: '0' };
}

/**
 * Runs `node <script> ...args` in `cwd` with stdio pipes (stdin closed at once). Resolves with the
 * exit code, the output and the time taken; rejects on timeout with everything seen until then.
 */
function runNode(script, args, { cwd, timeout }) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env: rowEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s) => {
      stderr += s;
    });
    const what = `node ${path.relative(cwd, script)} ${args.join(' ')} (in ${path.relative(ROOT, cwd)})`;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not end within ${timeout} ms\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
    }, timeout);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ what, code, signal, stdout, stderr: stderr.replace(/\x1b\[[0-9;]*m/g, ''), ms: Date.now() - started });
    });
  });
}

/** A command's result as text, for assertion messages. */
function seen(r) {
  return `${r.what}: exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** The file of a package's bin `name`, in the row's node_modules. */
function binOf(dir, pkg, name) {
  const pkgDir = path.join(dir, 'node_modules', pkg);
  const { bin } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  return path.join(pkgDir, typeof bin === 'string' ? bin : bin[name]);
}

/** 1-based line of the first line of `file` containing `text` (the sources may be edited; the test follows). */
function lineOf(file, text) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${file} contains ${text}`);
  return i + 1;
}

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The row's folder, installed and linked to this checkout; undefined (the test skipped) when the
 * row is not installed outside CI.
 */
function installedRow(t, row) {
  const dir = path.join(ROWS, row);
  const link = path.join(dir, 'node_modules', 'ts-pdb');
  if (!fs.existsSync(link)) {
    const msg = `test/toolchains/${row} is not installed: run \`npm ci --no-audit --no-fund --install-links=false --ignore-scripts\` in it (.ci/run does)`;
    if (process.env.CI) assert.fail(msg);
    t.skip(msg);
    return undefined;
  }
  assert.equal(fs.realpathSync(link), fs.realpathSync(ROOT), `${row}: node_modules/ts-pdb is a link to this checkout`);
  return dir;
}

/**
 * Checks the report of a run of a row's program: checkout's frame at the throw with its locals,
 * Shop.pay's frame (marked too) at the call, the error last; then the original error, unchanged.
 */
function assertReport(r, { row, file, source, nodePrintsError = true }) {
  const callerName = 'Shop.pay';
  const { stderr } = r;
  const throwLine = lineOf(source, 'if (over > 0) throw new RangeError');
  const callLine = lineOf(source, 'return checkout(basket, budget);');
  const message = `RangeError: over budget by 2 (${row})`;
  assert.equal(r.code, 1, `exit code 1 (the original error, uncaught)\n${seen(r)}`);
  assert.match(stderr, /^Exception caught in checkout:$/m, seen(r));
  // The frame of the throw, in TypeScript: the line, its text, and every local with its value.
  const checkoutFrame = `\
  File "${file}", line ${throwLine}, in checkout
    if (over > 0) throw new RangeError(\`over budget by \${over} (${row})\`);
      items = [ { name: 'tea', price: 4, qty: 3 } ]
      budget = 10
      total = 12
      over = 2
${message}
`;
  const at = stderr.indexOf(checkoutFrame);
  assert.ok(at >= 0, `checkout's frame at ${file}:${throwLine} with its locals, then the error\n${seen(r)}`);
  // Its caller, a marked method, at the call (older frames come first, as in a Python traceback).
  const callerFrame = new RegExp(
    `^  File "${escape(file)}", line ${callLine}, in ${escape(callerName)}\\n    return checkout\\(basket, budget\\);$`,
    'm',
  );
  const callerAt = stderr.search(callerFrame);
  assert.ok(callerAt >= 0 && callerAt < at, `${callerName}'s frame at ${file}:${callLine}, before checkout's\n${seen(r)}`);
  // After the report, the same error goes on: uncaught, Node prints it with its stack.
  if (nodePrintsError) {
    const after = stderr.slice(at + checkoutFrame.length);
    assert.match(after, new RegExp(`${escape(message)}\\n\\s+at checkout \\(`), `the original error, after the report\n${seen(r)}`);
  }
  assert.doesNotMatch(stderr, /ts-pdb: internal fault/, seen(r));
}

/** A tspc row: build with the row's tspc and tsconfig plugins, run dist/app.js. */
async function tspcRow(t, row) {
  const dir = installedRow(t, row);
  if (!dir) return;
  fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
  const build = await runNode(binOf(dir, 'ts-patch', 'tspc'), ['-p', 'tsconfig.json'], { cwd: dir, timeout: BUILD_TIMEOUT_MS });
  assert.equal(build.code, 0, `tspc builds the row\n${seen(build)}`);
  const out = fs.readFileSync(path.join(dir, 'dist', 'app.js'), 'utf8');
  assert.match(out, /ts-pdb\/capture/, 'the output is instrumented');
  const run = await runNode(path.join(dir, 'dist', 'app.js'), [], { cwd: dir, timeout: RUN_TIMEOUT_MS });
  assertReport(run, { row, file: 'src/app.ts', source: path.join(dir, 'src', 'app.ts') });
  t.diagnostic(`${row}: tspc ${build.ms} ms, run ${run.ms} ms`);
  return out;
}

test('tspc-ts5: TypeScript 5 + ts-patch 3, tsconfig plugins, CommonJS: the report has the locals at the TypeScript line', async (t) => {
  const out = await tspcRow(t, 'tspc-ts5');
  if (out !== undefined) assert.match(out, /require\("ts-pdb\/capture"\)/, 'CommonJS output');
});

test('tspc-ts6-esm: TypeScript 6 + ts-patch 4, tsconfig plugins, ES modules: the report has the locals at the TypeScript line', async (t) => {
  const out = await tspcRow(t, 'tspc-ts6-esm');
  if (out !== undefined) assert.match(out, /^import \* as __tsPdb from "ts-pdb\/capture";$/m, 'ES module output');
});

/** Builds the ts-loader row with webpack and a config; returns the bundle's path. */
async function webpackBuild(t, dir, config) {
  const build = await runNode(binOf(dir, 'webpack-cli', 'webpack-cli'), ['-c', config], { cwd: dir, timeout: BUILD_TIMEOUT_MS });
  assert.equal(build.code, 0, `webpack builds the row\n${seen(build)}`);
  t.diagnostic(`ts-loader: webpack -c ${config} ${build.ms} ms`);
  return build;
}

test('ts-loader: webpack + ts-loader getCustomTransformers, target node: the bundle reports the locals at the TypeScript line', async (t) => {
  const dir = installedRow(t, 'ts-loader');
  if (!dir) return;
  fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
  await webpackBuild(t, dir, 'webpack.config.js');
  const run = await runNode(path.join(dir, 'dist', 'bundle.js'), [], { cwd: dir, timeout: RUN_TIMEOUT_MS });
  // Sources in webpack's maps are webpack:// URLs (its default devtoolModuleFilenameTemplate).
  assertReport(run, { row: 'ts-loader', file: 'webpack://ts-pdb-toolchain-ts-loader/src/app.ts', source: path.join(dir, 'src', 'app.ts') });
  t.diagnostic(`ts-loader: run ${run.ms} ms`);
});

// Bundled, the report is right (the console, in a terminal: test/e2e/bundled-console.test.mjs).
test('ts-loader with ts-pdb bundled into the output (no externals): the report is right', async (t) => {
  const dir = installedRow(t, 'ts-loader');
  if (!dir) return;
  await webpackBuild(t, dir, 'webpack.bundled.config.js');
  const run = await runNode(path.join(dir, 'dist', 'bundle-inlined.js'), [], { cwd: dir, timeout: RUN_TIMEOUT_MS });
  t.diagnostic(`ts-loader (bundled): run ${run.ms} ms`);
  assertReport(run, { row: 'ts-loader', file: 'webpack://ts-pdb-toolchain-ts-loader/src/app.ts', source: path.join(dir, 'src', 'app.ts') });
});

test('ts-jest: astTransformers with path ts-pdb/transformer: a failing test reports the locals at the TypeScript line and fails with the error', async (t) => {
  const dir = installedRow(t, 'ts-jest');
  if (!dir) return;
  // --no-cache: the transform runs every time (a cached transform would not exercise it).
  const run = await runNode(binOf(dir, 'jest', 'jest'), ['--no-cache'], { cwd: dir, timeout: BUILD_TIMEOUT_MS });
  assertReport(run, { row: 'ts-jest', file: 'src/checkout.ts', source: path.join(dir, 'src', 'checkout.ts'), nodePrintsError: false });
  // Jest's own verdict: the test failed with the original error, at its TypeScript line.
  const throwLine = lineOf(path.join(dir, 'src', 'checkout.ts'), 'if (over > 0) throw new RangeError');
  assert.match(run.stderr, /● the shop pays within its budget\n\n\s+RangeError: over budget by 2 \(ts-jest\)/, seen(run));
  assert.match(run.stderr, new RegExp(`at checkout \\(src/checkout\\.ts:${throwLine}:\\d+\\)`), seen(run));
  assert.match(run.stderr, /^Tests:\s+1 failed, 1 total$/m, seen(run));
  t.diagnostic(`ts-jest: jest ${run.ms} ms`);
});

/**
 * The version of `pkg` that code in `from` (a package of the row) resolves, e.g. the @babel/core
 * babel-jest loads: the row must really run the Babel it names.
 */
function versionSeenBy(dir, from, pkg) {
  const req = createRequire(fs.realpathSync(path.join(dir, 'node_modules', from, 'package.json')));
  return JSON.parse(fs.readFileSync(req.resolve(`${pkg}/package.json`), 'utf8')).version;
}

/**
 * A Babel row (babel.config.json: preset-typescript, ts-pdb/babel, modules-commonjs, sourceMaps):
 * built by its @babel/cli into dist/, then `node dist/app.js`.
 */
async function babelCliRow(t, row, major) {
  const dir = installedRow(t, row);
  if (!dir) return;
  assert.equal(
    versionSeenBy(dir, '@babel/cli', '@babel/core').split('.')[0],
    String(major),
    `${row}: @babel/cli runs @babel/core ${major}`,
  );
  fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
  const build = await runNode(binOf(dir, '@babel/cli', 'babel'), ['src', '--out-dir', 'dist', '--extensions', '.ts'], {
    cwd: dir,
    timeout: BUILD_TIMEOUT_MS,
  });
  assert.equal(build.code, 0, `@babel/cli builds the row\n${seen(build)}`);
  const out = fs.readFileSync(path.join(dir, 'dist', 'checkout.js'), 'utf8');
  assert.match(out, /require\("ts-pdb\/capture"\)/, 'the output is instrumented, CommonJS');
  // "sourceMaps": true in babel.config.json is enough for @babel/cli to write the maps (no --source-maps).
  assert.match(out, /\n\/\/# sourceMappingURL=checkout\.js\.map\n?$/, 'the output points to its source map');
  assert.ok(fs.existsSync(path.join(dir, 'dist', 'checkout.js.map')), 'the source map is written');
  const run = await runNode(path.join(dir, 'dist', 'app.js'), [], { cwd: dir, timeout: RUN_TIMEOUT_MS });
  assertReport(run, { row, file: 'src/checkout.ts', source: path.join(dir, 'src', 'checkout.ts') });
  t.diagnostic(`${row}: babel (@babel/core ${versionSeenBy(dir, '@babel/cli', '@babel/core')}) ${build.ms} ms, run ${run.ms} ms`);
}

/**
 * A Babel row under jest: babel-jest transforms src/ and test/ with babel.config.json, the one test
 * fails on purpose.
 */
async function babelJestRow(t, row, major) {
  const dir = installedRow(t, row);
  if (!dir) return undefined;
  assert.equal(
    versionSeenBy(dir, 'babel-jest', '@babel/core').split('.')[0],
    String(major),
    `${row}: babel-jest runs @babel/core ${major}`,
  );
  // --no-cache: the transform runs every time (a cached transform would not exercise it).
  const run = await runNode(binOf(dir, 'jest', 'jest'), ['--no-cache'], { cwd: dir, timeout: BUILD_TIMEOUT_MS });
  const source = path.join(dir, 'src', 'checkout.ts');
  assertReport(run, { row, file: 'src/checkout.ts', source, nodePrintsError: false });
  // Jest's own verdict: the test failed with the original error, at its TypeScript line.
  const throwLine = lineOf(source, 'if (over > 0) throw new RangeError');
  assert.match(run.stderr, new RegExp(`● the shop pays within its budget\\n\\n\\s+RangeError: over budget by 2 \\(${row}\\)`), seen(run));
  assert.match(run.stderr, new RegExp(`at checkout \\(src/checkout\\.ts:${throwLine}:\\d+\\)`), seen(run));
  assert.match(run.stderr, /^Tests:\s+1 failed, 1 total$/m, seen(run));
  t.diagnostic(`${row}: jest + babel-jest (@babel/core ${versionSeenBy(dir, 'babel-jest', '@babel/core')}) ${run.ms} ms`);
  return run;
}

test('babel7: @babel/cli 7 with ts-pdb/babel and sourceMaps in babel.config.json: the report has the locals at the TypeScript line', async (t) => {
  await babelCliRow(t, 'babel7', 7);
});

// Babel 7 writes every identifier into its source maps' `names`; Jest's stack rewriting (its
// source-map-support) then names a frame after the identifier at the call it stopped at: Jest
// itself prints `at Shop.checkout [as pay]`. The report names the marked caller from its record's
// function all the same (its locals are captured only later, on the way out). Babel 8 writes no
// `names`.
test('babel7: jest 30 + babel-jest with Babel 7: a failing test reports the locals at the TypeScript line and fails with the error', async (t) => {
  await babelJestRow(t, 'babel7', 7);
});

test('babel8: @babel/cli 8 with ts-pdb/babel and sourceMaps in babel.config.json: the report has the locals at the TypeScript line', async (t) => {
  await babelCliRow(t, 'babel8', 8);
});

test('babel8: jest 30 + babel-jest with Babel 8: a failing test reports the locals at the TypeScript line and fails with the error', async (t) => {
  await babelJestRow(t, 'babel8', 8);
});

// TypeScript 7 (the Go compiler) has no compiler API: `tsc` type-checks the program against
// ts-pdb's published types, and `ts-pdb run` (no build step) compiles it with the project's Babel.
test('ts7-run: TypeScript 7 type-checks against the published types; ts-pdb run compiles with Babel: the report has the locals at the TypeScript line', async (t) => {
  const dir = installedRow(t, 'ts7-run');
  if (!dir) return;
  const tsVersion = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'typescript', 'package.json'), 'utf8')).version;
  assert.equal(tsVersion.split('.')[0], '7', 'the row has TypeScript 7');
  const check = await runNode(binOf(dir, 'typescript', 'tsc'), ['-p', 'tsconfig.json'], { cwd: dir, timeout: BUILD_TIMEOUT_MS });
  assert.equal(check.code, 0, `tsc 7 type-checks the row\n${seen(check)}`);
  const run = await runNode(path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js'), ['run', 'src/app.ts'], {
    cwd: dir,
    timeout: RUN_TIMEOUT_MS,
  });
  assertReport(run, { row: 'ts7-run', file: 'src/checkout.ts', source: path.join(dir, 'src', 'checkout.ts') });
  t.diagnostic(`ts7-run: tsc ${check.ms} ms, ts-pdb run ${run.ms} ms`);
});
