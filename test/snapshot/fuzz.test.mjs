// Fuzzed, truncated and hostile snapshot files (issue #11: "opening never runs anything from the
// file: a truncated, corrupt, hostile or newer-version file gets a clear one-line error and a
// non-zero exit code, never a stack trace"). The inputs start from real snapshot files of real
// errors of the instrumented fixtures (written by write-snapshot.ts as a dump folder holds them)
// and are cut, flipped and mutated: every cut and flip, every field given every wrong type, random
// mutations, and a list of hand-made attacks (refs to missing nodes, lying lengths, cycles through
// every container, `__proto__` keys, 100,000-deep nesting, bombs). Each is refused in one line by
// readSnapshot, or opens safely: a session on it answers the usual commands with no internal error,
// nothing from the file runs, no prototype is polluted. A sample goes through the built bin.
//
// Seeded: the seed is in the test names; a failure names the seed and the mutation, and
// TS_PDB_FUZZ_SEED=<n> replays another run.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fuzzSeed, Rng } from '../fuzz/fuzz-input.mjs';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';
import { ROOT, Session, shop, transcriptOf } from '../transcripts/harness.mjs';
import { liveAndSnapshot, reader, SnapshotFrameSource, writer } from './helpers.mjs';

const SEED = fuzzSeed();
const CLI = join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
const NAME = 'x.tspdb.json.gz';
/** What a file may take to be refused or opened with every command run on it (no hang). */
const TIME_LIMIT_MS = 5000;
/** Output of a session's commands on one file at most (each answer is bounded). */
const OUTPUT_LIMIT = 2_000_000;
const CART = [
  { name: 'pen', price: 2, qty: 3 },
  { name: 'ink', price: 5, qty: 1 },
];

/** Real snapshot files, by name: each fixture error's snapshot, written to a dump folder and read back as bytes. */
async function realFiles() {
  const dir = join(fs.mkdtempSync(join(tmpdir(), 'ts-pdb-fuzz-')), 'ts-pdb-dumps');
  const programs = {
    checkout: [() => shop.checkout(CART, undefined), 3],
    chain: [() => shop.safeCheckout(CART), 4],
    closure: [() => shop.makeCounter(2)(5), 2],
    this: [() => new shop.Register('r1').close('end of day'), 2],
    hostile: [() => shop.hostile(), 1],
  };
  const files = {};
  for (const [name, [fn, stackLimit]] of Object.entries(programs)) {
    const { snapshot } = await liveAndSnapshot(fn, { stackLimit, facts: { rank: 1, worldSize: 2, jobId: 'fuzz' } });
    const w = writer.writeSnapshot(snapshot, dir);
    assert.ok(w.ok, w.error);
    const bytes = fs.readFileSync(w.path);
    files[name] = { bytes, doc: JSON.parse(gunzipSync(bytes).toString('utf8')) };
  }
  return files;
}
const files = await realFiles();
const clone = (doc) => JSON.parse(JSON.stringify(doc));
const gz = (doc) => gzipSync(typeof doc === 'string' ? doc : JSON.stringify(doc), { level: 1 });

// What a mutation could try to run: nothing may ever set it.
const CANARY = '__tsPdbFuzzRan';
const CODE = `globalThis.${CANARY} = 1; process.exit(3)`;
const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, Map.prototype, Set.prototype, Error.prototype];
const protoKeys = () => PROTOTYPES.map((p) => Reflect.ownKeys(p).length).join();
const PROTO_KEYS = protoKeys();

/** Commands run on every snapshot that is read: what a user types first. */
const COMMANDS = [
  'w',
  'a',
  'p locals()',
  'pp locals()',
  'inspect locals()',
  'p globals()',
  'p this',
  'whatis this',
  'll',
  'l',
  'l 1, 99999',
  'exceptions',
  'exceptions 1',
  'u',
  'a',
  'll',
  'd',
  'retry',
  'return 0',
];

/** Names a user could type of the selected frame's locals (at most 6), for `p`, `pp`, `whatis`, `source`. */
function localNames(session) {
  try {
    return [...(session.frame?.locals.keys() ?? [])].filter((n) => /^[A-Za-z_$][\w$]{0,40}$/.test(n)).slice(0, 6);
  } catch {
    return [];
  }
}

/**
 * Opens a session on a snapshot read from a file, as `ts-pdb open` does, and runs `first`, then the
 * usual commands, completion included: no internal error, no throw, bounded output. Returns the transcript.
 */
function openSafely(snapshot, label, first, commands) {
  const source = new SnapshotFrameSource(snapshot);
  const session = new Session(source, { where: snapshot.session.where, uncaught: snapshot.session.uncaught === true });
  const names = localNames(session);
  const perLocal = names.flatMap((n) => [`p ${n}`, `pp ${n}`, `whatis ${n}`, `source ${n}`]);
  const { text, channel } = transcriptOf(session, [...first, ...perLocal, ...commands], { banner: true });
  for (const n of names) channel.completer?.(`p ${n}.`);
  channel.completer?.('p ');
  const fault = text.indexOf('internal error in the debugger');
  assert.equal(fault, -1, `${label}: ${text.slice(fault, fault + 300)}`);
  assert.doesNotMatch(text, /dist[\\/]runtime[\\/]/, `${label}: a stack trace of ts-pdb`);
  assert.ok(text.length < OUTPUT_LIMIT, `${label}: ${text.length} characters of output`);
  return text;
}

