// Redaction in snapshots (issue #11: "the environment with secrets redacted (variable names
// containing, in any case, PASSWORD, PASSWD, SECRET, TOKEN, API_KEY, APIKEY, CREDENTIAL, COOKIE,
// AUTH, PRIVATE_KEY); IPDB_REDACT (a regular expression) also redacts locals, properties and
// environment variables whose names match it. Live sessions redact nothing."). A real program,
// compiled with the transformer, holds secrets in parameters, locals, a closure binding, a module
// binding, `this`, nested properties, an error's properties, a symbol-keyed property and
// `process.env` itself; its snapshot is written as a file, and no secret value is anywhere in it.
// files.test.mjs checks the words one by one and a first IPDB_REDACT; this file goes through
// every place a name can hold a value, and through real processes for the live side.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { gunzipSync } from 'node:zlib';
import { scratch, writeBuild } from '../helpers/build.mjs';
import { CLI, connectSession, startRun } from '../helpers/run-program.mjs';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';
import { collect, linkedProject } from '../helpers/socket.mjs';
import { capture, LiveFrameSource, ROOT, Session, thrownBy, transcriptOf } from '../transcripts/harness.mjs';
import { reader, redaction, SnapshotFrameSource, takeSnapshot, writer } from './helpers.mjs';

const APP = `let dbPassword = '';
export const settings = { region: 'eu', apiToken: '' };
export function configure(secrets: Record<string, string>) {
  dbPassword = secrets.module;
  settings.apiToken = secrets.moduleProp;
}
function makeClient(sessionKey: string) {
  return function connect(user: string, password: string, secrets: Record<string, string>) {
    const apiKey = secrets.local;
    const env = process.env;
    const config = {
      host: 'db',
      password: secrets.prop,
      nested: { Secret: secrets.nested },
      list: [{ token: secrets.array }],
      [Symbol('password')]: secrets.symbol,
    };
    const failure = Object.assign(new Error('login failed for ' + user), { password: secrets.errorProp });
    const used = sessionKey.length + dbPassword.length + apiKey.length + (env.HOME ?? '').length;
    throw failure;
  };
}
export class Account {
  owner = 'ann';
  secret = '';
  open(secrets: Record<string, string>) {
    this.secret = secrets.field;
    return makeClient(secrets.closure)(this.owner, secrets.param, secrets);
  }
}
`;

const app = createRequire(import.meta.url)(writeBuild(scratch('snapshot-redaction-'), 'app', APP, { transform: { instrument: 'all' } }));

/** Secret values made at run time (so that no source text holds them), by where the program keeps them. */
const secret = (where) => `s3cr3t-${where}-${randomBytes(6).toString('hex')}`;
const SECRETS = Object.fromEntries(
  ['module', 'moduleProp', 'closure', 'param', 'local', 'prop', 'nested', 'array', 'symbol', 'errorProp', 'field'].map((w) => [
    w,
    secret(w),
  ]),
);
/** Environment variables whose names hold a secret word, in every case the list allows. */
const SECRET_ENV = {
  DB_PASSWORD: secret('env1'),
  db_passwd: secret('env2'),
  AWS_Secret_Access_Key: secret('env3'),
  github_token: secret('env4'),
  STRIPE_API_KEY: secret('env5'),
  mapsApikey: secret('env6'),
  GOOGLE_APPLICATION_CREDENTIALS: secret('env7'),
  session_cookie: secret('env8'),
  BasicAuth: secret('env9'),
  SSH_PRIVATE_KEY: secret('env10'),
  npm_config__authToken: secret('env11'),
};
/** Names IPDB_REDACT (below) adds, and a name nothing redacts. */
const MORE_ENV = { MY_PASSPHRASE: secret('env12'), Internal_Dsn: secret('env13'), PLAIN_SETTING: 'plain-value' };
const IPDB_REDACT = 'password|secret|token|key|passphrase|dsn';

/** The error of `Account.open`, thrown and captured in this process with `env` added to process.env. */
async function liveError() {
  app.configure(SECRETS);
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 3;
  try {
    const err = await thrownBy(() => new app.Account().open(SECRETS));
    return new LiveFrameSource(err, capture.captureOf(err, false));
  } finally {
    Error.stackTraceLimit = saved;
  }
}

/** Runs `fn` with `env` in process.env. */
function withEnv(env, fn) {
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
  }
}

/** The snapshot of `live` with IPDB_REDACT `pattern`, written as a file: its path and its JSON text. */
function written(live, pattern) {
  const r = redaction.redactionOf(pattern);
  assert.ok(r.ok, r.error);
  const snapshot = withEnv({ ...SECRET_ENV, ...MORE_ENV }, () => takeSnapshot(live, { rank: 0, tsPdb: '0.1.0' }, r.redaction));
  const w = writer.writeSnapshot(snapshot, join(fs.mkdtempSync(join(tmpdir(), 'ts-pdb-redact-')), 'ts-pdb-dumps'));
  assert.ok(w.ok, w.error);
  return { file: w.path, text: gunzipSync(fs.readFileSync(w.path)).toString('utf8') };
}

