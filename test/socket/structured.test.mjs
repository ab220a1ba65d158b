// Socket mode's structured protocol (issue #12, docs/dap-design.md; the wire format in
// runtime/front-ends/socket/protocol.ts): a client that says `\x00hello {"protocol":1}` gets the
// rank's facts, the session's state before each prompt, and answers to the engine's requests (stack,
// scopes, a page of a value's children, evaluate, complete, select), while commands stay text lines;
// a client that never says hello (`nc -U`) sees exactly what it saw before. A real program
// (`ts-pdb run app.ts`, rank 1 in socket mode) and real clients: raw sockets for the wire's bytes,
// the StructuredClient the debug adapter uses, `nc -U`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { startRun } from '../helpers/run-program.mjs';
import { collect, linkedProject, needNc, WAIT_MS } from '../helpers/socket.mjs';

const CLIENT = path.join(ROOT, 'dist', 'runtime', 'front-ends', 'socket', 'structured-client.js');

const APP = `// @debuggable
function train(step: number, rows: number[]) {
  const lr = 0.01 * step;
  const big = Array.from({ length: 250000 }, (_, i) => i * 2);
  const batch = { size: 32, rank: Number(process.env.RANK) };
  if (step > 2) throw new RangeError(\`loss is NaN at step \${step}\`);
  return lr + big.length + batch.size + rows.length;
}
// @debuggable
function epoch(rows: number[]) {
  let total = 0;
  for (let s = 0; s < 5; s++) total += train(s, rows);
  return total;
}
epoch([7, 8, 9]);
`;

const PROMPT = '(rank-1-pdb) ';
/** The error as the program prints it when it goes on: the message and the TypeScript frame. */
const ERROR = /RangeError: loss is NaN at step 3\n {4}at train \(.*app\.ts:6:\d+\)\n {4}at epoch \(.*app\.ts:12:\d+\)/;

/** Rank 1 of 2 failing in socket mode (or TCP with `env`); resolves with the program and where to connect. */
async function startRank(t, env = {}) {
  const dir = linkedProject('structured-', APP);
  const run = startRun(dir, { RANK: '1', WORLD_SIZE: '2', IPDB_SOCK_PATH: path.join(dir, 'pdb.sock'), IPDB_TIMEOUT: '', ...env }, 'rank 1');
  t.after(() => run.kill());
  const box = await run.err.until(/connect with: {2}nc (?:-U (\S+)|(\S+) (\d+))/);
  return { dir, run, where: box[1] ?? `${box[2]}:${box[3]}` };
}

/** The program's exit code, or a failure with its stderr when it does not end in time. */
function exitOf(run) {
  return Promise.race([
    run.exited,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`the program did not end; stderr:\n${run.err.text.slice(-3000)}`)), WAIT_MS),
    ),
  ]);
}

/** A raw client of the socket (no protocol helpers): what it received, as text. */
function raw(where) {
  const tcp = /^(.*):(\d+)$/.exec(where);
  const socket = tcp ? net.connect(Number(tcp[2]), tcp[1]) : net.connect(where);
  socket.on('error', () => {});
  const seen = collect(socket, `raw client of ${where}`);
  const closed = new Promise((resolve) => socket.once('close', resolve));
  return { socket, seen, closed, send: (text) => socket.write(text) };
}

/**
 * A raw client once it has the session's prompt. A client that just vanished may still hold the
 * session for a moment (the rank has not read its end yet): a busy refusal is then tried again.
 */
async function rawAtPrompt(where) {
  for (;;) {
    const c = raw(where);
    const m = await c.seen.until(/\(rank-1-pdb\) $|is busy: another client is attached/);
    if (!m[0].includes('busy')) return c;
    await c.closed;
  }
}

/** The control lines of one kind in `text` (`\x00<verb> <json>\n`), parsed. */
function controls(text, verb) {
  return [...text.matchAll(new RegExp(`\\x00${verb} ([^\\n]*)\\n`, 'g'))].map((m) => JSON.parse(m[1]));
}

/** Resolves with the answer of id `id` once it is in `seen`. */
async function answerOf(seen, id) {
  const m = await seen.until(new RegExp(`\\x00answer (\\{"id":${JSON.stringify(id)}[^\\n]*)\\n`));
  return JSON.parse(m[1]);
}

