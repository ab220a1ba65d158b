// The hostile values of docs/CONFORMANCE.md §4 through a snapshot (issue #11: "bounded, nothing of
// the program run"). A real program, compiled from TypeScript with the ts-pdb transformer, throws
// from a marked function whose locals are getters with side effects, Proxies whose traps count and
// throw (or count and answer), a revoked Proxy, objects whose toString, valueOf, toJSON,
// Symbol.toPrimitive and [util.inspect.custom] count their calls, Map and Set subclasses with
// counting getters and iterators, a million-element array, a 10 MB string, a Map of 100,000
// entries, 100,000 keys, 100,000 levels of nesting and cycles. Its snapshot is taken and written
// within the size budget (IPDB_DUMP_MAX_MB) with every counter of the program still 0; a session
// on the file runs none of it either and shows what docs/snapshot-design.md says ("Reading and
// opening", "What the issue leaves open"); and `ts-pdb open FILE` shows it on a real terminal.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { gunzipSync } from 'node:zlib';
import { scratch, writeBuild } from '../helpers/build.mjs';
import { spawnNode } from '../helpers/pty.mjs';
import { capture, LiveFrameSource, ROOT, Session, thrownBy, transcriptOf } from '../transcripts/harness.mjs';
import { NO_REDACTION, reader, SnapshotFrameSource, takeSnapshot, writer } from './helpers.mjs';

const APP = `import { inspect } from 'node:util';
/** What the program's own code did: each getter, trap, hook, conversion and iterator counts its calls. */
export const work = { getters: 0, traps: 0, hooks: 0, conversions: 0, iterators: 0 };
const boom = (what: string): never => { throw new Error(what + ' ran'); };

export class Registry extends Map<string, number> {
  get size(): number { work.getters++; return boom('size getter'); }
  get [Symbol.toStringTag](): string { work.getters++; return boom('toStringTag getter'); }
  [Symbol.iterator](): any { work.iterators++; return boom('iterator'); }
  entries(): any { work.iterators++; return boom('entries'); }
}
class Tags extends Set<string> {
  get size(): number { work.getters++; return boom('size getter'); }
  values(): any { work.iterators++; return boom('values'); }
}
class Vault { #secret = 42; visible = 'yes'; peek() { return this.#secret; } }
class Account { id = 7; get balance(): number { work.getters++; return 100; } }
export const liar = {
  visible: 1,
  toString() { work.conversions++; return boom('toString'); },
  valueOf() { work.conversions++; return boom('valueOf'); },
  toJSON() { work.conversions++; return boom('toJSON'); },
  [Symbol.toPrimitive]() { work.conversions++; return boom('toPrimitive'); },
  [inspect.custom]() { work.hooks++; return 'LIAR'; },
  get [Symbol.toStringTag]() { work.getters++; return boom('toStringTag getter'); },
  get constructor() { work.getters++; return boom('constructor getter'); },
};
// Each element of the big array shows itself through this hook live: here it must never run.
const element = { [inspect.custom]() { work.hooks++; return 'el'; } };
const TRAPS = ['get', 'set', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'setPrototypeOf',
  'defineProperty', 'deleteProperty', 'apply', 'construct', 'isExtensible', 'preventExtensions'];
const throwing: ProxyHandler<any> = {};
const answering: ProxyHandler<any> = {};
for (const trap of TRAPS) {
  (throwing as any)[trap] = () => { work.traps++; return boom(trap + ' trap'); };
  (answering as any)[trap] = (target: any, ...rest: any[]) => { work.traps++; return (Reflect as any)[trap](target, ...rest); };
}

export let thrown: unknown;
export function hostile(reg: Registry, liar: object) {
  const bad = { ok: 1, get counted() { work.getters++; return 1; }, get boom() { work.getters++; return boom('getter'); } };
  const prox = new Proxy({ inside: 1 }, throwing);
  const quiet = new Proxy({ inside: 2 }, answering);
  const fnProx = new Proxy(function target() {}, throwing);
  const { proxy: revoked, revoke } = Proxy.revocable({}, {}); revoke();
  const tags = new Tags(['x']);
  const priv = new Vault();
  const acct = new Account();
  const hooked = { data: 1, [inspect.custom]() { work.hooks++; return 'HOOKED'; } };
  const big = new Array(1_000_000).fill(element);
  const huge = 'x'.repeat(10 * 1024 * 1024);
  const bigMap = new Map<number, { i: number }>(); for (let i = 0; i < 100_000; i++) bigMap.set(i, { i });
  const typed = new Float64Array(1_000_000);
  const many: Record<string, number> = {}; for (let i = 0; i < 100_000; i++) many['k' + i] = i;
  let deep: any = { leaf: true }; for (let i = 0; i < 100_000; i++) deep = { d: deep };
  const cyc: any = { name: 'cyc' }; cyc.self = cyc;
  const ring: any[] = [liar]; ring.push(ring);
  const promise = Promise.resolve(1);
  const weak = new WeakMap([[priv, 1]]);
  const load = async function load() { work.conversions++; };
  const err = new Error('hostile values', { cause: prox });
  Object.defineProperty(err, 'details', { value: liar, enumerable: true });
  thrown = err;
  throw err;
}
`;

