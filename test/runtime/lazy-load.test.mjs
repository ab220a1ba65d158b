// The runtime stays small (issue): an instrumented program loads the capture runtime only. With
// debugging off it never loads session code (runtime/engine, render, front-ends: the session's
// opener, the engine, its commands, the console), even when errors leave its marked functions; with debugging on it loads none
// while no error leaves a marked function; and never TypeScript or Babel. Real child processes
// with a Module._load hook that records every request and resolved file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, scratch, writeBuild } from '../helpers/build.mjs';

/** Session code: loaded on the first session only (the engine, rendering, the session's opener and its front-ends). */
const SESSION_CODE = /[\\/]dist[\\/]runtime[\\/](engine|render|front-ends)[\\/]/;
/** Compilers: never at run time. */
const COMPILERS = /[\\/]node_modules[\\/](typescript|@babel[\\/][^\\/]+)[\\/]/;
const COMPILER_REQUESTS = /^(typescript|@babel\/)/;

// Marked functions (a decorator and a comment), instrument-all functions, errors thrown and caught
// on the way: sync, through a boundary, a thrown primitive, async rejections, a generator.
const PROGRAM = `
import { attachOnError } from 'ts-pdb';

class Validator {
  constructor(private readonly max: number) {}

  @attachOnError()
  check(value: number): number {
    const limit = this.max;
    if (value > limit) throw new RangeError(\`\${value} > \${limit}\`);
    return value * 2;
  }
}

// @debuggable
function parseAll(texts: string[]): number[] {
  const out: number[] = [];
  for (const t of texts) {
    const n = Number(t);
    if (Number.isNaN(n)) throw new SyntaxError('not a number: ' + t);
    out.push(n);
  }
  return out;
}

function deep(level: number): number {
  const here = level;
  if (level === 0) throw new Error('bottom');
  return deep(level - 1) + here;
}

function throwsPrimitive(): never {
  throw 'a string';
}

async function fetchValue(key: string): Promise<number> {
  await Promise.resolve();
  if (key === 'missing') throw new Error('no ' + key);
  return key.length;
}

// @debuggable
async function handler(keys: string[]): Promise<number> {
  let total = 0;
  for (const k of keys) total += await fetchValue(k);
  return total;
}

function* numbers(limit: number): Generator<number> {
  for (let i = 0; i < limit; i++) {
    if (i === 3) throw new TypeError('three');
    yield i;
  }
}

function attempt(label: string, fn: () => unknown): void {
  try {
    console.log(label, 'ok', fn());
  } catch (e) {
    console.log(label, 'caught', e instanceof Error ? \`\${e.name}: \${e.message}\` : String(e));
  }
}

async function main(mode: string): Promise<void> {
  const v = new Validator(10);
  attempt('inner-deep', () => deep(5));
  attempt('inner-primitive', () => throwsPrimitive());
  attempt('inner-generator', () => [...numbers(10)]);
  attempt('ok-check', () => v.check(4));
  attempt('ok-parse', () => parseAll(['1', '2']).join(','));
  try { await fetchValue('missing'); } catch (e) { console.log('inner-async caught', (e as Error).message); }
  console.log('ok-handler', await handler(['ab', 'cde']));
  if (mode === 'boundaries') {
    attempt('boundary-check', () => v.check(11));
    attempt('boundary-parse', () => parseAll(['1', 'x']));
    try { await handler(['a', 'missing']); } catch (e) { console.log('boundary-async caught', (e as Error).message); }
  }
  console.log('done');
}

main(process.argv[2] ?? 'boundaries').catch((e) => { console.log('main failed', e); process.exitCode = 3; });
`;

const EXPECTED_INNER = [
  'inner-deep caught Error: bottom',
  'inner-primitive caught a string',
  'inner-generator caught TypeError: three',
  'ok-check ok 8',
  'ok-parse ok 1,2',
  'inner-async caught no missing',
  'ok-handler 5',
];
const EXPECTED_BOUNDARIES = [
  ...EXPECTED_INNER,
  'boundary-check caught RangeError: 11 > 10',
  'boundary-parse caught SyntaxError: not a number: x',
  'boundary-async caught no missing',
];

// Preloaded with --require: records every Module._load request and the file it resolves to, and
// at exit writes them with require.cache's keys to LAZY_LOG (never to stdout: the program's output
// is compared). With LAZY_BLOCK_SESSION=1 it refuses to load session code (the positive control).
const HOOK = `'use strict';
const Module = require('module');
const fs = require('fs');
const SESSION = ${SESSION_CODE};
const requests = [];
const original = Module._load;
Module._load = function (request, parent, isMain) {
  let file;
  try { file = Module._resolveFilename(request, parent, isMain); } catch { file = null; }
  requests.push({ request, file });
  if (process.env.LAZY_BLOCK_SESSION === '1' && file && SESSION.test(file)) {
    throw new Error('lazy-load test: session code blocked: ' + file);
  }
  return original.apply(this, arguments);
};
process.on('exit', () => {
  fs.writeFileSync(process.env.LAZY_LOG, JSON.stringify({ requests, files: Object.keys(require.cache) }));
});
`;