test('the wire: hello answered with the rank, pid, host, title; a state line and then the prompt before each prompt; a command stays text', async (t) => {
  const { run, where } = await startRank(t);
  const c = raw(where);
  t.after(() => c.socket.destroy());
  // What nc sees first (the banner, the prompt), then the hello.
  await c.seen.until(/Entering post-mortem session[^]*\(rank-1-pdb\) $/);
  const before = c.seen.text;
  assert.ok(!before.includes('\x00'), 'nothing out of band before the hello');
  c.send('\x00hello {"protocol":1}\n');
  const state1 = await c.seen.until(/\x00state ([^\n]*)\n\(rank-1-pdb\) $/);
  const rest = c.seen.text.slice(before.length);
  const hello = /^\x00hello ([^\n]*)\n/.exec(rest);
  assert.ok(hello, `the hello's answer comes first: ${JSON.stringify(rest.slice(0, 200))}`);
  const pid = Number(/rank 1 \(pid (\d+)\)/.exec(run.err.text)[1]);
  const facts = JSON.parse(hello[1]);
  assert.deepEqual(
    { ...facts, host: typeof facts.host },
    { protocol: 1, rank: 1, pid, host: 'string', title: 'RangeError: loss is NaN at step 3', breakpoint: false },
  );
  const s1 = JSON.parse(state1[1]);
  assert.equal(s1.prompt, PROMPT);
  assert.equal(s1.state.title, 'RangeError: loss is NaN at step 3');
  assert.deepEqual(
    s1.state.frames.slice(0, 2).map((f) => [f.name, f.location, f.line]),
    [
      ['train', 'app.ts:6', 6],
      ['epoch', 'app.ts:12', 12],
    ],
  );
  assert.deepEqual(s1.state.scopes[0].nodes.map((n) => [n.name, n.preview]).slice(0, 3), [
    ['step', '3'],
    ['rows', '[ 7, 8, 9 ]'],
    ['lr', '0.03'],
  ]);
  // A command: its output as text, then the next state, then the prompt.
  const mark = c.seen.text.length;
  c.send('p [lr, batch]\n');
  const state2 = await c.seen.until((text) => /\x00state ([^\n]*)\n\(rank-1-pdb\) $/.exec(text.slice(mark)));
  assert.equal(c.seen.text.slice(mark, mark + state2.index), '[ 0.03, { size: 32, rank: 1 } ]\n', 'the output, then the state');
  assert.ok(JSON.parse(state2[1]).state.version > s1.state.version, 'each state is newer');
  // A request and its answer, on the same socket.
  c.send('\x00request {"id":"a","method":"evaluate","params":{"expression":"batch.size * 2"}}\n');
  assert.deepEqual(await answerOf(c.seen, 'a'), { id: 'a', result: { node: { name: 'batch.size * 2', preview: '64', type: 'number' } } });
  c.send('q\n');
  await c.closed;
  assert.match(c.seen.text, /session ended; the error goes on/);
  assert.equal(await exitOf(run), 1);
  assert.match(run.err.text, ERROR);
});