/**
 * Judges one file's bytes: readSnapshot refuses it in one line, or what it reads opens safely
 * (`first`, then `commands`, are run on it), in time, running nothing from the file.
 * @returns `{ outcome: 'refused' | 'opened', error, text }`: the reader's line, or the session's transcript.
 */
function judge(bytes, what, { first = [], commands = COMMANDS } = {}) {
  const label = `seed ${SEED}, ${what}`;
  const start = performance.now();
  let r;
  try {
    r = reader.parseSnapshot(bytes, NAME);
  } catch (e) {
    assert.fail(`${label}: the reader threw ${e?.stack ?? e}`);
  }
  let text;
  if (r.ok) {
    try {
      text = openSafely(r.snapshot, label, first, commands);
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      assert.fail(`${label}: opening threw ${e?.stack ?? e}`);
    }
  } else {
    assert.equal(typeof r.error, 'string', label);
    assert.ok(r.error.startsWith(`${NAME} `), `${label}: ${r.error}`);
    assert.doesNotMatch(r.error, /[\n\r]/, `${label}: one line: ${r.error}`);
    assert.ok(r.error.length < 1000, `${label}: a short line (${r.error.length} characters)`);
  }
  const ms = performance.now() - start;
  assert.ok(ms < TIME_LIMIT_MS, `${label}: ${Math.round(ms)} ms`);
  assert.equal(globalThis[CANARY], undefined, `${label}: code from the file ran`);
  assert.equal(protoKeys(), PROTO_KEYS, `${label}: a built-in prototype changed`);
  assert.equal({}.polluted, undefined, `${label}: Object.prototype polluted`);
  return { outcome: r.ok ? 'opened' : 'refused', error: r.error, text };
}

test(`truncated files: a real snapshot cut at every length up to 64 bytes and at 300 more offsets is refused in one line (seed ${SEED})`, () => {
  const rng = new Rng(SEED);
  for (const [name, { bytes }] of Object.entries(files)) {
    const offsets = new Set([...Array(Math.min(64, bytes.length)).keys(), ...[1, 2, 4, 8, 9].map((k) => bytes.length - k)]);
    for (let i = 0; i < 60; i++) offsets.add(rng.int(0, bytes.length - 1));
    for (const at of offsets) {
      assert.equal(judge(bytes.subarray(0, at), `${name} cut at ${at} of ${bytes.length}`).outcome, 'refused', `${name} cut at ${at}`);
    }
  }
  const empty = reader.parseSnapshot(Buffer.alloc(0), NAME);
  assert.equal(empty.error, `${NAME} is not a ts-pdb snapshot (not gzip-compressed)`);
});

test(`flipped bytes in the gzip: 400 files with 1 to 4 random bytes changed are refused in one line or open safely (seed ${SEED})`, (t) => {
  const rng = new Rng(SEED + 1);
  const names = Object.keys(files);
  const seen = { refused: 0, opened: 0 };
  for (let i = 0; i < 400; i++) {
    const name = rng.pick(names);
    const bytes = Buffer.from(files[name].bytes);
    const flips = [];
    for (let k = rng.int(1, 4); k > 0; k--) {
      const at = rng.int(0, bytes.length - 1);
      const to = rng.int(0, 255);
      flips.push(`byte ${at} ${bytes[at]}->${to}`);
      bytes[at] = to;
    }
    seen[judge(bytes, `flip ${i} of ${name}: ${flips.join(', ')}`).outcome]++;
  }
  // The CRC catches a changed byte of the data; one in the header's time or OS field is harmless.
  t.diagnostic(JSON.stringify(seen));
  assert.ok(seen.refused > 300, JSON.stringify(seen));
});

/** Values of the wrong type (or out of range) for any field. */
const WRONG = [null, -1, 1.5, 1e300, '', 'x', [], {}, true, ['o', -1], ['o', 2 ** 31], { __proto__: null, polluted: 1 }];

/**
 * One concrete path per field of `doc`: indexes of lists generalised (`errors[0].frames[1].line`
 * and `errors[0].frames[2].line` are one field), a value node's fields by its kind.
 */
function fieldPaths(doc) {
  const fields = new Map();
  const walk = (v, path, key) => {
    if (!fields.has(key)) fields.set(key, path);
    if (v === null || typeof v !== 'object') return;
    for (const k of Object.keys(v)) {
      const general = Array.isArray(v) && (v.length > 3 || typeof v[0] !== 'string') ? '#' : k;
      const kind = path.length === 1 && path[0] === 'values' ? `${general}:${v[k]?.t}` : general;
      walk(v[k], [...path, k], `${key}.${kind}`);
    }
  };
  walk(doc, [], '');
  fields.delete('');
  return [...fields.values()];
}

function setAt(doc, path, value) {
  let parent = doc;
  for (const k of path.slice(0, -1)) parent = parent[k];
  const last = path[path.length - 1];
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}

