// `ts-pdb dap` attached to real programs waiting in socket mode (`ts-pdb run app.ts`, the registry
// in the project's TS_PDB_HOME), through the rank's structured protocol, driven by DebugClient on
// stdio: attach by rank, by address and to every rank of a Node cluster job at once; the stack, the
// variables and the debug console as the rank answers them; continue (= c), restartFrame on the
// boundary (= retry), terminate and terminateDebuggee (= q); disconnect and a vanished adapter leave
// the rank waiting, its error intact; a breakpoint() whose const cannot be set and whose let can;
// a TCP rank with a token. Every message the adapter sends conforms to the protocol's schema.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';
import { connectSession, startRun } from '../helpers/run-program.mjs';
import { collect, linkedProject } from '../helpers/socket.mjs';
import { APP, attach, CLI, refused, startAdapter, variablesOf, waitForEvents } from './dap-helpers.mjs';

/** `ts-pdb run app.ts` of `source` waiting in socket mode (every function instrumented), at its box. */
async function waitingRank(t, source = APP, prefix = 'dap-rank-', env = {}) {
  const dir = linkedProject(prefix, source);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const home = path.join(dir, 'home');
  const run = startRun(dir, { IPDB_MODE: 'socket', TS_PDB_INSTRUMENT: 'all', IPDB_SOCK_PATH: path.join(dir, 'pdb.sock'), ...env });
  t.after(() => run.kill());
  const box = await run.err.until(/connect with: {2}nc (?:-U )?(\S+(?: \d+)?)/);
  return { dir, home, run, address: box[1].replace(' ', ':') };
}

/** An adapter on stdio whose registry is the project's. */
function adapterFor(t, rank, extra = {}) {
  return startAdapter(t, { cwd: rank.dir, env: { TS_PDB_HOME: rank.home, ...extra } });
}

test('attach {rank: 0}: a real waiting rank as a thread; its stack, variables and console; disconnect leaves it waiting, a second client attaches by address; continue lets the error go on', async (t) => {
  const rank = await waitingRank(t);
  const { dc, problems } = await adapterFor(t, rank);
  const { stopped } = await attach(dc, { rank: 0 });
  assert.deepEqual(stopped[0].body, {
    reason: 'exception',
    description: 'Exception caught in checkout',
    threadId: 1,
    allThreadsStopped: false,
    text: 'RangeError: sum 600 is over 10',
  });
  const pid = Number(/rank 0 \(pid (\d+)\)/.exec(rank.run.err.text)[1]);
  assert.match((await dc.threadsRequest()).body.threads[0].name, new RegExp(`^rank 0 \\(pid ${pid}, host \\S+\\)$`));
  const st = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
  const appTs = path.join(rank.dir, 'app.ts');
  assert.deepEqual(
    st.slice(0, 3).map((f) => [f.name, f.source.path, f.line, f.canRestart ?? false]),
    [
      ['check', appTs, 11, false],
      ['Cart.total', appTs, 13, false],
      ['checkout', appTs, 21, true],
    ],
    'the TypeScript, and retry offered on the boundary only',
  );
  assert.equal(st[0].source.sourceReference, undefined, 'a live rank on this machine: the editor opens the file itself');
  const scopes = (await dc.scopesRequest({ frameId: st[1].id })).body.scopes;
  const locals = await variablesOf(dc, scopes[0].variablesReference);
  assert.equal(locals.sum.value, '600');
  assert.equal(locals.big.indexedVariables, 600);
  const entries = await dc.variablesRequest({ variablesReference: locals.big.variablesReference, filter: 'indexed', start: 10, count: 2 });
  assert.deepEqual(
    entries.body.variables.map((v) => v.value),
    ["'s10' => 1", "'s11' => 2"],
  );
  assert.equal((await dc.evaluateRequest({ expression: 'p sum / 2', context: 'repl', frameId: st[0].id })).body.result, '300');
  assert.equal((await dc.evaluateRequest({ expression: 'this.items.length', context: 'repl', frameId: st[1].id })).body.result, '600');
  const info = await dc.exceptionInfoRequest({ threadId: 1 });
  assert.deepEqual(info.body.details.innerException, [
    { message: 'Error: the inner cause', typeName: 'Error', fullTypeName: 'cause: Error' },
  ]);

  // Disconnect: the rank keeps waiting, its snapshot and registry entry with it. A second editor
  // attaching by its address shows it (no sleep: the attach itself is the event waited for).
  await dc.disconnectRequest({});
  const second = await adapterFor(t, rank);
  await attach(second.dc, { address: rank.address });
  assert.equal(rank.run.child.exitCode, null, 'the rank still waits');
  assert.doesNotMatch(rank.run.err.text, /session ended/);

  // The second editor sees the same error, and lets it go on.
  const said = waitForEvents(second.dc, 'output', 1);
  const terminated = second.dc.waitForEvent('terminated');
  await second.dc.continueRequest({ threadId: 1 });
  assert.match((await said)[0].body.output, /ts-pdb: session ended; the error goes on in the program\.\n/);
  await terminated;
  assert.equal(await rank.run.exited, 1);
  assert.match(rank.run.err.text, /RangeError: sum 600 is over 10\n {4}at check \(.*app\.ts:11:\d+\)/, 'the original error goes on');
  assert.deepEqual([...problems, ...second.problems], []);
});