// Every function instrumented, none a boundary: the test takes the snapshot where a session would open.
const app = createRequire(import.meta.url)(writeBuild(scratch('snapshot-hostile-'), 'app', APP, { transform: { instrument: 'all' } }));
const MB = 1024 * 1024;
/** The prompt of a snapshot of rank 0 with no world size (a lone process): `ipdb> `, or the rank's. */
const PROMPT = /(?:ipdb>|\(rank-0-pdb\)) $/;

/** Sets every counter of the program back to 0: what runs from now on is ts-pdb's doing. */
function resetWork() {
  for (const k of Object.keys(app.work)) app.work[k] = 0;
}
const ZERO = { getters: 0, traps: 0, hooks: 0, conversions: 0, iterators: 0 };

/** The program's error, thrown and captured as in a run: the live frame source. */
async function liveError() {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  try {
    const err = await thrownBy(() =>
      app.hostile(
        new app.Registry([
          ['a', 1],
          ['b', 2],
        ]),
        app.liar,
      ),
    );
    assert.equal(err, app.thrown);
    return new LiveFrameSource(err, capture.captureOf(err, false));
  } finally {
    Error.stackTraceLimit = saved;
  }
}

/** Takes and writes the snapshot with a budget of `mb` MB (IPDB_DUMP_MAX_MB), and reads it back. */
function takeAndWrite(live, mb) {
  const started = performance.now();
  const snapshot = takeSnapshot(live, { rank: 0, tsPdb: '0.1.0' }, NO_REDACTION, { maxBytes: mb * MB });
  const w = writer.writeSnapshot(snapshot, join(fs.mkdtempSync(join(tmpdir(), 'ts-pdb-hostile-')), 'ts-pdb-dumps'));
  const ms = performance.now() - started;
  assert.ok(w.ok, w.error);
  const json = gunzipSync(fs.readFileSync(w.path));
  return { file: w.path, json, ms, budget: snapshot.budget };
}

const live = await liveError();
resetWork();
const taken = { 5: takeAndWrite(live, 5), 0.2: takeAndWrite(live, 0.2) };
const workWhileTaking = { ...app.work };

test('taking and writing the snapshot runs none of the program (every counter 0) and stays within the size budget', (t) => {
  assert.deepEqual(workWhileTaking, ZERO, 'no getter, trap, hook, conversion or iterator of the program ran');
  for (const [mb, { json, ms, budget }] of Object.entries(taken)) {
    t.diagnostic(`IPDB_DUMP_MAX_MB=${mb}: ${json.length} bytes of JSON in ${Math.round(ms)} ms, ${JSON.stringify(budget)}`);
    assert.ok(json.length <= Number(mb) * MB, `${json.length} bytes of JSON, within ${mb} MB`);
  }
  assert.ok(taken[0.2].budget.cutSize > 0, 'the small budget cut values');
  assert.equal(taken[5].budget.cutSize, 0, 'the default budget holds every value at its breadth and depth');
  assert.ok(taken[5].budget.cutBreadth >= 4 && taken[5].budget.cutDepth >= 1 && taken[5].budget.cutStrings >= 1);
});

/** A session on the snapshot file, as `ts-pdb open` makes it: the transcript of `commands`. */
function sessionOnFile(file, commands) {
  const r = reader.readSnapshot(file);
  assert.ok(r.ok, r.error);
  return transcriptOf(new Session(new SnapshotFrameSource(r.snapshot), {}), [...commands, 'q']).text;
}

const LOCALS = ['reg', 'liar', 'bad', 'prox', 'quiet', 'fnProx', 'revoked', 'tags', 'priv', 'hooked', 'big', 'huge', 'bigMap', 'typed'];
const MORE = ['many', 'deep', 'cyc', 'ring', 'promise', 'weak', 'load', 'acct'];