const live = await liveError();

test('the secret words: environment names holding them in any case are redacted in the file, values and all; other names are kept', () => {
  const { text } = written(live, undefined);
  const doc = JSON.parse(text);
  for (const [name, value] of Object.entries(SECRET_ENV)) {
    assert.equal(doc.process.env[name], '<redacted>', name);
    assert.ok(doc.process.redactedEnv.includes(name), name);
    assert.ok(!text.includes(value), `the value of ${name} is nowhere in the file`);
  }
  assert.equal(doc.process.env.PLAIN_SETTING, 'plain-value');
  assert.equal(doc.process.env.MY_PASSPHRASE, MORE_ENV.MY_PASSPHRASE, 'a name with no secret word is kept without IPDB_REDACT');
});

test('IPDB_REDACT: parameters, locals, closure and module bindings, this, nested and error properties, symbol keys, process.env: none of the values is in the file', () => {
  const { file, text } = written(live, IPDB_REDACT);
  for (const [where, value] of Object.entries({
    ...SECRETS,
    ...SECRET_ENV,
    MY_PASSPHRASE: MORE_ENV.MY_PASSPHRASE,
    Internal_Dsn: MORE_ENV.Internal_Dsn,
  })) {
    assert.ok(!text.includes(value), `the secret of ${where} is nowhere in the file`);
  }
  assert.ok(text.includes('plain-value'), 'what no name redacts is kept');

  // Opened: each redacted name shows <redacted>, the rest as it was.
  const r = reader.readSnapshot(file);
  assert.ok(r.ok, r.error);
  const { text: shown } = transcriptOf(new Session(new SnapshotFrameSource(r.snapshot), {}), [
    'p apiKey',
    'p config',
    'p env.PLAIN_SETTING',
    'p env.GITHUB_TOKEN ?? env.github_token',
    'p failure.password',
    'a',
    'p sessionKey',
    'u',
    'p this',
    'p dbPassword',
    'p settings',
    'q',
  ]);
  assert.match(shown, /ipdb> p apiKey\n<redacted>\n/);
  assert.match(
    shown,
    /ipdb> p config\n\{\n? *host: 'db',\s+password: <redacted>,\s+nested: \{ Secret: <redacted> \},\s+list: \[ \{ token: <redacted> \} \],\s+\[?Symbol\(password\)\]?: <redacted>\s*\}\n/,
  );
  assert.match(shown, /ipdb> p env\.PLAIN_SETTING\n'plain-value'\n/);
  assert.match(shown, /ipdb> p env\.GITHUB_TOKEN \?\? env\.github_token\n<redacted>\n/);
  assert.match(shown, /ipdb> p failure\.password\n<redacted>\n/);
  assert.match(shown, /ipdb> a\nuser = 'ann'\npassword = <redacted>\nsecrets = <redacted>\n/, 'the parameters');
  assert.match(shown, /ipdb> p sessionKey\n<redacted>\n/, 'the closure binding');
  assert.match(shown, /ipdb> p this\nAccount \{ owner: 'ann', secret: <redacted> \}\n/);
  assert.match(shown, /ipdb> p dbPassword\n<redacted>\n/);
  assert.match(shown, /ipdb> p settings\n\{ region: 'eu', apiToken: <redacted> \}\n/);
});

test('without IPDB_REDACT the secret words still keep process.env safe where a local holds it', () => {
  const { text } = written(live, undefined);
  for (const [name, value] of Object.entries(SECRET_ENV)) assert.ok(!text.includes(value), `${name} through the local env`);
  assert.ok(text.includes(MORE_ENV.MY_PASSPHRASE), 'a name with no secret word is data');
});

// Real processes: `ts-pdb run app.ts`, the program reading its secrets from its environment.
const PROGRAM = `function login(user: string, password: string, dsn: string) {
  const attempt = { user, password, dsn };
  throw new Error('login failed for ' + attempt.user);
}

// @debuggable
function main() {
  return login('ann', process.env.DB_PASSWORD ?? '', process.env.APP_DSN ?? '');
}
main();
`;
const RUN_SECRETS = { DB_PASSWORD: secret('run-password'), APP_DSN: secret('run-dsn') };
const RUN_ENV = (dir) => ({
  NO_COLOR: '1',
  IPDB_MODE: '',
  IPDB_TIMEOUT: '',
  TS_PDB_INSTRUMENT: 'all',
  TS_PDB_HOME: join(dir, 'home'),
  IPDB_REDACT: 'password|dsn',
  ...RUN_SECRETS,
});