const RETRY_APP = `let attempts = 0;

// @debuggable
function fetchRows(table: string) {
  attempts++;
  const wanted = attempts * 10;
  if (attempts < 2) throw new Error(\`\${table}: connection reset (attempt \${attempts})\`);
  return \`\${wanted} rows of \${table} on attempt \${attempts}\`;
}

function report() {
  return fetchRows('orders');
}

console.log(report());
`;

test('restartFrame on the boundary frame is retry: the function runs again and the program goes on; on another frame it is refused', async (t) => {
  const rank = await waitingRank(t, RETRY_APP, 'dap-retry-');
  const { dc, problems } = await adapterFor(t, rank);
  await attach(dc, { rank: 0 });
  const st = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
  const [boundary, caller] = st;
  assert.deepEqual([boundary.name, boundary.canRestart, caller.name, caller.canRestart], ['fetchRows', true, 'report', undefined]);
  assert.equal(
    await refused(dc.restartFrameRequest({ frameId: caller.id })),
    'only the boundary frame (fetchRows) can restart: retry calls it again with the same arguments',
  );
  const terminated = dc.waitForEvent('terminated');
  await dc.restartFrameRequest({ frameId: boundary.id });
  await terminated;
  await rank.run.out.until(/20 rows of orders on attempt 2\n/);
  assert.equal(await rank.run.exited, 0);
  assert.deepEqual(problems, []);
});

test('terminate is q: the session ends and the error goes on; disconnect with terminateDebuggee does the same', async (t) => {
  const one = await waitingRank(t);
  const a = await adapterFor(t, one);
  await attach(a.dc, { rank: 0 });
  const terminated = a.dc.waitForEvent('terminated');
  await a.dc.terminateRequest({});
  await terminated;
  assert.equal(await one.run.exited, 1);
  assert.match(one.run.err.text, /RangeError: sum 600 is over 10/);

  const two = await waitingRank(t);
  const b = await adapterFor(t, two);
  await attach(b.dc, { rank: 0 });
  await b.dc.disconnectRequest({ terminateDebuggee: true });
  assert.equal(await two.run.exited, 1);
  assert.equal(await b.exited, 0, 'the adapter ends after disconnect');
  assert.deepEqual([...a.problems, ...b.problems], []);
});

const BREAKPOINT_APP = `import { breakpoint } from 'ts-pdb';

function main() {
  const limit = 3;
  let count = 1;
  breakpoint();
  console.log(\`count=\${count} limit=\${limit}\`);
}

main();
`;

test('a breakpoint(): stopped as a breakpoint; setting its const is refused in the session words, its let reaches the program when it goes on', async (t) => {
  const rank = await waitingRank(t, BREAKPOINT_APP, 'dap-bp-', { TS_PDB_INSTRUMENT: undefined });
  const { dc, problems } = await adapterFor(t, rank);
  const { stopped } = await attach(dc, { rank: 0 });
  assert.deepEqual(stopped[0].body, { reason: 'breakpoint', description: 'Breakpoint in main', threadId: 1, allThreadsStopped: false });
  assert.match(await refused(dc.exceptionInfoRequest({ threadId: 1 })), /stopped at a breakpoint\(\) call: nothing was thrown/);
  const st = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
  assert.equal(st[0].name, 'main');
  assert.ok(
    st.every((f) => !f.canRestart),
    'nothing to retry at a breakpoint',
  );
  const locals = (await dc.scopesRequest({ frameId: st[0].id })).body.scopes[0].variablesReference;
  const refusal = await refused(dc.setVariableRequest({ variablesReference: locals, name: 'limit', value: '10' }));
  assert.equal(refusal, 'limit is a const: the program keeps its value');
  // The numbers were renewed by the command: ask again, as an editor does on `invalidated`.
  const again = (await dc.scopesRequest({ frameId: st[0].id })).body.scopes[0].variablesReference;
  assert.equal((await dc.setVariableRequest({ variablesReference: again, name: 'count', value: '41 + 1' })).body.value, '42');
  const terminated = dc.waitForEvent('terminated');
  await dc.continueRequest({ threadId: 1 });
  await terminated;
  await rank.run.out.until(/count=42 limit=3\n/);
  assert.equal(await rank.run.exited, 0);
  assert.deepEqual(problems, []);
});