test('a session on the file runs none of the program either, whatever it shows, and shows what the design says', () => {
  resetWork();
  const all = [...LOCALS, ...MORE].flatMap((n) => [`p ${n}`, `pp ${n}`, `whatis ${n}`, `inspect ${n} Infinity`, `display ${n}`]);
  const text = sessionOnFile(taken[5].file, [
    ...all,
    'a',
    'p locals()',
    'pp locals()',
    'w',
    'exceptions',
    'exceptions 1',
    'w',
    'exceptions 0',
    'p bad.counted',
    'p bad.boom',
    'p prox.inside',
    'p String(liar)',
    'p liar + 1',
    'p JSON.stringify(liar)',
    'p priv.peek()',
    // Handled here: an unhandled rejection made in a session ends the process after it (see the todo test below).
    'p ((s) => (s.catch(() => 0), s))(load())',
    'p big.length',
    'p big[5000]',
    "p big['(not in the snapshot)']",
    'p bigMap.get(7)',
    'p many.k5',
    'inspect deep 40',
  ]);
  assert.deepEqual({ ...app.work }, ZERO, 'no getter, trap, hook, conversion or iterator of the program ran');
  assert.doesNotMatch(text, /internal error|cannot be displayed/);
  const answer = (cmd) => {
    const at = text.indexOf(`ipdb> ${cmd}\n`);
    assert.ok(at >= 0, `${cmd} was run`);
    return text.slice(at + cmd.length + 7, text.indexOf('ipdb> ', at + 1));
  };

  // Getters are recorded as getters, never called; reading one says so.
  assert.equal(answer('p bad'), '{ ok: 1, counted: [Getter], boom: [Getter] }\n');
  assert.equal(
    answer('p bad.counted'),
    '*** counted is a getter that was not called when the snapshot was taken, and the program is gone\n',
  );
  // A Proxy is the text the live p gave it (target and handler, no trap run); whatis says Proxy; its properties are not there.
  assert.match(answer('p prox'), /^Proxy \[ \{ inside: 1 \}, \{\s+get: \[Function \(anonymous\)\],/);
  assert.match(answer('p quiet'), /^Proxy \[ \{ inside: 2 \}, \{/);
  assert.equal(answer('whatis prox'), 'Proxy (object)\n');
  assert.equal(answer('p prox.inside'), 'undefined\n');
  assert.equal(answer('p revoked'), '<Revoked Proxy>\n');
  // A value the live session formats with the program's hook is recorded as its structure.
  // (Node 24 prints a symbol key without brackets.)
  assert.match(
    answer('p hooked'),
    /^\{ data: 1, \[?Symbol\(nodejs\.util\.inspect\.custom\)\]?: \[Function: \[nodejs\.util\.inspect\.custom\]\] \}\n$/,
  );
  assert.doesNotMatch(text, /HOOKED|LIAR|'el'/, 'no hook output');
  // Conversions reach restored functions, which cannot run.
  assert.equal(answer('p String(liar)'), '*** restored function toString: the program is gone, so it cannot run (a snapshot)\n');
  assert.match(answer('p liar + 1'), /^\*\*\* restored function valueOf: the program is gone/);
  assert.match(answer('p JSON.stringify(liar)'), /^\*\*\* restored function toJSON: the program is gone/);
  assert.match(answer('p priv.peek()'), /^\*\*\* restored function peek: the program is gone/);
  // A restored async function fails at its first step: a rejected promise, whose reason has no stack of ts-pdb's.
  assert.match(
    answer('p ((s) => (s.catch(() => 0), s))(load())'),
    /^Promise \{ <rejected> \[Explained: restored function load: the program is gone, so it cannot run \(a snapshot\)\]/,
  );
  // Map and Set subclasses whose getters and iterators fight back: read through the built-ins.
  assert.equal(answer('p reg'), "Registry(2) [Map] { 'a' => 1, 'b' => 2 }\n");
  assert.equal(answer('p tags'), "Tags(1) [Set] { 'x' }\n");
  assert.equal(answer('p priv'), "Vault { visible: 'yes' }\n");
  assert.equal(answer('whatis load'), 'async function load\n');
  assert.equal(answer('p promise'), 'Promise { 1 }\n');
  // Huge values: cut where the budget says, and each says what it lacks.
  assert.equal(answer('p big.length'), '1000000\n');
  assert.equal(answer('p big[5000]'), 'undefined\n');
  // (Its elements have an inspect hook, so the display copies the array, and a copy of more than
  // 10,000 items shows no other property: the note is read by name.)
  assert.match(answer('p big'), /^\[ \{ \[?Symbol\(nodejs\.util\.inspect\.custom\)\]?: \[Function: [^\n]*\.\.\. 999900 more items \]\n$/);
  assert.equal(answer("p big['(not in the snapshot)']"), "'items 1000 to 999999 (999000)'\n");
  assert.match(answer('p huge'), /^'x{8192}\.\.\. \[10477568 more characters not in the snapshot\]'\n$/);
  assert.match(answer('p bigMap'), /'\(not in the snapshot\)' => '99000 more entries'|'\(not in the snapshot\)': '99000 more entries'/);
  assert.equal(answer('p bigMap.get(7)'), '{ i: 7 }\n');
  assert.match(answer('p typed'), /'\(not in the snapshot\)': '999000 more items'/);
  assert.match(answer('p many'), /^\{ '\(not in the snapshot\)': '99000 more properties', k0: 0, /);
  assert.equal(answer('p many.k5'), '5\n');
  assert.match(answer('inspect deep 40'), /\[Object\] \(not in the snapshot: nested too deep\)/);
  assert.equal(answer('p cyc'), "<ref *1> { name: 'cyc', self: [Circular *1] }\n");
  assert.match(answer('p ring'), /^<ref \*1> \[\s+\{\s+visible: 1,[^]*\[Circular \*1\]\s+\]\n$/);
  assert.match(answer('exceptions'), /^> +0 Error: hostile values\n +1 cause: Uncaught Proxy \[ \{ inside: 1 \}/);
  for (const line of text.split('\n')) assert.ok(line.length <= 200_000, 'every answer is bounded');
});

test('the budget cuts hostile values with markers, never a local or a frame', () => {
  resetWork();
  const text = sessionOnFile(taken[0.2].file, ['p bigMap', 'p Object.keys(locals()).join()', 'p locals()', 'w']);
  assert.deepEqual({ ...app.work }, ZERO);
  const names = /ipdb> p Object\.keys\(locals\(\)\)\.join\(\)\n'([^\n]*)'\n/.exec(text)[1].split(',');
  for (const n of [...LOCALS, ...MORE]) assert.ok(names.includes(n), `local ${n} is there`);
  assert.match(text, /\(not in the snapshot: over the size budget\)/);
  assert.match(text, /> [^\n]*app\.ts\(\d+\)hostile\(\)/);
});

test('ts-pdb open FILE on a terminal shows the hostile values bounded, as recorded', async (t) => {
  const started = performance.now();
  const p = spawnNode([join(ROOT, 'dist', 'runtime', 'cli', 'cli.js'), 'open', taken[5].file], {
    env: { NO_COLOR: '1', TS_PDB_HISTORY: '', IPDB_MODE: undefined, CI: undefined },
  });
  t.after(() => p.kill());
  await p.waitFor(PROMPT);
  t.diagnostic(`to the prompt: ${Math.round(performance.now() - started)} ms`);
  assert.match(p.text, /Exception caught in hostile:\nError: hostile values\n/);
  const command = async (line) => {
    p.type(line);
    const start = p.mark;
    await p.waitFor(PROMPT);
    return p.text.slice(start, p.mark).replace(PROMPT, '');
  };
  assert.match(await command('whatis prox'), /\nProxy \(object\)\r?\n$/);
  assert.match(
    await command('p bad.boom'),
    /\*\*\* boom is a getter that was not called when the snapshot was taken, and the program is gone/,
  );
  assert.match(
    await command('p hooked'),
    /\{ data: 1, \[?Symbol\(nodejs\.util\.inspect\.custom\)\]?: \[Function: \[nodejs\.util\.inspect\.custom\]\] \}/,
  );
  assert.match(await command('p big.length'), /\n1000000\r?\n$/);
  assert.match(await command('p deep'), /\{ d: \{ d: \{ d: \{ d: \[Object\] \} \} \} \}/);
  p.type('q');
  assert.equal((await p.exited).exitCode, 0, p.text);
  assert.doesNotMatch(p.text, /internal error|dist[\\/]runtime[\\/]/);
});

test('a rejected promise made at the prompt of ts-pdb open does not end it with exit code 1 and a stack trace after q', async (t) => {
  const p = spawnNode([join(ROOT, 'dist', 'runtime', 'cli', 'cli.js'), 'open', taken[5].file], {
    env: { NO_COLOR: '1', TS_PDB_HISTORY: '', IPDB_MODE: undefined, CI: undefined },
  });
  t.after(() => p.kill());
  await p.waitFor(PROMPT);
  p.type('p load()');
  await p.waitFor(PROMPT);
  p.type('q');
  const { exitCode } = await p.exited;
  // After q: no Node stack trace (the banner above shows the recorded error's own stack line).
  assert.doesNotMatch(p.text.slice(p.text.lastIndexOf('ipdb> q')), /triggerUncaughtException|\n\s+at /);
  assert.equal(exitCode, 0);
});

test(
  'a getter of the class (on the prototype, not an own accessor) says it was not called, rather than undefined',
  { todo: "the format records a prototype's methods, not its accessors (snapshot-format.ts, encode-values.ts, decode-values.ts)" },
  () => {
    const text = sessionOnFile(taken[5].file, ['p acct', 'p acct.balance']);
    assert.match(text, /ipdb> p acct\nAccount \{ id: 7 \}\n/);
    assert.match(text, /ipdb> p acct\.balance\n\*\*\* balance is a getter that was not called when the snapshot was taken/);
  },
);