test('StructuredClient: stack, scopes, children of a big array a page at a time, evaluate, complete, select (the state follows), a command; c ends the session and the error goes on', async (t) => {
  const { StructuredClient, RequestError } = await import(CLIENT);
  const { run, where } = await startRank(t);
  const client = await StructuredClient.connect(where);
  t.after(() => client.socket.destroy());
  assert.deepEqual([client.facts.rank, client.facts.title, client.prompt], [1, 'RangeError: loss is NaN at step 3', PROMPT]);
  assert.match(client.banner, /Entering post-mortem session[^]*----> 6 +if \(step > 2\)/);
  assert.ok(!client.banner.endsWith(PROMPT), 'the prompt is not part of the banner');

  const stack = await client.request('stack');
  assert.deepEqual(
    stack.frames.slice(0, 2).map((f) => [f.index, f.name, f.line, f.selectable]),
    [
      [0, 'train', 6, true],
      [1, 'epoch', 12, true],
    ],
  );
  assert.equal(stack.index, 0);

  // The caller's variables, without selecting it: none yet (the session opened before the error
  // left it), and the scope says why.
  const callerScopes = await client.request('scopes', { frame: 1 });
  assert.deepEqual(callerScopes[0].nodes, []);
  assert.match(callerScopes[0].note, /captured as an error leaves the function/);
  assert.equal(client.state.index, 0, 'asking is not selecting');

  // A big array: range nodes that cover it, then one page of real items.
  const scopes = await client.request('scopes', {});
  const big = scopes[0].nodes.find((n) => n.name === 'big');
  assert.equal(big.type, 'Array');
  const top = (await client.request('children', { ref: big.ref })).nodes;
  const ranges = top.filter((n) => n.range);
  assert.ok(ranges.length > 1 && ranges.length <= 100, `a few range nodes stand for 250,000 items: ${ranges.length}`);
  assert.deepEqual([ranges[0].range[0], ranges.at(-1).range[1]], [0, 250000]);
  for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i].range[0], ranges[i - 1].range[1], 'contiguous');
  assert.equal(top.find((n) => n.name === 'length').preview, '250000');
  assert.ok(top.length < 110, `one bounded answer, not 250,000 nodes: ${top.length}`);
  const page = (await client.request('children', { ref: big.ref, from: 123450, to: 123460 })).nodes;
  assert.deepEqual(
    page.map((n) => [n.name, n.preview]),
    Array.from({ length: 10 }, (_, i) => [String(123450 + i), String((123450 + i) * 2)]),
  );

  const evaluated = await client.request('evaluate', { expression: 'batch' });
  assert.equal(evaluated.node.preview, '{ size: 32, rank: 1 }');
  assert.deepEqual(
    (await client.request('children', { ref: evaluated.node.ref })).nodes.slice(0, 2).map((n) => [n.name, n.preview]),
    [
      ['size', '32'],
      ['rank', '1'],
    ],
  );
  await assert.rejects(
    client.request('evaluate', { expression: 'nope.x' }),
    (e) => e instanceof RequestError && /nope is not defined/.test(e.message),
  );
  await assert.rejects(client.request('scopes', { frame: 99 }), /no frame 99/);
  assert.deepEqual(await client.request('complete', { line: 'p ba' }), { candidates: ['batch'], substring: 'ba' });

  // select changes the state: a new one follows the answer, with the frame selected.
  const states = [];
  client.on('state', (s) => states.push(s));
  const version = client.state.version;
  assert.deepEqual(await client.request('select', { frame: 1 }), { ok: true });
  await new Promise((resolve) => (states.length ? resolve() : client.once('state', resolve)));
  assert.equal(states[0].index, 1);
  assert.ok(states[0].version > version);
  assert.match(states[0].scopes[0].note, /captured as an error leaves the function/);
  // The old handles belong to an earlier prompt.
  await assert.rejects(client.request('children', { ref: big.ref }), /earlier prompt/);

  // Command lines: their output, and the state at the next prompt (the frame select chose stays).
  const p = await client.command('p rows');
  assert.deepEqual(
    [p.output, p.ended, p.state.index],
    ['*** ReferenceError: rows is not defined (no locals for epoch: the session opened before the error left it)\n', false, 1],
  );
  const down = await client.command('d');
  assert.match(down.output, /^> app\.ts\(6\)train\(\)\n/);
  assert.equal(down.state.index, 0);
  const sum = await client.command('p rows.length + step');
  assert.deepEqual([sum.output, sum.state.index], ['6\n', 0]);

  const end = await client.command('c');
  assert.equal(end.ended, true);
  assert.match(end.output, /session ended; the error goes on in the program/);
  assert.equal(await exitOf(run), 1);
  assert.match(run.err.text, ERROR);
});

test('TCP with a token: the token first, then the hello; a hello instead of the token is turned away', async (t) => {
  const { StructuredClient } = await import(CLIENT);
  const { run, where } = await startRank(t, { IPDB_CONNECTION_TYPE: 'tcp', IPDB_PORT: '0', IPDB_HOST: '', IPDB_TOKEN: '1' });
  const token = (await run.err.until(/then send this token as the first line: {2}([0-9a-f]{32})/))[1];
  // Without the token, the hello is the first line: refused, as any other line would be.
  await assert.rejects(StructuredClient.connect(where), /needs its token as the first line/);
  const client = await StructuredClient.connect(where, { token });
  t.after(() => client.socket.destroy());
  assert.equal(client.facts.rank, 1);
  assert.doesNotMatch(client.banner, /token\?/, 'the token question is not part of the banner');
  assert.equal((await client.request('evaluate', { expression: 'lr' })).node.preview, '0.03');
  const p = await client.command('p batch.size');
  assert.equal(p.output, '32\n');
  const end = await client.command('q');
  assert.equal(end.ended, true);
  assert.equal(await exitOf(run), 1);
  assert.match(run.err.text, ERROR);
});