test('terminate at a breakpoint() is q and its yes: the program ends there', async (t) => {
  const rank = await waitingRank(t, BREAKPOINT_APP, 'dap-bp-quit-', { TS_PDB_INSTRUMENT: undefined });
  const { dc, problems } = await adapterFor(t, rank);
  await attach(dc, { rank: 0 });
  const terminated = dc.waitForEvent('terminated');
  await dc.terminateRequest({});
  await terminated;
  assert.equal(await rank.run.exited, 1);
  assert.match(rank.run.err.text, /ts-pdb: quit at a breakpoint: the program ends\.\n/);
  assert.doesNotMatch(rank.run.out.text, /count=/, 'the program did not go on');
  assert.deepEqual(problems, []);
});

const CLUSTER_APP = `import cluster from 'node:cluster';

// @debuggable
function work(id: number) {
  const shard = { id, items: id * 10 };
  throw new Error(\`worker \${id} failed on shard \${shard.items}\`);
}

if (cluster.isPrimary) {
  for (let i = 0; i < 2; i++) cluster.fork();
  const codes: string[] = [];
  cluster.on('exit', (w, code) => {
    codes.push(\`worker \${w.id} exit \${code}\`);
    if (codes.length === 2) console.log(codes.sort().join('; '));
  });
} else {
  work(cluster.worker!.id);
}
`;