test('live sessions redact nothing: a socket session and the report show the secrets IPDB_REDACT names', async (t) => {
  const dir = linkedProject('redact-live-', PROGRAM);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = startRun(dir, { ...RUN_ENV(dir), RANK: '1', WORLD_SIZE: '2', IPDB_SOCK_PATH: join(dir, 'pdb.sock') });
  t.after(() => run.kill());
  const where = (await run.err.until(/connect with: {2}nc -U (\S+)/))[1];
  const client = await connectSession(where);
  const ask = async (line, until) => {
    const from = client.seen.text.length;
    client.send(line);
    await client.seen.until((text) => until.test(text.slice(from)));
    return client.seen.text.slice(from);
  };
  const prompt = /\(rank-1-pdb\) $/;
  assert.ok((await ask('p attempt', prompt)).includes(`password: '${RUN_SECRETS.DB_PASSWORD}'`));
  assert.ok((await ask('p process.env.APP_DSN', prompt)).includes(RUN_SECRETS.APP_DSN));
  assert.ok((await ask('a', prompt)).includes(`dsn = '${RUN_SECRETS.APP_DSN}'`));
  client.send('q');
  await run.exited;
  client.socket.destroy();

  // No terminal: the report instead of a session, live as well.
  const report = startRun(dir, { ...RUN_ENV(dir), CI: 'true' });
  t.after(() => report.kill());
  assert.equal(await report.exited, 1);
  assert.ok(report.err.text.includes(`password = '${RUN_SECRETS.DB_PASSWORD}'`), report.err.text);
  assert.doesNotMatch(report.err.text, /redacted/);
});

// Writing from a live stop (IPDB_MODE=dump) is wired by runtime/front-ends/shared/snapshot-keeper.ts.
const KEEPER = join(ROOT, 'dist', 'runtime', 'front-ends', 'shared', 'snapshot-keeper.js');
const noKeeper = !fs.existsSync(KEEPER) && 'needs the dump wiring (front-ends/shared/snapshot-keeper.ts)';

test(
  'IPDB_MODE=dump with IPDB_REDACT: the file holds none of the secrets, and ts-pdb open shows <redacted>',
  { skip: noKeeper },
  async (t) => {
    const dir = linkedProject('redact-dump-', PROGRAM);
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const r = runToEnd(dir, { ...RUN_ENV(dir), IPDB_MODE: 'dump', session_Cookie: secret('run-cookie') });
    assert.equal(r.code, 1, r.err);
    const named = /^ts-pdb: rank 0: snapshot written: (\S+\.tspdb\.json\.gz)/m.exec(r.err);
    assert.ok(named, r.err);
    const text = gunzipSync(fs.readFileSync(join(dir, named[1]))).toString('utf8');
    for (const [name, value] of Object.entries(RUN_SECRETS)) assert.ok(!text.includes(value), `${name}'s value is nowhere in the file`);
    assert.ok(!text.includes('s3cr3t-run-cookie'), 'session_Cookie (a secret word) is redacted');
    const doc = JSON.parse(text);
    assert.deepEqual(doc.process.redactedEnv.filter((n) => /^(DB_PASSWORD|APP_DSN|session_Cookie)$/.test(n)).sort(), [
      'APP_DSN',
      'DB_PASSWORD',
      'session_Cookie',
    ]);
    const login = doc.errors[0].frames.find((f) => f.name === 'login');
    assert.deepEqual(
      login.locals.filter(([n]) => n === 'password' || n === 'dsn').map(([n, , ref]) => [n, ref]),
      [
        ['password', ['R']],
        ['dsn', ['R']],
      ],
    );
    // Opened with no terminal: the frames printed, the redacted locals as <redacted>.
    const open = spawn(process.execPath, [CLI, 'open', named[1]], { ...OWN_GROUP, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => killGroup(open));
    const shown = collect(open.stderr, 'ts-pdb open (stderr)');
    assert.equal(await new Promise((resolve) => open.on('close', resolve)), 0, shown.text);
    assert.match(shown.text, /\n {6}password = <redacted>\n {6}dsn = <redacted>\n/);
  },
);

test('an invalid IPDB_REDACT writes no snapshot and says why in one line; the error goes on', { skip: noKeeper }, (t) => {
  const dir = linkedProject('redact-invalid-', PROGRAM);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = runToEnd(dir, { ...RUN_ENV(dir), IPDB_MODE: 'dump', IPDB_REDACT: '*password' });
  assert.equal(r.code, 1, r.err);
  const lines = r.err.split('\n').filter((l) => l.includes('IPDB_REDACT'));
  assert.equal(lines.length, 1, r.err);
  assert.match(lines[0], /^ts-pdb: rank 0: IPDB_REDACT is not a regular expression \(.+\): no snapshot written\.$/);
  assert.match(r.err, /Error: login failed for ann\n/, 'the error goes on');
  assert.ok(!fs.existsSync(join(dir, 'ts-pdb-dumps')) || fs.readdirSync(join(dir, 'ts-pdb-dumps')).length === 0, 'no snapshot');
});

/** Runs `ts-pdb run app.ts` in `dir` to its end with no terminal: stderr and the exit code. */
function runToEnd(dir, env) {
  const merged = { ...process.env, CI: 'true', ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined || v === '') delete merged[k];
  const r = spawnSync(process.execPath, [CLI, 'run', 'app.ts'], { cwd: dir, encoding: 'utf8', env: merged, timeout: 60_000 });
  return { err: r.stderr, code: r.status };
}