/** The commands nc runs in the next test, and what of its output is compared. */
const NC_COMMANDS = ['p lr', 'w', 'u', 'p rows', 'd', 'whatis big', 'q'];

/** Runs `nc -U` on `where` with NC_COMMANDS, one after each prompt; resolves with everything it printed. */
async function ncSession(where) {
  const child = spawn('nc', ['-U', where], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = collect(child.stdout, `nc -U ${where}`);
  const exited = new Promise((resolve) => child.on('close', resolve));
  for (const [i, command] of NC_COMMANDS.entries()) {
    await out.until((text) => text.split(PROMPT).length - 1 >= i + 1 && text.endsWith(PROMPT));
    child.stdin.write(`${command}\n`);
  }
  assert.equal(await exited, 0);
  return out.text;
}

test('nc -U after a structured client left: no NUL byte, no state; the same text as a session nobody asked for structure', async (t) => {
  if (!needNc(t)) return;
  const { StructuredClient } = await import(CLIENT);
  // A session that only nc ever sees.
  const plain = await startRank(t);
  const plainText = await ncSession(plain.where);
  assert.equal(await exitOf(plain.run), 1);
  // A session where a structured client came first, asked, and left at a prompt.
  const { run, where } = await startRank(t);
  const client = await StructuredClient.connect(where);
  await client.request('scopes', {});
  await client.command('p lr');
  client.close();
  await new Promise((resolve) => (client.ended ? resolve() : client.once('end', resolve)));
  const ncText = await ncSession(where);
  assert.ok(!ncText.includes('\x00'), `no out-of-band line reaches nc:\n${JSON.stringify(ncText.slice(0, 500))}`);
  // The first client got the banner; from the first prompt on, nc's text is that of the plain session.
  const fromPrompt = (text, dir) => text.slice(text.indexOf(PROMPT)).replaceAll(dir, '<dir>');
  assert.equal(fromPrompt(ncText, path.dirname(where)), fromPrompt(plainText, path.dirname(plain.where)));
  assert.equal(await exitOf(run), 1);
  assert.match(run.err.text, ERROR);
});

test('garbage control lines: one error answer each (id null when unreadable), none reaches the command loop; busy while a command runs; a text client stays text', async (t) => {
  const { run, where } = await startRank(t);
  const c = raw(where);
  t.after(() => c.socket.destroy());
  await c.seen.until(/\(rank-1-pdb\) $/);
  // Before the hello: a request is refused (say hello first), a hello of another version too, and
  // the client stays a text client (no state line ever).
  c.send('\x00request {"id":1,"method":"stack"}\n\x00hello {"protocol":2}\n\x00hello nonsense\n');
  assert.match((await answerOf(c.seen, 1)).error, /say hello first/);
  await c.seen.until(/\x00hello [^\n]*\n[^]*\x00hello [^\n]*\n/);
  const refusals = controls(c.seen.text, 'hello');
  assert.equal(refusals.length, 2);
  assert.deepEqual(
    refusals.map((r) => [r.protocol, r.rank]),
    [
      [1, undefined],
      [1, undefined],
    ],
  );
  assert.match(refusals[0].error, /protocol 2 is not spoken here: this rank speaks protocol 1/);
  assert.match(refusals[1].error, /a hello is hello \{"protocol":1\}/);
  c.send('p lr\n');
  await c.seen.until(/0\.03\n\(rank-1-pdb\) $/);
  assert.doesNotMatch(c.seen.text, /\x00state/, 'a refused hello leaves a text client');

  c.send('\x00hello {"protocol":1}\n');
  await c.seen.until(/\x00state [^\n]*\n\(rank-1-pdb\) $/);
  const mark = c.seen.text.length;
  const garbage = [
    '\x00request {',
    '\x00request []',
    '\x00request null',
    '\x00request',
    '\x00request {"id":{},"method":"stack"}',
    '\x00request {"id":[1],"method":"stack"}',
    '\x00request {"id":10}',
    '\x00request {"id":11,"method":7}',
    '\x00request {"id":12,"method":"stack","params":[1]}',
    '\x00request {"id":13,"method":"nope"}',
    '\x00request {"id":14,"method":"children","params":{"ref":999999}}',
    `\x00request {"id":15,"method":"evaluate","params":{"expression":"${'1+'.repeat(60000)}1"}}`,
    '\x00request {"id":16,"method":"select","params":{"frame":5}}',
    '\x00frobnicate',
    '\x00\x00\x00',
    // Longer than any control line (1,000,000 characters), then its end: one answer, the rest dropped.
    `\x00request {"id":17,"method":"evaluate","params":{"expression":"${'x'.repeat(1_200_000)}"}}`,
  ];
  c.send(garbage.map((g) => `${g}\n`).join(''));
  c.send('\x00request {"id":"last","method":"evaluate","params":{"expression":"step"}}\n');
  assert.deepEqual((await answerOf(c.seen, 'last')).result.node.preview, '3');
  // The worker answers what it cannot read at once, the session what it can: in any order, one each.
  const answers = controls(c.seen.text.slice(mark), 'answer');
  assert.equal(answers.length, garbage.length + 1, 'one answer per line');
  const byId = (id) => answers.find((a) => a.id === id);
  assert.deepEqual(
    answers.map((a) => String(a.id)).sort(),
    ['10', '11', '12', '13', '14', '15', '16', 'last', ...Array(9).fill('null')].sort(),
  );
  for (const a of answers) if (a.id !== 'last') assert.equal(typeof a.error, 'string', JSON.stringify(a));
  const unread = answers.filter((a) => a.id === null).map((a) => a.error);
  assert.equal(unread.filter((e) => /^malformed request \(not JSON\)/.test(e)).length, 2, unread.join('\n'));
  assert.equal(unread.filter((e) => /^malformed request \(not an object\)/.test(e)).length, 2, unread.join('\n'));
  assert.equal(unread.filter((e) => /^malformed request \(its id is neither a number nor a string\)/.test(e)).length, 2);
  assert.equal(unread.filter((e) => /^unknown control line/.test(e)).length, 2);
  assert.equal(unread.filter((e) => /^control line too long \(more than 1000000 characters\)/.test(e)).length, 1);
  assert.match(byId(10).error, /malformed request \(no method\)/);
  assert.match(byId(11).error, /malformed request \(no method\)/);
  assert.match(byId(12).error, /malformed request \(its params are not an object\)/);
  assert.match(byId(13).error, /unknown request "nope"/);
  assert.match(byId(14).error, /earlier prompt/);
  assert.match(byId(15).error, /request too long \(\d+ characters; the limit is 100000\)/);
  assert.match(byId(16).error, /frame 5 has no source or locals/);
  const between = c.seen.text.slice(mark).replace(/\x00answer [^\n]*\n/g, '');
  assert.equal(between, '', 'no command ran, no prompt, no state: only answers');

  // A request while a command runs is refused at once, never queued behind it.
  c.send('p (() => { const t = Date.now(); while (Date.now() - t < 1500); return "slow"; })()\n');
  c.send('\x00request {"id":"busy","method":"stack"}\n');
  const busy = await answerOf(c.seen, 'busy');
  assert.equal(busy.error, 'busy: a command is running');
  await c.seen.until(/'slow'\n\x00state [^\n]*\n\(rank-1-pdb\) $/);
  assert.ok(c.seen.text.indexOf('\x00answer {"id":"busy"') < c.seen.text.indexOf("'slow'"), 'refused before the command ended');

  c.send('p [step, lr]\n');
  await c.seen.until(/\[ 3, 0\.03 \]\n\x00state [^\n]*\n\(rank-1-pdb\) $/);
  c.send('q\n');
  await c.closed;
  assert.equal(await exitOf(run), 1);
  assert.match(run.err.text, ERROR);
});

test('a client that vanishes mid-request (or mid-line) leaves the rank waiting for the next client, its error intact', async (t) => {
  const { StructuredClient } = await import(CLIENT);
  const { run, where } = await startRank(t);
  // A slow request, and the client gone before its answer.
  const first = raw(where);
  await first.seen.until(/\(rank-1-pdb\) $/);
  first.send('\x00hello {"protocol":1}\n');
  await first.seen.until(/\x00state [^\n]*\n\(rank-1-pdb\) $/);
  first.send(
    '\x00request {"id":1,"method":"evaluate","params":{"expression":"(() => { const t = Date.now(); while (Date.now() - t < 800); return 1; })()"}}\n',
  );
  first.socket.destroy();
  await first.closed;
  // Half a hello, half a request: gone.
  for (const half of ['\x00hello {"proto', '\x00hello {"protocol":1}\n\x00request {"id":2,"meth']) {
    const c = await rawAtPrompt(where);
    c.send(half);
    c.socket.destroy();
    await c.closed;
  }
  // The next client: the session as it was.
  const last = await rawAtPrompt(where); // once the vanished ones are gone; leaving cleanly, it frees the session at once
  last.socket.end();
  await last.closed;
  const client = await StructuredClient.connect(where);
  t.after(() => client.socket.destroy());
  assert.equal(client.state.index, 0);
  assert.equal((await client.request('evaluate', { expression: 'step' })).node.preview, '3');
  assert.equal((await client.command('p lr')).output, '0.03\n');
  assert.equal((await client.command('q')).ended, true);
  assert.equal(await exitOf(run), 1);
  assert.match(run.err.text, ERROR);
  assert.doesNotMatch(run.err.text, /internal error|fault/i);
});

test("StructuredClient reads a real rank's bytes wherever the chunks are cut: the hello, each state, the answer, the output, the end", async (t) => {
  const { StructuredClient } = await import(CLIENT);
  const { Duplex } = await import('node:stream');
  // The wire of one real session, as a raw client received it.
  const { run, where } = await startRank(t);
  const c = raw(where);
  await c.seen.until(/\(rank-1-pdb\) $/);
  c.send('\x00hello {"protocol":1}\n');
  await c.seen.until(/\x00state [^\n]*\n\(rank-1-pdb\) $/);
  c.send('\x00request {"id":1,"method":"evaluate","params":{"expression":"lr"}}\n');
  await answerOf(c.seen, 1);
  c.send('p [lr, step]\n');
  await c.seen.until(/3 \]\n\x00state [^\n]*\n\(rank-1-pdb\) $/);
  c.send('c\n');
  await c.closed;
  assert.equal(await exitOf(run), 1);
  const wire = c.seen.text;

  /** The client fed `pieces` in turn: what it made of them. */
  const replay = async (pieces) => {
    const stream = new Duplex({ read() {}, write: (_chunk, _encoding, done) => done() });
    const client = new StructuredClient(stream);
    const hello = client.hello();
    const answer = client.request('evaluate', { expression: 'lr' });
    const states = [];
    let output = '';
    client.on('state', (s) => states.push(s.version));
    client.on('output', (text) => (output += text));
    const ended = new Promise((resolve) => client.once('end', resolve));
    for (const piece of pieces) {
      stream.push(piece);
      await new Promise((resolve) => setImmediate(resolve));
    }
    stream.destroy();
    await ended;
    return { facts: await hello, answer: await answer, states, output, banner: client.banner, prompt: client.prompt };
  };
  const whole = await replay([wire]);
  assert.equal(whole.facts.rank, 1);
  assert.equal(whole.answer.node.preview, '0.03');
  assert.equal(whole.states.length, 2);
  assert.equal(whole.output, '[ 0.03, 3 ]\nts-pdb: session ended; the error goes on in the program.\n');
  assert.match(whole.banner, /^Exception caught in train:[^]*Entering post-mortem session[^]*----> 6 /);
  assert.ok(!whole.banner.includes('\x00') && !whole.banner.endsWith(PROMPT));
  for (let cut = 1; cut < wire.length; cut++) {
    const got = await replay([wire.slice(0, cut), wire.slice(cut)]);
    assert.deepEqual(got, whole, `cut at ${cut} (${JSON.stringify(wire.slice(cut - 5, cut + 5))})`);
  }
  t.diagnostic(`${wire.length} cuts of a ${wire.length}-character session`);
});