test('{ranks: "all"}: the two waiting ranks of a cluster job, each a thread stopped on its own error; continue on one leaves the other; a second job makes "job" needed', async (t) => {
  const dir = linkedProject('dap-cluster-', CLUSTER_APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const home = path.join(dir, 'home');
  const job = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    ...OWN_GROUP,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', IPDB_MODE: '', IPDB_SOCK_PATH: path.join(dir, 'pdb.sock'), NO_COLOR: '1', TS_PDB_HOME: home },
  });
  t.after(() => killGroup(job));
  const out = collect(job.stdout, 'the job (stdout)');
  const err = collect(job.stderr, 'the job (stderr)');
  await err.until((text) => (text.match(/connect with/g) ?? []).length === 2);

  // Another job's rank waits too (a single process, no job id): "all" then needs "job".
  const other = await waitingRank(t, APP, 'dap-other-', { TS_PDB_HOME: home });
  const { dc, problems } = await startAdapter(t, { cwd: dir, env: { TS_PDB_HOME: home } });
  await dc.initializeRequest({ adapterID: 'ts-pdb', pathFormat: 'path' });
  assert.match(await refused(dc.attachRequest({ ranks: 'all' })), /^waiting ranks of 2 jobs \(.*cluster-\d+.*\): say which with "job"$/);
  assert.match(await refused(dc.attachRequest({ ranks: 'some' })), /^"ranks" takes "all"/);
  assert.match(await refused(dc.attachRequest({ rank: 1, job: 'nope' })), /^no waiting session of rank 1 of job nope/);
  const initialized = dc.waitForEvent('initialized');
  // `ts-pdb ls --json` names the job each rank belongs to; the editor passes it on.
  const ls = JSON.parse((await runCli(['ls', '--json'], { TS_PDB_HOME: home })).stdout);
  const jobId = ls.find((e) => e.rank === 1).job;
  assert.match(jobId, /^cluster-\d+$/);
  assert.equal(ls.find((e) => e.rank === 2).job, jobId, 'both workers are of the job');
  await dc.attachRequest({ ranks: 'all', job: jobId });
  await initialized;
  const stopped = waitForEvents(dc, 'stopped', 2);
  await dc.configurationDoneRequest();
  const texts = (await stopped).map((e) => e.body.text).sort();
  assert.deepEqual(texts, ['Error: worker 1 failed on shard 10', 'Error: worker 2 failed on shard 20']);
  const threads = (await dc.threadsRequest()).body.threads;
  assert.deepEqual(threads.map((th) => th.name.replace(/ \(.*/, '')).sort(), ['rank 1', 'rank 2']);
  // Each thread's own frames and locals.
  for (const th of threads) {
    const id = Number(/^rank (\d)/.exec(th.name)[1]);
    const st = (await dc.stackTraceRequest({ threadId: th.id })).body.stackFrames;
    assert.equal(st[0].name, 'work');
    const locals = await variablesOf(dc, (await dc.scopesRequest({ frameId: st[0].id })).body.scopes[0].variablesReference);
    assert.equal(locals.shard.value, `{ id: ${id}, items: ${id * 10} }`);
  }
  // Continue rank 1: its thread exits, rank 2 stays stopped.
  const rank1 = threads.find((th) => th.name.startsWith('rank 1'));
  const exited = dc.waitForEvent('thread');
  await dc.continueRequest({ threadId: rank1.id });
  assert.deepEqual((await exited).body, { reason: 'exited', threadId: rank1.id });
  assert.deepEqual(
    (await dc.threadsRequest()).body.threads.map((th) => th.name.replace(/ \(.*/, '')),
    ['rank 2'],
  );
  const terminated = dc.waitForEvent('terminated');
  await dc.terminateRequest({});
  await terminated;
  await out.until(/worker 1 exit 1; worker 2 exit 1/);
  assert.equal(other.run.child.exitCode, null, "the other job's rank was not touched");
  assert.deepEqual(problems, []);
});

/** `ts-pdb ARGS` to its end: stdout, stderr, exit code. */
function runCli(args, env) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

test('a TCP rank with a token: attach by rank takes the token from the registry; by address the token given, and a wrong one is refused', async (t) => {
  const rank = await waitingRank(t, APP, 'dap-tcp-', { IPDB_CONNECTION_TYPE: 'tcp', IPDB_PORT: '0', IPDB_TOKEN: '1' });
  assert.match(rank.address, /^127\.0\.0\.1:\d+$/);
  const token = /send this token as the first line: {2}(\S+)/.exec(rank.run.err.text)[1];
  const a = await adapterFor(t, rank);
  await attach(a.dc, { rank: 0 });
  assert.equal((await a.dc.evaluateRequest({ expression: 'p 6 * 7', context: 'repl' })).body.result, '42');
  await a.dc.disconnectRequest({});

  // An editor whose registry does not hold the rank (another TS_PDB_HOME) gives the token itself.
  const elsewhere = path.join(rank.dir, 'elsewhere');
  const b = await startAdapter(t, { cwd: rank.dir, env: { TS_PDB_HOME: elsewhere } });
  await b.dc.initializeRequest({ adapterID: 'ts-pdb', pathFormat: 'path' });
  assert.match(await refused(b.dc.attachRequest({ address: rank.address, token: 'not-the-token' })), /token/);
  const c = await startAdapter(t, { cwd: rank.dir, env: { TS_PDB_HOME: elsewhere } });
  await attach(c.dc, { address: rank.address, token });
  assert.match((await c.dc.threadsRequest()).body.threads[0].name, /^rank 0 \(pid \d+/);
  await c.dc.disconnectRequest({});
  assert.equal(rank.run.child.exitCode, null, 'still waiting');
  assert.deepEqual([...a.problems, ...b.problems, ...c.problems], []);
});

test('a rank busy with another client is an attach error that says so; an adapter killed while attached leaves the rank waiting, its error intact', async (t) => {
  const rank = await waitingRank(t);
  const nc = await connectSession(rank.address, /ipdb> $/);
  const a = await adapterFor(t, rank);
  await a.dc.initializeRequest({ adapterID: 'ts-pdb', pathFormat: 'path' });
  assert.match(await refused(a.dc.attachRequest({ rank: 0 })), /the session of rank 0 is busy: another client is attached/);
  nc.socket.end();
  await new Promise((r) => nc.socket.on('close', r));

  const b = await adapterFor(t, rank);
  await attach(b.dc, { rank: 0 });
  b.adapter.kill('SIGKILL');
  await b.exited;
  // The next client finds the session as it was.
  const again = await connectSession(rank.address, /ipdb> $/);
  again.send('p sum');
  await again.seen.until(/ipdb> 600\n/);
  again.socket.end();
  assert.equal(rank.run.child.exitCode, null);
  assert.deepEqual([...a.problems, ...b.problems], []);
});