const dir = scratch('lazy-load-');
const hookPath = join(dir, 'hook.cjs');
writeFileSync(hookPath, HOOK);
const instrPath = writeBuild(dir, 'program.instr', PROGRAM, { transform: { instrument: 'all' } });
const plainPath = writeBuild(dir, 'program.plain', PROGRAM, { transform: false });

/** Runs a built program in a child process with the hook; resolves when it has exited. */
function runProgram(path, { debug, mode = 'boundaries', block = false, tag }) {
  const log = join(dir, `${tag}.log.json`);
  const env = { ...process.env, LAZY_LOG: log, LAZY_BLOCK_SESSION: block ? '1' : '0' };
  delete env.IPDB_MODE;
  delete env.NODE_OPTIONS;
  if (debug) env.IPDB_DEBUG = '1';
  else delete env.IPDB_DEBUG;
  return new Promise((resolve, reject) => {
    // stdin ignored and no terminal: a session, if one opened, could not wait for a user.
    const child = spawn(process.execPath, ['--require', hookPath, path, mode], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      let loaded;
      try {
        loaded = JSON.parse(readFileSync(log, 'utf8'));
      } catch {
        loaded = { requests: [], files: [] };
      }
      resolve({ code, signal, stdout, stderr, ...loaded });
    });
  });
}

const rel = (files) => files.map((f) => (f && f.startsWith(ROOT) ? relative(ROOT, f) : f));
const lines = (s) => s.trim().split('\n');

function assertNoSessionCode(r, what) {
  const files = [...r.files, ...r.requests.map((q) => q.file).filter(Boolean)];
  const report = `\nloaded: ${rel(r.files).join(', ')}\nstderr: ${r.stderr}`;
  assert.deepEqual(rel(files.filter((f) => SESSION_CODE.test(f))), [], `${what}: session code loaded${report}`);
  assert.deepEqual(rel(files.filter((f) => COMPILERS.test(f))), [], `${what}: a compiler loaded${report}`);
  assert.deepEqual(
    r.requests.filter((q) => COMPILER_REQUESTS.test(q.request)).map((q) => q.request),
    [],
    `${what}: a compiler was asked for${report}`,
  );
}

test('the instrumented build imports the capture runtime, has boundaries, and no marker import', () => {
  const code = readFileSync(instrPath, 'utf8');
  assert.match(code, /require\("ts-pdb\/capture"\)/);
  assert.match(code, /switch \(__tsPdb\.B\(/, 'marked functions are boundaries (that can return or retry in place of the error)');
  assert.match(code, /__tsPdb\.f\(/, 'instrument: "all" captures the other functions');
  assert.doesNotMatch(code, /require\("ts-pdb"\)/, 'the marker import is removed');
});

test('the plain build prints the expected output', async () => {
  const r = await runProgram(plainPath, { debug: false, tag: 'plain' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lines(r.stdout), [...EXPECTED_BOUNDARIES, 'done']);
});

test('debugging off: errors through marked functions load no session code and no compiler', async () => {
  const r = await runProgram(instrPath, { debug: false, tag: 'off' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(lines(r.stdout), [...EXPECTED_BOUNDARIES, 'done']);
  const loaded = rel(r.files);
  assert.ok(loaded.includes('dist/runtime/capture.js'), `the capture runtime is loaded: ${loaded.join(', ')}`);
  // The runtime the program loads: nothing of ts-pdb but capture.js.
  const ours = loaded.filter((f) => f.startsWith('dist/'));
  // One file: the switches and the store of frames live in capture.js (each file costs ~0.5 ms at startup).
  assert.deepEqual(ours.sort(), ['dist/runtime/capture.js']);
  assertNoSessionCode(r, 'debugging off');
});

test('debugging on, no error leaves a marked function: no session code either', async () => {
  const r = await runProgram(instrPath, { debug: true, mode: 'inner', tag: 'on-inner' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(lines(r.stdout), [...EXPECTED_INNER, 'done']);
  assertNoSessionCode(r, 'debugging on, errors caught inside');
});

test('positive control: debugging on, an error leaves a marked function: the hook sees open-session requested', async () => {
  // The hook refuses the session code, so that no session waits for a user; the capture reports
  // an internal fault on stderr and the program's own error goes on unchanged.
  const r = await runProgram(instrPath, { debug: true, block: true, tag: 'on-blocked' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lines(r.stdout), [...EXPECTED_BOUNDARIES, 'done']);
  const asked = r.requests.filter((q) => q.file && SESSION_CODE.test(q.file)).map((q) => relative(ROOT, q.file));
  assert.ok(
    asked.includes('dist/runtime/front-ends/open-session.js'),
    `open-session was requested: ${rel(r.requests.map((q) => q.file)).join(', ')}`,
  );
  assert.match(r.stderr, /session code blocked/);
});
