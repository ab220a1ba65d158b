// Memory (issue #7 item 6): errors thrown through instrumented functions and handled by the program,
// with debugging on, leave nothing behind. The capture attaches frame records to the thrown value
// (a WeakMap keyed by the error): once the program drops the error, the records and the locals they
// hold must go with it. A real program, built with every function instrumented, throws 100,000
// errors through four captured frames each under `node --expose-gc`; the heap after a full GC must
// not grow past a bound, and a local held only by a frame record must be collected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { scratch, writeBuild } from '../helpers/build.mjs';
import { collect, WAIT_MS } from '../helpers/socket.mjs';

const PROGRAM = `// required, not imported: a module that imports the runtime counts as instrumented already.
declare const require: (id: string) => typeof import('ts-pdb/capture');
const capture = require('ts-pdb/capture');

// Four frames per throw, each with a 64-item array among its locals: about 3 KB of records per
// error, kept alive by nothing but the records once the error is handled.
function parseRecord(text: string, depth: number): number {
  const fields = text.split(',');
  const scratch = new Array(64).fill(depth);
  if (depth === 0) throw new SyntaxError('bad record: ' + text);
  return parseRecord(text, depth - 1) + fields.length + scratch.length;
}

const kept: unknown[] = [];
function tryParse(text: string): number {
  try {
    return parseRecord(text, 3);
  } catch (e) {
    // The control run keeps what the capture recorded: the measurement must see that.
    if (process.env.KEEP_RECORDS) kept.push(capture.captureOf(e, false));
    return -1;
  }
}

const heap = (): number => {
  (globalThis as any).gc();
  (globalThis as any).gc();
  return process.memoryUsage().heapUsed;
};

// A local that only a frame record holds once the error is handled: it must be collected.
function holder(): never {
  const payload = { rows: new Array(1000).fill('row') };
  throw new Error('dropped');
}
function probe(): { ref: WeakRef<object>; captured: boolean } {
  try {
    holder();
  } catch (e) {
    const frames = capture.captureOf(e, false)?.frames ?? [];
    const payload = frames[0]?.values[0] as object;
    return { ref: new WeakRef(payload), captured: typeof payload === 'object' && Array.isArray((payload as any).rows) };
  }
  throw new Error('holder did not throw');
}

async function main() {
  const n = Number(process.env.ERRORS);
  // Warm up first: compiled code, inline caches and the module's parsed metadata are not a leak.
  for (let i = 0; i < 10_000; i++) tryParse('a,b,' + i);
  let sample: unknown;
  try { parseRecord('x,y', 3); } catch (e) { sample = e; }
  const framesPerError = capture.captureOf(sample, false)?.frames.length ?? 0;
  sample = undefined;
  const before = heap();
  for (let i = 0; i < n; i++) tryParse('a,b,' + i);
  const after = heap();

  const { ref, captured } = probe();
  let rounds = 0;
  // WeakRef targets live until the end of the current job: each round lets one end.
  while (ref.deref() !== undefined && rounds < 10) {
    rounds++;
    await new Promise((resolve) => setImmediate(resolve));
    heap();
  }
  console.log(JSON.stringify({ framesPerError, before, after, growth: after - before, captured, collected: ref.deref() === undefined, rounds }));
}
main();
`;

/**
 * Heap growth allowed for 100,000 handled errors: 8 MB, 80 bytes per error. One frame record kept
 * per error would be at least its 64-item array (about 530 bytes), and all four about 3 KB: a
 * retained record of any error shows as 50 MB or more, six times this bound and beyond. What remains
 * after a full GC without a leak is noise of well under 1 MB (the WeakMap's table, compiled code):
 * the bound leaves ample margin for another Node's allocator.
 */
const BOUND = 8 * 1024 * 1024;

const dir = scratch('memory-');
const js = writeBuild(dir, 'app', PROGRAM, { transform: { instrument: 'all' } });

/** Runs the built program under `node --expose-gc` with debugging on; resolves with its report. */
async function run(env) {
  const child = spawn(process.execPath, ['--expose-gc', js], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, IPDB_DEBUG: '1', CI: 'true', IPDB_MODE: '', ...env },
  });
  const out = collect(child.stdout, 'the program (stdout)', WAIT_MS * 3);
  const err = collect(child.stderr, 'the program (stderr)');
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0, `the program failed:\n${err.text.slice(-3000)}`);
  const line = (await out.until(/^\{.*\}$/m))[0];
  return JSON.parse(line);
}

test('100,000 errors handled with debugging on leave the heap flat; a local held by a frame record is collected', async () => {
  const r = await run({ ERRORS: '100000' });
  assert.equal(r.framesPerError, 4, 'debugging is on: every error carries its four frame records');
  assert.ok(r.growth < BOUND, `the heap grew by ${(r.growth / 1048576).toFixed(2)} MB over 100,000 errors (bound ${BOUND / 1048576} MB)`);
  assert.equal(r.captured, true, 'the payload was captured in the frame record');
  assert.equal(r.collected, true, `the payload held only by a frame record was not collected after ${r.rounds} GC rounds`);
});

test('control: the same measurement sees records that are kept (10,000 errors)', async () => {
  const r = await run({ ERRORS: '10000', KEEP_RECORDS: '1' });
  assert.equal(r.framesPerError, 4);
  // 10,000 errors' records kept: about 30 MB, well past the bound set for ten times as many errors.
  assert.ok(r.growth > BOUND, `keeping the records grew the heap by only ${(r.growth / 1048576).toFixed(2)} MB`);
});