test(`every field of real snapshots given a wrong type, or deleted: refused in one line or opens safely (seed ${SEED})`, (t) => {
  const seen = { refused: 0, opened: 0 };
  let fields = 0;
  for (const name of ['checkout', 'chain']) {
    const doc = files[name].doc;
    for (const path of fieldPaths(doc)) {
      fields++;
      for (const wrong of [null, -1, 1.5, 'x', {}, undefined]) {
        const d = clone(doc);
        setAt(d, path, wrong === undefined ? undefined : clone(wrong));
        const what = `${name}: ${path.join('.')} ${wrong === undefined ? 'deleted' : `= ${JSON.stringify(wrong)}`}`;
        seen[judge(gz(d), what, { commands: ['w', 'a', 'p locals()', 'exceptions', 'll', 'u', 'l'] }).outcome]++;
      }
    }
  }
  t.diagnostic(`${fields} fields: ${JSON.stringify(seen)}`);
  assert.ok(fields > 150, `${fields} fields`);
  assert.ok(seen.opened > 100 && seen.refused > 1000, JSON.stringify(seen));
});

/** Random changes of a document: a wrong value, a deletion, a hostile key, at a random place. */
function randomMutation(rng, doc) {
  const paths = [];
  const walk = (v, path) => {
    paths.push(path);
    if (v && typeof v === 'object' && path.length < 12) for (const k of Object.keys(v)) walk(v[k], [...path, k]);
  };
  walk(doc, []);
  const path = rng.pick(paths.slice(1));
  let parent = doc;
  for (const k of path.slice(0, -1)) parent = parent[k];
  const key = path[path.length - 1];
  const at = path.join('.');
  const r = rng.next();
  if (r < 0.15) {
    delete parent[key];
    return `delete ${at}`;
  }
  if (r < 0.35 && typeof parent[key] === 'number') {
    const n = rng.pick([-1, 0, 2 ** 32, 2 ** 53, 1e300, 0.5]);
    parent[key] = n;
    return `${at} = ${n}`;
  }
  if (r < 0.5 && parent[key] && typeof parent[key] === 'object') {
    const k = rng.pick(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'then']);
    const v = rng.pick([...WRONG, CODE]);
    Object.defineProperty(parent[key], k, { value: v, enumerable: true, configurable: true, writable: true });
    return `${at}["${k}"] = ${JSON.stringify(v)}`;
  }
  if (r < 0.65 && typeof parent[key] === 'string') {
    const s = rng.pick([CODE, '__proto__', 'constructor', '\u001b[2J', 'x'.repeat(100_000), '']);
    parent[key] = s;
    return `${at} = ${JSON.stringify(s.slice(0, 40))}`;
  }
  const v = rng.pick([
    ...WRONG,
    ['u'],
    ['h'],
    ['U'],
    ['R'],
    ['y', null, 3],
    ['b', '9'.repeat(5000)],
    ['s', 'ab', 1e15],
    ['c', 'size', '[X]'],
  ]);
  parent[key] = clone(v);
  return `${at} = ${JSON.stringify(v)}`;
}

test(`random mutations of real snapshots (1 to 3 at once, 250 files): refused in one line or open safely (seed ${SEED})`, (t) => {
  const rng = new Rng(SEED + 2);
  const names = Object.keys(files);
  const seen = { refused: 0, opened: 0 };
  for (let i = 0; i < 250; i++) {
    const name = rng.pick(names);
    const doc = clone(files[name].doc);
    const done = [];
    for (let k = rng.int(1, 3); k > 0; k--) done.push(randomMutation(rng, doc));
    seen[judge(gz(doc), `mutation ${i} of ${name}: ${done.join('; ')}`).outcome]++;
  }
  t.diagnostic(JSON.stringify(seen));
  assert.ok(seen.opened > 30 && seen.refused > 100, JSON.stringify(seen));
});

/**
 * A copy of a real snapshot with `nodes` appended to its values and `locals` added to the innermost
 * frame: `make(at, doc)` returns them, `at(k)` being the ref of the k-th new node; `edit(doc)` then
 * changes anything else.
 */
function withNodes(name, make) {
  const doc = clone(files[name].doc);
  const base = doc.values.length;
  const { nodes = [], locals = [], edit } = make((k) => ['o', base + k], doc);
  for (const n of nodes) doc.values.push(n);
  for (const [n, ref] of locals) doc.errors[0].frames[0].locals.push([n, 'let', ref]);
  edit?.(doc, base);
  return doc;
}

/** `doc` as gzip bytes with the string `"@@DEEP@@"` replaced by `text` (what JSON.stringify cannot write: 100,000 levels). */
const gzText = (doc, text) =>
  gzipSync(
    JSON.stringify(doc).replace('"@@DEEP@@"', () => text),
    { level: 1 },
  );
