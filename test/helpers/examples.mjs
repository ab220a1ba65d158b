/**
 * What the tests of examples/<name>/ share (test/e2e/examples-*.test.mjs).
 *
 * Each example is a user's project with its own package.json and package-lock.json, depending on
 * this checkout through `"ts-pdb": "file:../.."` (a link with `--install-links=false`). The tests
 * install nothing: .ci/run installs every example from its lockfile after the root's `npm ci`.
 * Without an install, a test is skipped, and fails under CI=true.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLES = path.join(ROOT, 'examples');

/**
 * The example's folder, installed and linked to this checkout; undefined (the test skipped) when
 * it is not installed outside CI.
 * @param {import('node:test').TestContext} t
 * @param {string} name the folder under examples/
 */
export function installedExample(t, name) {
  const dir = path.join(EXAMPLES, name);
  const link = path.join(dir, 'node_modules', 'ts-pdb');
  if (!fs.existsSync(link)) {
    const msg = `examples/${name} is not installed: run \`npm ci --no-audit --no-fund --install-links=false --ignore-scripts\` in it (.ci/run does)`;
    if (process.env.CI) assert.fail(msg);
    t.skip(msg);
    return undefined;
  }
  assert.equal(fs.realpathSync(link), fs.realpathSync(ROOT), `examples/${name}: node_modules/ts-pdb is a link to this checkout`);
  return dir;
}

/** The example's package.json. */
export function packageOf(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

/** The file of a package's bin `name`, in the example's node_modules. */
export function binOf(dir, pkg, name) {
  const pkgDir = path.join(dir, 'node_modules', pkg);
  const { bin } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  return path.join(pkgDir, typeof bin === 'string' ? bin : bin[name]);
}

/** 1-based line of the first line of `file` containing `text` (the sources may be edited; the test follows). */
export function lineOf(file, text) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${file} contains ${text}`);
  return i + 1;
}

export function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The process environment without the switches a developer's shell may have set (ts-pdb's own,
 * NODE_OPTIONS, colours, CI), plus `extra`. For {@link runNode}, and for a PTY's `env` (where the
 * removed names are passed as undefined).
 */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(IPDB_|TS_PDB_)/.test(k) && !['NODE_OPTIONS', 'FORCE_COLOR', 'CI'].includes(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

/** {@link cleanEnv} as an overlay for test/helpers/pty.mjs: removed names map to undefined. */
export function ptyEnv(extra = {}) {
  const env = cleanEnv(extra);
  for (const k of Object.keys(process.env)) if (!(k in env)) env[k] = undefined;
  return env;
}

/** A scratch folder under .tmp/ (git-ignored), removed when the test ends. */
export function scratch(t, prefix) {
  const base = path.join(ROOT, '.tmp');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Runs `node <script> ...args` in `cwd` with stdio pipes (stdin closed at once), so there is no
 * terminal. Resolves with the exit code, the output and the time taken; rejects on timeout with
 * everything seen until then.
 */
export function runNode(script, args, { cwd, env, timeout }) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
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
export function seen(r) {
  return `${r.what}: exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}
