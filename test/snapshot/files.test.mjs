// Snapshot files: written gzip JSON, 0600 in a 0700 folder, named so that a job's ranks sort
// together, the folder's limit; read back with every part checked: a truncated, corrupt, hostile or
// newer-version file gets a one-line error and nothing else; the environment's secrets redacted.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { gzipSync } from 'node:zlib';
import { shop } from '../transcripts/harness.mjs';
import { liveAndSnapshot, reader, redaction, takeSnapshot, writer } from './helpers.mjs';

const CART = [{ name: 'pen', price: 2, qty: 3 }];
const tmp = () => fs.mkdtempSync(join(tmpdir(), 'ts-pdb-snap-'));

async function aSnapshot(facts = {}) {
  return (await liveAndSnapshot(() => shop.checkout(CART, undefined), { stackLimit: 3, facts })).snapshot;
}

test('written gzip JSON, 0600 in a 0700 folder it makes, named job-rank-host-pid-time; read back whole', async () => {
  const snap = await aSnapshot({ rank: 3, jobId: 'slurm/42', time: new Date(Date.UTC(2025, 4, 6, 7, 8, 9, 123)) });
  const dir = join(tmp(), 'ts-pdb-dumps');
  const w = writer.writeSnapshot(snap, dir);
  assert.ok(w.ok, w.error);
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  assert.equal(fs.statSync(w.path).mode & 0o777, 0o600);
  const name = w.path.slice(dir.length + 1);
  assert.equal(
    name,
    `slurm_42-rank00003-${snap.process.host.replace(/[^A-Za-z0-9._-]+/g, '_')}-${process.pid}-20250506T070809.123Z.tspdb.json.gz`,
  );
  assert.deepEqual(fs.readdirSync(dir), [name], 'no temporary file is left');
  const r = reader.readSnapshot(w.path);
  assert.ok(r.ok, r.error);
  assert.equal(r.snapshot.format, 'ts-pdb-snapshot');
  assert.equal(r.snapshot.version, 1);
  assert.equal(r.snapshot.process.rank, 3);
  assert.equal(r.snapshot.errors[0].frames.find((f) => f.name === 'applyCoupon').line, 28);
  assert.match(r.snapshot.sources[r.snapshot.errors[0].frames.find((f) => f.name === 'applyCoupon').file].text, /function applyCoupon/);
  assert.ok(writer.removeSnapshot(w.path));
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('the folder limit: past IPDB_DUMP_DIR_MAX_MB nothing more is written, one line says so, nothing is deleted', async () => {
  const snap = await aSnapshot();
  const dir = tmp();
  const first = writer.writeSnapshot(snap, dir, 1);
  assert.ok(first.ok);
  const second = writer.writeSnapshot({ ...snap, process: { ...snap.process, pid: 1 } }, dir, 1);
  assert.equal(second.ok, false);
  assert.match(second.error, /^\S+ holds 0 MB of snapshots, the limit is 0 MB \(IPDB_DUMP_DIR_MAX_MB\): no snapshot written$/);
  assert.deepEqual(fs.readdirSync(dir).length, 1);
});

test('a truncated, corrupt, foreign, hostile or newer file: a one-line error, never a throw', async () => {
  const snap = await aSnapshot();
  const good = gzipSync(JSON.stringify(snap));
  const check = (bytes, pattern) => {
    const r = reader.parseSnapshot(bytes, 'x.tspdb.json.gz');
    assert.equal(r.ok, false, `refused: ${pattern}`);
    assert.doesNotMatch(r.error, /\n/, 'one line');
    assert.match(r.error, pattern);
  };
  check(good.subarray(0, good.length >> 1), /^x\.tspdb\.json\.gz is damaged: it is truncated$/);
  check(Buffer.from('not gzip at all'), /is not a ts-pdb snapshot \(not gzip-compressed\)/);
  check(gzipSync('{"format": "ts-pdb-snapshot", "version": 1'), /its JSON does not parse/);
  check(gzipSync(JSON.stringify({ format: 'other' })), /is not a ts-pdb snapshot \(no "format": "ts-pdb-snapshot"\)/);
  check(
    gzipSync(JSON.stringify({ ...snap, version: 2 })),
    /was written by a newer ts-pdb \(snapshot format 2; this ts-pdb reads 1\): upgrade ts-pdb to open it/,
  );
  const hostile = (mutate) => {
    const doc = JSON.parse(JSON.stringify(snap));
    mutate(doc);
    return gzipSync(JSON.stringify(doc));
  };
  check(
    hostile((d) => (d.thrown = ['o', 1e9])),
    /thrown is not as the format says/,
  );
  check(
    hostile((d) => (d.values[0] = { t: 'array', len: 2 ** 40, items: [] })),
    /values\[0\]\.len is not as the format says/,
  );
  check(
    hostile((d) => (d.values[0] = { t: 'code', src: 'process.exit(1)' })),
    /values\[0\]\.t is not as the format says/,
  );
  check(
    hostile((d) => (d.errors[0].frames[0].locals = [['x', 'param', ['b', '1e9999']]])),
    /errors\[0\]\.frames\[0\]\.locals\[0\]/,
  );
  check(
    hostile((d) => (d.errors[0].frames[0].module = 99)),
    /errors\[0\]\.frames\[0\]\.module/,
  );
  check(
    hostile((d) => delete d.process),
    /process is not as the format says/,
  );
  const dir = tmp();
  fs.writeFileSync(join(dir, 'empty.tspdb.json.gz'), '');
  assert.match(reader.readSnapshot(join(dir, 'empty.tspdb.json.gz')).error, /not gzip-compressed/);
  assert.match(reader.readSnapshot(join(dir, 'missing')).error, /^cannot read .*missing: ENOENT/);
  assert.match(reader.readSnapshot(dir).error, /is not a file$/);
});

test('fuzzed files: every flipped byte and every cut length is read or refused in one line; a session opens on what is read', async () => {
  const { SnapshotFrameSource } = await import('./helpers.mjs');
  const { Session } = await import('../transcripts/harness.mjs');
  const snap = await aSnapshot();
  const json = Buffer.from(JSON.stringify(snap));
  let seed = 7;
  const rand = (n) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  let refused = 0;
  for (let i = 0; i < 300; i++) {
    const bytes = Buffer.from(json);
    for (let k = 0; k < 3; k++) bytes[rand(bytes.length)] = rand(128);
    const r = reader.parseSnapshot(i % 2 ? gzipSync(bytes) : gzipSync(json).subarray(0, rand(json.length)));
    if (!r.ok) {
      refused++;
      assert.doesNotMatch(r.error, /\n/);
      continue;
    }
    new Session(new SnapshotFrameSource(r.snapshot), {});
  }
  assert.ok(refused > 150, `${refused} refused`);
});

test('redaction: secret environment names in any case, and IPDB_REDACT for locals, properties and the environment', async () => {
  const { ok, redaction: red } = redaction.redactionOf('^(coupon|price)$|^MY_');
  assert.ok(ok);
  const env = {
    DB_PASSWORD: 'value-1',
    github_token: 'value-2',
    Api_Key: 'value-3',
    AWS_SECRET_ACCESS_KEY: 'value-4',
    MY_VAR: 'value-5',
    SESSION_COOKIE: 'value-6',
    HOME: '/home/u',
    PATH: '/bin',
  };
  const { env: out, redacted } = redaction.redactEnvironment(env, red);
  assert.deepEqual(redacted, ['AWS_SECRET_ACCESS_KEY', 'Api_Key', 'DB_PASSWORD', 'MY_VAR', 'SESSION_COOKIE', 'github_token']);
  assert.equal(out.HOME, '/home/u');
  assert.equal(out.DB_PASSWORD, '<redacted>');
  for (const w of redaction.SECRET_WORDS) assert.ok(redaction.isSecretName(`x_${w.toLowerCase()}_y`), w);
  assert.equal(redaction.isSecretName('AUTHOR_NAME'), true, 'AUTH inside a name counts, as the issue says');

  const { live } = await liveAndSnapshot(() => shop.checkout(CART, undefined), { stackLimit: 3 });
  const snap = takeSnapshot(live, { rank: 0, tsPdb: '0.1.0', env }, red);
  const text = JSON.stringify(snap);
  assert.doesNotMatch(JSON.stringify(snap.process), /value-\d/, 'no secret value is written');
  const frames = snap.errors[0].frames;
  const checkoutFrame = frames.find((f) => f.name === 'checkout');
  assert.deepEqual(
    checkoutFrame.locals.find(([n]) => n === 'coupon'),
    ['coupon', 'param', ['R']],
  );
  assert.ok(text.includes('["price",["R"]]'), 'a property named price is redacted');
  assert.ok(snap.budget.redacted >= 2);
  const { SnapshotFrameSource, format } = await import('./helpers.mjs');
  const restored = new SnapshotFrameSource(JSON.parse(text));
  const f = restored.framesOf(restored.thrown).find((x) => x.name === 'checkout');
  assert.equal(format.formatValue(f.locals.get('coupon').get()), '<redacted>');
  assert.equal(format.formatValue(f.locals.get('cart').get()), "[ { name: 'pen', price: <redacted>, qty: 3 } ]");

  const bad = redaction.redactionOf('(');
  assert.equal(bad.ok, false);
  assert.match(bad.error, /^IPDB_REDACT is not a regular expression \(.*\): no snapshot written$/);
});