const nestedArrays = (n) => `${'['.repeat(n)}${']'.repeat(n)}`;
const nestedObjects = (n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const DEEP = 100_000;

/** A gzip file of several members (gunzip reads them as one stream): a cheap bomb of `times` × `chunk`. */
function bomb(head, chunk, times, tail) {
  const member = gzipSync(chunk, { level: 9 });
  return Buffer.concat([gzipSync(head), ...Array(times).fill(member), gzipSync(tail)]);
}

/** Hand-made files a reader must refuse, with the line that says why (made when first used). */
const REFUSED_CASES = () => ({
  'a ref to the node one past the end': [
    gz(withNodes('checkout', (at, d) => ({ edit: () => (d.thrown = ['o', d.values.length]) }))),
    /thrown is not/,
  ],
  "a local's ref to a missing node": [
    gz(withNodes('checkout', () => ({ locals: [['ghost', ['o', 1e6]]] }))),
    /errors\[0\]\.frames\[0\]\.locals\[\d+\] is not as the format says/,
  ],
  "a Map key's ref to a missing node": [
    gz(withNodes('checkout', (at) => ({ nodes: [{ t: 'map', size: 1, entries: [[['o', 1e6], 1]] }], locals: [['m', at(0)]] }))),
    /values\[\d+\]\.entries\[0\] is not as the format says/,
  ],
  'a negative id': [gz({ ...files.checkout.doc, thrown: ['o', -1] }), /thrown is not/],
  'a negative symbol id as a key': [
    gz(withNodes('checkout', (at) => ({ nodes: [{ t: 'object', props: [[['y', 'k', -1], 1]] }], locals: [['o', at(0)]] }))),
    /values\[\d+\]\.props\[0\] is not/,
  ],
  'a negative module index': [
    gz(withNodes('checkout', (at, d) => ({ edit: () => (d.errors[0].frames[0].module = -1) }))),
    /frames\[0\]\.module/,
  ],
  'a fractional id': [gz({ ...files.checkout.doc, thrown: ['o', 0.5] }), /thrown is not/],
  'an unknown ref tag': [gz({ ...files.checkout.doc, thrown: ['q', 1] }), /thrown is not/],
  'a number tag that is no number': [gz({ ...files.checkout.doc, thrown: ['n', '1e999'] }), /thrown is not/],
  'a bigint that is no integer': [gz({ ...files.checkout.doc, thrown: ['b', '12abc'] }), /thrown is not/],
  'an unknown node kind': [gz(withNodes('checkout', () => ({ nodes: [{ t: 'proxy', target: 1 }] }))), /values\[\d+\]\.t is not/],
  'an array longer than its length': [
    gz(withNodes('checkout', () => ({ nodes: [{ t: 'array', len: 1, items: [1, 2] }] }))),
    /values\[\d+\]\.len is not/,
  ],
  'an array of 2^32 items': [gz(withNodes('checkout', () => ({ nodes: [{ t: 'array', len: 2 ** 32, items: [] }] }))), /\.len is not/],
  'a typed array longer than its length': [
    gz(withNodes('checkout', () => ({ nodes: [{ t: 'typed', ctor: 'Uint8Array', len: 1, items: [1, 2] }] }))),
    /\.len is not/,
  ],
  'a cut string longer than its length': [gz({ ...files.checkout.doc, thrown: ['s', 'abc', 2] }), /thrown is not/],
  'a class chain of 1,001 classes': [
    gz(withNodes('checkout', () => ({ nodes: [{ t: 'object', cls: Array(1001).fill('C') }] }))),
    /values\[\d+\]\.cls is not/,
  ],
  'a pid of 1e300': [gz({ ...files.checkout.doc, process: { ...files.checkout.doc.process, pid: 1e300 } }), /process is not/],
  'a line of 2^53': [gz(withNodes('checkout', (at, d) => ({ edit: () => (d.errors[0].frames[0].line = 2 ** 53) }))), /frames\[0\] is not/],
  'a line of 1.5 in the function metadata (ll failed inside ts-pdb)': [
    gz(withNodes('checkout', (at, d) => ({ edit: () => (d.errors[0].frames[0].meta.line = 1.5) }))),
    /frames\[0\]\.meta is not/,
  ],
  'a negative column': [gz(withNodes('checkout', (at, d) => ({ edit: () => (d.errors[0].frames[0].col = -1) }))), /frames\[0\] is not/],
  'an infinite number (1e400 in the JSON)': [gzText({ ...files.checkout.doc, thrown: '@@DEEP@@' }, '1e400'), /thrown is not/],
  'version 0': [gz({ ...files.checkout.doc, version: 0 }), /has no valid format version$/],
  'version 1.5': [gz({ ...files.checkout.doc, version: 1.5 }), /has no valid format version$/],
  'version "1"': [gz({ ...files.checkout.doc, version: '1' }), /has no valid format version$/],
  'a newer version': [gz({ ...files.checkout.doc, version: 2 }), /written by a newer ts-pdb \(snapshot format 2; this ts-pdb reads 1\)/],
  'a version of 2^53': [gz({ ...files.checkout.doc, version: 2 ** 53 }), /written by a newer ts-pdb/],
  'no format': [gz({ ...files.checkout.doc, format: undefined }), /is not a ts-pdb snapshot \(no "format"/],
  'an empty file': [Buffer.alloc(0), /is not a ts-pdb snapshot \(not gzip-compressed\)$/],
  'gzip of nothing': [gzipSync(''), /its JSON does not parse/],
  'gzip of null': [gzipSync('null'), /is not a ts-pdb snapshot/],
  'gzip of an array': [gzipSync('[]'), /is not a ts-pdb snapshot/],
  'gzip of a NUL byte': [gzipSync(Buffer.from([0])), /its JSON does not parse/],
  '100,000-deep arrays as a ref': [gzText({ ...files.checkout.doc, thrown: '@@DEEP@@' }, nestedArrays(DEEP)), /thrown is not/],
  '100,000-deep objects as the process': [gzText({ ...files.checkout.doc, process: '@@DEEP@@' }, nestedObjects(DEEP)), /process is not/],
  'a gzip bomb past the cap (300 MB of JSON from a small file)': [
    bomb('{"format": "ts-pdb-snapshot", "version": 1, "pad": "', Buffer.alloc(30 * 1024 * 1024, 0x20), 10, '"}'),
    /^x\.tspdb\.json\.gz is not a snapshot ts-pdb can open: it expands to more than 256 MB \(a snapshot is at most that\)$/,
  ],
  'a bomb under the cap whose parse would take more than the heap (60 MB of nested arrays)': [
    bomb('{"format": "ts-pdb-snapshot", "version": 1, "values": [', Buffer.from(`${nestedArrays(10)},`.repeat(500_000)), 6, '[]]}'),
    /is too big to open with this process's memory: reading it takes about \d+ MB, and \d+ MB are free \(NODE_OPTIONS=--max-old-space-size=MB gives more\)$/,
  ],
});
let refusedCases;
const REFUSED = () => (refusedCases ??= REFUSED_CASES());

test(`hand-made hostile files are refused, each in one line that says why (seed ${SEED})`, () => {
  for (const [what, [bytes, why]] of Object.entries(REFUSED())) {
    const { outcome, error } = judge(bytes, what);
    assert.equal(outcome, 'refused', what);
    assert.match(error, why, what);
  }
});

/** The transcript of `commands` (then the usual ones) on a snapshot document (or bytes) that the reader must accept. */
function opened(what, doc, commands) {
  const { outcome, error, text } = judge(Buffer.isBuffer(doc) ? doc : gz(doc), what, { first: commands });
  assert.equal(outcome, 'opened', `${what}: ${error}`);
  return text;
}

test(`cycles through every container kind open safely and print as cycles (seed ${SEED})`, () => {
  // O object, A array, M Map, S Set, E TypeError, G AggregateError, F function, T typed array, D Date, R RegExp, N null prototype.
  const [O, A, M, S, E, G, F, T, D, R, N] = Array.from({ length: 11 }, (_, k) => k);
  const all = (at) => [O, A, M, S, E, G, F, T, D, R, N].map((k) => [`k${k}`, at(k)]);
  const doc = withNodes('checkout', (at) => ({
    nodes: [
      { t: 'object', props: [['self', at(O)], ...all(at)] },
      { t: 'array', len: 4, items: [at(A), at(O), ['h'], at(M)], props: [['self', at(A)]] },
      {
        t: 'map',
        size: 2,
        entries: [
          [at(M), at(M)],
          [at(O), at(S)],
        ],
        props: [['self', at(M)]],
      },
      { t: 'set', size: 2, items: [at(S), at(M)], props: [['self', at(S)]] },
      {
        t: 'error',
        base: 'TypeError',
        name: 'TypeError',
        message: 'ring',
        props: [
          ['cause', at(E), 'h'],
          ['errors', at(A), 'h'],
          ['self', at(E)],
        ],
      },
      {
        t: 'error',
        base: 'AggregateError',
        message: 'agg',
        props: [
          ['errors', at(A), 'h'],
          ['cause', at(G), 'h'],
        ],
      },
      {
        t: 'function',
        kind: 'function',
        name: 'loop',
        src: 'function loop() {}',
        props: [
          ['self', at(F)],
          ['o', at(O)],
        ],
      },
      { t: 'typed', ctor: 'Uint8Array', len: 2, items: [1, 2], props: [['self', at(T)]] },
      { t: 'date', time: 0, props: [['self', at(D)]] },
      { t: 'regexp', source: 'a+', flags: 'g', props: [['self', at(R)]] },
      {
        t: 'object',
        base: null,
        cls: ['Ring'],
        props: [
          ['self', at(N)],
          ['o', at(O)],
        ],
      },
    ],
    locals: [
      ['cycO', at(O)],
      ['cycA', at(A)],
      ['cycM', at(M)],
      ['cycE', at(E)],
      ['cycN', at(N)],
    ],
    edit: (d) => {
      d.thrown = at(E);
      d.errors[0].value = at(E);
      d.errors[0].frames[0].this = at(O);
      d.errors[0].frames[0].hasThis = true;
      d.modules[0].bindings.push(['cycG', at(G)]);
    },
  }));
  accepted.cycles = gz(doc);
  const text = opened('cycles', doc, [
    'p cycO',
    'p cycA',
    'pp cycM',
    'p cycN',
    'p cycE.cause === cycE',
    'p cycO.k5.errors[0] === cycA',
    'exceptions',
    'whatis cycN',
    'inspect cycO Infinity',
    'p this === cycO',
  ]);
  assert.match(text, /ipdb> p cycO\n<ref \*1> \{\n? *self: \[Circular \*1\]/);
  assert.match(text, /ipdb> p cycA\n<ref \*1> \[\n? *\[Circular \*1\]/);
  assert.match(text, /ipdb> p cycE\.cause === cycE\ntrue\n/);
  assert.match(text, /ipdb> p cycO\.k5\.errors\[0\] === cycA\ntrue\n/);
  assert.match(text, /ipdb> whatis cycN\nRing\n/);
  assert.match(text, /ipdb> p this === cycO\ntrue\n/);
  assert.match(text, /ipdb> exceptions\n> +0 TypeError: ring\n +1 errors\[0\]: Uncaught <ref \*1> \[ \[Circular \*1\]/);
});

test(`__proto__, constructor and prototype as keys, class and method names, binding and file names: own names, no prototype touched (seed ${SEED})`, () => {
  const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then'];
  const doc = withNodes('checkout', (at) => ({
    nodes: [
      { t: 'object', cls: KEYS, methods: KEYS.map(() => KEYS), props: KEYS.map((k) => [k, at(1)]) },
      { t: 'object', props: [['polluted', true]] },
      { t: 'array', len: 1, items: [1], props: KEYS.map((k) => [k, at(1)]) },
      { t: 'function', kind: 'class', name: '__proto__', src: CODE, ext: 'constructor', props: KEYS.map((k) => [k, at(1)]) },
      { t: 'opaque', type: '__proto__', text: 'opaque' },
      {
        t: 'error',
        cls: KEYS,
        methods: KEYS.map(() => KEYS),
        props: [
          ['name', null, 'g'],
          ['message', null, 'g'],
          ['toString', at(3)],
        ],
      },
    ],
    locals: [['obj', at(0)], ['arr', at(2)], ['cls', at(3)], ['opq', at(4)], ['err', at(5)], ...KEYS.map((k) => [k, at(1)])],
    edit: (d) => {
      d.modules[0].bindings.push(...KEYS.map((k) => [k, at(1)]));
      d.errors[0].frames[0].file = 'constructor';
      d.errors[0].frames[1].file = '__proto__';
      const own = (o, k, value) => Object.defineProperty(o, k, { value, enumerable: true, configurable: true, writable: true });
      own(d.sources, '__proto__', { text: 'polluted' });
      own(d.process.env, '__proto__', 'x');
      own(d.process.env, 'constructor', 'y');
    },
  }));
  assert.ok(JSON.stringify(doc).includes('"__proto__":{"text":"polluted"}'), 'the file has the key');
  accepted.keys = gz(doc);
  const text = opened('keys', doc, [
    'p obj.__proto__.polluted',
    'p Object.getPrototypeOf(obj) === Object.prototype',
    'p arr.__proto__ === Array.prototype',
    'whatis obj',
    'p obj.then',
    'p Object.getPrototypeOf(obj).valueOf()',
    'p String(err)',
    'p cls',
    'p opq',
    'p 1 + 1',
    'l',
    'u',
    'l',
  ]);
  assert.match(text, /ipdb> p obj\.__proto__\.polluted\ntrue\n/, 'an own property named __proto__');
  assert.match(text, /ipdb> p Object\.getPrototypeOf\(obj\) === Object\.prototype\nfalse\n/, 'its chain is the stand-ins');
  assert.match(text, /ipdb> p arr\.__proto__ === Array\.prototype\nfalse\n/);
  assert.match(text, /ipdb> whatis obj\n__proto__\n/, 'a class named __proto__');
  assert.match(text, /ipdb> p obj\.then\n\{ polluted: true \}\n/);
  assert.match(text, /ipdb> p Object\.getPrototypeOf\(obj\)\.valueOf\(\)\n\*\*\* restored function valueOf: the program is gone/);
  assert.match(text, /ipdb> p 1 \+ 1\n2\n/);
  assert.match(text, /ipdb> l\n\*\*\* No source for constructor\n/, 'a file named constructor is not Object.prototype.constructor');
  assert.equal({}.polluted, undefined);
});

test(`100,000 levels: a value graph, a cause chain, and JSON nesting where the reader does not look, open safely (seed ${SEED})`, () => {
  const chain = withNodes('checkout', (at) => {
    const nodes = [];
    for (let i = 0; i < DEEP; i++) nodes.push({ t: 'object', props: [['d', i + 1 < DEEP ? at(i + 1) : null]] });
    const errors = [];
    for (let i = 0; i < DEEP; i++)
      errors.push({ t: 'error', message: `level ${i}`, props: [['cause', i + 1 < DEEP ? at(DEEP + i + 1) : null, 'h']] });
    return {
      nodes: [...nodes, ...errors],
      locals: [['deep', at(0)]],
      edit: (d) => {
        d.thrown = at(DEEP);
        d.errors[0].value = at(DEEP);
      },
    };
  });
  const text = opened('a 100,000-deep graph and cause chain', chain, ['p deep', 'inspect deep Infinity', 'exceptions', 'p locals()']);
  assert.match(text, /ipdb> p deep\n\{ d: \{ d: \{ d: \{ d: \[Object\] \} \} \} \}\n/);
  assert.match(text, /ipdb> exceptions\n> +0 Error: level 0\n +1 cause: Error: level 1\n/);
  assert.ok(text.split('\n').filter((l) => /cause: Error: level/.test(l)).length <= 100, 'the chain is listed bounded');

  for (const where of ['budget', 'session.extra', 'errors.0.frames.0.stack.extra', 'errors.0.frames.0.meta.declEnds', 'extra']) {
    const doc = clone(files.checkout.doc);
    setAt(doc, where.split('.'), '@@DEEP@@');
    opened(`100,000-deep JSON as ${where}`, gzText(doc, where === 'budget' ? nestedObjects(DEEP) : nestedArrays(DEEP)), ['w', 'll']);
  }
});

test(`lying lengths, huge numbers, odd built-in bases, registered symbols, names that are not names, code as text: open safely (seed ${SEED})`, () => {
  const CUSTOM = ['y', 'nodejs.util.inspect.custom', 0, 1];
  const doc = withNodes('checkout', (at) => ({
    nodes: [
      { t: 'array', len: 2 ** 32 - 1, items: [1, 2] },
      { t: 'map', size: 2 ** 53 - 1, entries: [[1, 2]] },
      { t: 'set', size: 0, items: [1, 2, 3] },
      { t: 'typed', ctor: 'DataView', base: 'Map', len: 1e15, items: [1, 'x', ['o', 0], ['b', '5']] },
      { t: 'buffer', ctor: 'ArrayBuffer', len: 1e15, hex: 'ff00' },
      { t: 'date', time: 1e300 },
      {
        t: 'object',
        base: 'Promise',
        more: 2 ** 53 - 1,
        props: [
          [CUSTOM, at(7)],
          ['a', 1],
        ],
      },
      { t: 'function', kind: 'generator', name: CODE, src: CODE },
      { t: 'error', base: 'Map', name: CODE, message: '\u001b[2J', stack: CODE },
      { t: 'regexp', source: '(a+)+$', flags: 'zz' },
      { t: 'regexp', source: '(a|aa)+$', flags: 'g' },
      {
        t: 'object',
        props: [
          [CUSTOM, null, 'g'],
          [
            ['y', 'ts-pdb.uninitialized', 1, 1],
            ['y', 'ts-pdb.uninitialized', 1, 1],
          ],
        ],
      },
      { t: 'object', cls: [CODE], methods: [[CODE]], props: [[CODE, CODE]] },
    ],
    locals: [
      ['big', at(0)],
      ['m', at(1)],
      ['s', at(2)],
      ['typed', at(3)],
      ['buf', at(4)],
      ['when', at(5)],
      ['hooked', at(6)],
      ['gen', at(7)],
      ['err', at(8)],
      ['re', at(9)],
      ['re2', at(10)],
      ['sym', at(11)],
      ['code', at(12)],
      ['n', ['b', '9'.repeat(100_000)]],
      ['str', ['s', 'ab', 2 ** 53 - 1]],
      [CODE, 1],
      ['x y', 2],
      ['', 3],
    ],
    edit: (d) => {
      d.errors[0].frames[0].line = 999_999;
      d.errors[0].frames[1].file = 'not/in/the/sources.ts';
      d.sources[d.errors[0].frames[0].file] = { text: 'x'.repeat(10_000_000) };
    },
  }));
  accepted['odd values'] = gz(doc);
  const text = opened('odd values', doc, [
    'p big.length',
    'p m',
    'p typed',
    'p buf',
    'p when',
    'p hooked',
    'p gen().next()',
    'p err',
    'p re.test("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")',
    'p sym',
    'p code',
    'p n',
    'p str.length',
    'p locals()',
    'l 1',
    'u',
    'l',
  ]);
  assert.match(text, /ipdb> p big\.length\n4294967295\n/);
  assert.match(
    text,
    /ipdb> p m\nMap\(1\) \{ 1 => 2, '\(not in the snapshot\)' => '9007199254740990 more entries' \}|ipdb> p m\nMap\(1\) \{[^\n]*9007199254740990 more entries/,
  );
  assert.match(text, /ipdb> p when\nInvalid Date\n/);
  assert.match(text, /ipdb> p gen\(\)\.next\(\)\n\*\*\* restored function globalThis/);
  assert.match(text, /ipdb> p n\n9{1000}/);
  assert.ok(
    text.split('\n').every((l) => l.length < 25_000),
    'every answer is bounded',
  );
  assert.match(text, /ipdb> l 1\n {6}1 x{400}\.\.\. \[9999600 more characters\]\n/);
  assert.match(text, /ipdb> l\n\*\*\* No source for not\/in\/the\/sources\.ts\n/);
});

test(`a thousand classes of a thousand methods on each of 600 objects: restored in time, names kept as far as the budget goes (seed ${SEED})`, () => {
  const names = Array.from({ length: 1000 }, (_, i) => `m${i}`);
  const doc = withNodes('checkout', (at) => ({
    nodes: Array.from({ length: 600 }, (_, i) => ({ t: 'object', cls: [`C${i}`, ...names.slice(1)], methods: [names], props: [['i', i]] })),
    locals: [
      ['first', at(0)],
      ['last', at(599)],
    ],
  }));
  const text = opened('stand-in amplification', doc, ['whatis first', 'whatis last', 'p first.i', 'p last.i', 'p first.m1()']);
  assert.match(text, /ipdb> whatis first\nC0\n/);
  // Past the decoder's budget of stand-ins (decode-values.ts MAX_STAND_INS) the chain is the built-in one.
  assert.match(text, /ipdb> whatis last\nObject\n/);
  assert.match(text, /ipdb> p last\.i\n599\n/);
  assert.match(text, /ipdb> p first\.m1\(\)\n\*\*\* restored function m1: the program is gone/);
});

/** Bytes of a doc made by a test above, kept for the bin's sample. */
const accepted = {};

/**
 * `ts-pdb open FILE` (the built bin) with no terminal (stdin /dev/null, a session of its own: no
 * controlling terminal), killed after `limit` ms: its exit code, signal, output and time.
 */
function openWithBin(file, limit = 20_000) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'open', file], {
      ...OWN_GROUP,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', CI: '', IPDB_MODE: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => killGroup(child), limit);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

test(`through the built bin: refused files are one line on stderr and exit code 1, accepted ones print their frames, none hangs (seed ${SEED})`, async (t) => {
  const dir = fs.mkdtempSync(join(tmpdir(), 'ts-pdb-fuzz-bin-'));
  const rng = new Rng(SEED + 3);
  const refused = REFUSED();
  const { bytes } = files.chain;
  let flipped;
  do {
    flipped = Buffer.from(bytes);
    flipped[rng.int(20, bytes.length - 9)] ^= 0xff;
  } while (reader.parseSnapshot(flipped).ok);
  const sample = {
    truncated: bytes.subarray(0, rng.int(10, bytes.length - 1)),
    flipped,
    empty: Buffer.alloc(0),
    newer: refused['a newer version'][0],
    'wrong type': gz({ ...files.checkout.doc, process: { ...files.checkout.doc.process, pid: 'x' } }),
    'missing node': refused["a local's ref to a missing node"][0],
    'negative id': refused['a negative id'][0],
    'fractional line': refused['a line of 1.5 in the function metadata (ll failed inside ts-pdb)'][0],
    '100,000-deep nesting': refused['100,000-deep arrays as a ref'][0],
    'gzip bomb past the cap': refused['a gzip bomb past the cap (300 MB of JSON from a small file)'][0],
    // 200 MB of nested arrays from 0.5 MB: parsed, it took the heap (4 GB) and Node died of it after 37 s.
    'heap bomb': bomb(
      '{"format": "ts-pdb-snapshot", "version": 1, "values": [',
      Buffer.from(`${nestedArrays(10)},`.repeat(1_000_000)),
      10,
      '[]]}',
    ),
  };
  const results = {};
  for (const [name, data] of Object.entries(sample)) {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.tspdb.json.gz`);
    fs.writeFileSync(file, data);
    const r = (results[name] = await openWithBin(file));
    const seen = `${name}: exit ${r.code} ${r.signal ?? ''} after ${r.ms} ms, stderr ${JSON.stringify(r.stderr.slice(0, 2000))}`;
    assert.equal(r.signal, null, `${seen}: killed: it hung`);
    assert.equal(r.code, 1, seen);
    assert.equal(r.stdout, '', seen);
    assert.match(r.stderr, /^ts-pdb open: [^\n]+\n$/, `${seen}: one line`);
    assert.ok(r.stderr.includes(file), `${seen}: names the file`);
    assert.doesNotMatch(r.stderr, /\bat .*:\d+:\d+|FATAL|Error:/, seen);
  }
  assert.match(results['heap bomb'].stderr, /is too big to open with this process's memory/);
  assert.match(results['gzip bomb past the cap'].stderr, /expands to more than 256 MB/);
  for (const [name, data] of Object.entries(accepted)) {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.tspdb.json.gz`);
    fs.writeFileSync(file, data);
    const r = await openWithBin(file);
    const seen = `${name}: exit ${r.code} ${r.signal ?? ''} after ${r.ms} ms, stderr ${JSON.stringify(r.stderr.slice(0, 2000))}`;
    assert.equal(r.signal, null, `${seen}: killed: it hung`);
    assert.equal(r.code, 0, seen);
    assert.match(r.stderr, /printing the frames instead of opening a console session/, seen);
    assert.match(r.stderr, /\nTraceback \(most recent call last\):\n/, seen);
    assert.doesNotMatch(`${r.stdout}${r.stderr}`, /internal error|dist[\\/]runtime[\\/]/, seen);
  }
  t.diagnostic(
    Object.entries(results)
      .map(([n, r]) => `${n} ${r.ms} ms`)
      .join(', '),
  );
});

test('display on a snapshot whose thrown value has no frames (throw 5) answers, not an internal error', () => {
  const text = opened(
    'no frames',
    { ...files.checkout.doc, thrown: 5, errors: [{ ...files.checkout.doc.errors[0], value: 5, frames: [] }] },
    ['display 1'],
  );
  assert.doesNotMatch(text, /internal error/);
});

test('terminal escapes in a file (host, job id, time, error) are printed escaped by the notice and the folder listing, never raw', async () => {
  const ESC = '\u001b';
  const doc = clone(files.checkout.doc);
  doc.process.host = `evil${ESC}]0;pwned\u0007`;
  doc.process.jobId = `job${ESC}[2J`;
  doc.process.time = `${ESC}[31m2026`;
  const errorNode = doc.values.find((n) => n.t === 'error');
  errorNode.message = `boom${ESC}[8m hidden`;
  const dir = fs.mkdtempSync(join(tmpdir(), 'ts-pdb-escapes-'));
  const file = join(dir, 'escapes.tspdb.json.gz');
  fs.writeFileSync(file, gz(doc));
  const opened = await openWithBin(file);
  assert.equal(opened.code, 0, opened.stderr);
  assert.match(opened.stderr, /host evil\\x1b\]0;pwned\\x07, pid \d+, job job\\x1b\[2J\), taken \\x1b\[31m2026/);
  const listing = spawnSync(process.execPath, [CLI, 'open', dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(listing.status, 0, listing.stderr);
  assert.match(listing.stdout, /job\\x1b\[2J +1 +evil\\x1b\]0;pwned\\x07 .*boom\\x1b\[8m hidden/);
  for (const text of [opened.stderr.split('Traceback')[0], listing.stdout])
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
});
