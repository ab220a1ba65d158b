// `ts-pdb dap` (the built bin, on stdio) against hostile and truncated DAP input, written as raw
// bytes: garbage, headers without a length, a Content-Length that lies (shorter, longer, huge),
// bodies that are not JSON or not requests, requests with arguments of every wrong type, a seeded
// stream of random requests, and clients that vanish mid-message or stop reading. The adapter
// answers what can be answered (an error response to a request it could read), says what it
// dropped (an output event), stays bounded, and ends cleanly (exit 0) when the client is gone:
// never a crash, never a hang. Every message it sends conforms to the protocol's schema.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import test from 'node:test';
import { CLI, checkMessage, snapshotOf, WAIT_MS } from './dap-helpers.mjs';

const { dir, file } = snapshotOf();
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A DAP frame of `text` with its true length (or the length given). */
function frame(text, length = Buffer.byteLength(text)) {
  return Buffer.concat([Buffer.from(`Content-Length: ${length}\r\n\r\n`), Buffer.from(text)]);
}

/** A request as bytes. */
function request(seq, command, args) {
  return frame(JSON.stringify({ seq, type: 'request', command, ...(args === undefined ? {} : { arguments: args }) }));
}

/**
 * `ts-pdb dap` on stdio with a raw client: `write(bytes)`, the adapter's messages as they come
 * (`messages`, each checked against the schema into `problems`), `until(pred)`, `response(seq)`,
 * and `exited` (its exit code).
 */
function rawAdapter(t) {
  const child = spawn(process.execPath, [CLI, 'dap'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  const c = { child, messages: [], problems: [], stderr: '', waiters: [] };
  let raw = Buffer.alloc(0);
  child.stdout.on('data', (d) => {
    raw = Buffer.concat([raw, d]);
    for (;;) {
      const end = raw.indexOf('\r\n\r\n');
      if (end < 0) break;
      const n = Number(/Content-Length: (\d+)/.exec(raw.subarray(0, end).toString())[1]);
      if (raw.length < end + 4 + n) break;
      const m = JSON.parse(raw.subarray(end + 4, end + 4 + n).toString());
      raw = raw.subarray(end + 4 + n);
      c.messages.push(m);
      c.problems.push(...checkMessage(m));
    }
    for (const w of [...c.waiters]) w();
  });
  child.stderr.on('data', (d) => (c.stderr += d));
  child.stdin.on('error', () => {});
  c.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  c.write = (bytes) => child.stdin.write(bytes);
  c.until = (pred, what = 'a message') =>
    new Promise((resolve, reject) => {
      const check = () => {
        const m = c.messages.find(pred);
        if (!m) return false;
        c.waiters.splice(c.waiters.indexOf(check), 1);
        clearTimeout(timer);
        resolve(m);
        return true;
      };
      const timer = setTimeout(() => {
        c.waiters.splice(c.waiters.indexOf(check), 1);
        reject(new Error(`no ${what} within ${WAIT_MS} ms; seen:\n${JSON.stringify(c.messages, null, 1).slice(-3000)}\n${c.stderr}`));
      }, WAIT_MS);
      c.waiters.push(check);
      check();
    });
  c.response = (seq) => c.until((m) => m.type === 'response' && m.request_seq === seq, `a response to request ${seq}`);
  c.said = () =>
    c.messages
      .filter((m) => m.event === 'output')
      .map((m) => m.body.output)
      .join('');
  return c;
}

/** How long the adapter may take to end once its client is gone, in ms. */
const END_MS = 5000;

/** Resolves to the exit code, or fails when the adapter is still running after {@link END_MS}. */
function endsSoon(c) {
  return Promise.race([
    c.exited,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`still running after ${END_MS} ms`)), END_MS)),
  ]);
}

test('garbage without a header, a header without a length, a huge length: each said and dropped, and the next request is answered', async (t) => {
  const c = rawAdapter(t);
  c.write(Buffer.from('hello adapter\n\x00\xff binary garbage '.repeat(2000)));
  c.write(Buffer.from('X-Nothing: 1\r\n\r\n'));
  c.write(Buffer.from('Content-Length: 99999999999\r\n\r\n{"never":"read"}'));
  c.write(request(1, 'initialize', { adapterID: 'raw', pathFormat: 'path' }));
  const r = await c.response(1);
  assert.equal(r.success, true);
  assert.equal(r.body.supportsConfigurationDoneRequest, true);
  const said = c.said();
  assert.match(said, /ts-pdb dap: dropped \d+ bytes with no DAP header/);
  assert.match(said, /ts-pdb dap: dropped a message of 99999999999 bytes \(at most 16777216\): not read/);
  c.write(request(2, 'threads'));
  assert.deepEqual((await c.response(2)).body, { threads: [] });
  assert.deepEqual(c.problems, []);
});

test('50 MB of garbage with no header: the adapter keeps no more than a header, and still answers', async (t) => {
  const c = rawAdapter(t);
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  for (let i = 0; i < 50; i++) await new Promise((resolve) => c.child.stdin.write(chunk, resolve));
  c.write(request(1, 'threads'));
  await c.response(1);
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${c.child.pid}/status`, 'utf8'))[1]) / 1024;
  assert.ok(rss < 150, `the adapter's memory stays small (${rss.toFixed(0)} MB)`);
  assert.deepEqual(c.problems, []);
});

test('a Content-Length that lies: shorter than its body, longer than its body (with the next message behind it): error responses where the request can be read, the next ones answered', async (t) => {
  const c = rawAdapter(t);
  // Shorter: the body is cut, what is left of it runs into the next header.
  c.write(frame(JSON.stringify({ seq: 1, type: 'request', command: 'threads' }), 10));
  c.write(request(2, 'threads'));
  assert.equal((await c.response(2)).success, true);
  // Longer, with the next message right behind: the first is refused (its seq is known), the next answered.
  c.write(frame(JSON.stringify({ seq: 3, type: 'request', command: 'threads' }), 500));
  c.write(request(4, 'threads'));
  const three = await c.response(3);
  assert.equal(three.success, false);
  assert.match(three.message, /Content-Length \(500\) is longer than it/);
  assert.equal((await c.response(4)).success, true);
  // A body that is not JSON, whose seq and command can still be read.
  c.write(frame('{"seq":5,"type":"request","command":"threads",'));
  const five = await c.response(5);
  assert.equal(five.success, false);
  assert.match(five.message, /not JSON/);
  c.write(request(6, 'threads'));
  assert.equal((await c.response(6)).success, true);
  assert.match(c.said(), /dropped text before a header/);
  assert.deepEqual(c.problems, []);
});

test('JSON that is not a request: arrays, strings, events, a request without a command: dropped or refused; arguments of every wrong type: error responses', async (t) => {
  const c = rawAdapter(t);
  c.write(frame('[1,2,3]'));
  c.write(frame('"a string"'));
  c.write(frame('{"type":"event","event":"stopped"}'));
  c.write(frame('{"seq":1,"type":"request","command":5}'));
  const one = await c.response(1);
  assert.equal(one.success, false);
  assert.match(one.message, /a request needs a number "seq" and a string "command"/);
  c.write(request(2, 'initialize', null));
  assert.equal((await c.response(2)).success, true);
  c.write(request(3, 'attach', { snapshot: file }));
  assert.equal((await c.response(3)).success, true);
  let seq = 10;
  const wrong = [null, 'x', -1, 1.5, 2 ** 53, [], {}, true, '__proto__'];
  const commands = [
    'stackTrace',
    'scopes',
    'variables',
    'evaluate',
    'setVariable',
    'source',
    'completions',
    'exceptionInfo',
    'restartFrame',
  ];
  const keys = [
    'threadId',
    'frameId',
    'variablesReference',
    'expression',
    'name',
    'value',
    'sourceReference',
    'text',
    'column',
    'start',
    'count',
    'filter',
    'context',
  ];
  const sent = [];
  for (const command of commands) {
    for (const v of wrong) {
      const args = Object.fromEntries(keys.map((k) => [k, v]));
      c.write(request(seq, command, args));
      sent.push(seq++);
    }
  }
  c.write(request(seq, '__proto__', {}));
  sent.push(seq++);
  c.write(request(seq, 'constructor', {}));
  sent.push(seq++);
  for (const s of sent) {
    const r = await c.response(s);
    assert.equal(typeof r.success, 'boolean');
    if (!r.success) assert.doesNotMatch(r.message, /^ts-pdb dap: /, `an error the adapter explains, not an internal one: ${r.message}`);
  }
  assert.equal(
    c.messages.filter((m) => m.type === 'response' && sent.includes(m.request_seq)).length,
    sent.length,
    'one response per request',
  );
  assert.match(c.said(), /dropped a message that is not a DAP object: \[1,2,3\]/);
  assert.match(c.said(), /dropped a message that is not a request \(type "event"\)/);
  c.write(request(seq, 'threads'));
  assert.equal((await c.response(seq)).body.threads.length, 1);
  assert.deepEqual(c.problems, []);
});

test('pipelined requests wait for the attach; then a seeded stream of 400 random requests on a snapshot: each answered once, the adapter alive afterwards', async (t) => {
  const seed = Number(process.env.TS_PDB_FUZZ_SEED ?? 12);
  let state = seed;
  const rnd = (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  const c = rawAdapter(t);
  // Pipelined, as a client may send them: what comes while the attach connects waits for it.
  c.write(request(1, 'initialize', { adapterID: 'raw', pathFormat: 'path' }));
  c.write(request(2, 'attach', { snapshot: file }));
  c.write(request(3, 'configurationDone'));
  c.write(request(4, 'threads'));
  assert.equal((await c.response(3)).success, true);
  assert.deepEqual((await c.response(4)).body.threads, [{ id: 1, name: 'rank 0 (snapshot)' }]);
  await c.until((m) => m.event === 'stopped', 'the stopped event');
  const commands = [
    'threads',
    'stackTrace',
    'scopes',
    'variables',
    'evaluate',
    'completions',
    'source',
    'exceptionInfo',
    'setVariable',
    'setExpression',
    'next',
    'pause',
    'loadedSources',
    'restartFrame',
  ];
  const values = [
    0,
    1,
    2,
    3,
    5,
    8,
    13,
    21,
    100,
    -7,
    'w',
    'p sum',
    'u',
    'd',
    'this.items',
    'cart',
    '',
    'x'.repeat(5000),
    'repl',
    'hover',
    'watch',
    'indexed',
    'named',
    null,
    {},
    [1],
  ];
  const keys = [
    'threadId',
    'frameId',
    'variablesReference',
    'expression',
    'context',
    'start',
    'count',
    'filter',
    'text',
    'column',
    'name',
    'value',
    'sourceReference',
  ];
  const sent = [];
  for (let i = 0; i < 400; i++) {
    const args = {};
    for (const k of keys) if (rnd(2)) args[k] = values[rnd(values.length)];
    const seq = 100 + i;
    c.write(request(seq, commands[rnd(commands.length)], args));
    sent.push(seq);
  }
  for (const s of sent) await c.response(s);
  const answers = c.messages.filter((m) => m.type === 'response' && m.request_seq >= 100);
  assert.equal(answers.length, 400, `seed ${seed}: one response per request`);
  const internal = answers.filter((m) => !m.success && /^ts-pdb dap: /.test(m.message));
  assert.deepEqual(
    internal.map((m) => m.message),
    [],
    `seed ${seed}: no internal error`,
  );
  c.write(request(1000, 'threads'));
  assert.equal((await c.response(1000)).success, true);
  assert.deepEqual(c.problems, [], `seed ${seed}`);
});

test('a client that vanishes mid-message, or after attaching: the adapter ends at once, exit 0', async (t) => {
  const a = rawAdapter(t);
  a.write(request(1, 'initialize', { adapterID: 'raw', pathFormat: 'path' }));
  await a.response(1);
  a.write(Buffer.from('Content-Length: 400\r\n\r\n{"seq":2,"type":"req'));
  a.child.stdin.end();
  assert.equal(await endsSoon(a), 0);

  const b = rawAdapter(t);
  b.write(request(1, 'initialize', { adapterID: 'raw', pathFormat: 'path' }));
  b.write(request(2, 'attach', { snapshot: file }));
  b.write(request(3, 'configurationDone'));
  await b.until((m) => m.event === 'stopped', 'the stopped event');
  b.child.stdin.destroy();
  assert.equal(await endsSoon(b), 0);
});

test('a client that stops reading (its end of stdout closed): the adapter ends, exit 0', async (t) => {
  const c = rawAdapter(t);
  c.write(request(1, 'initialize', { adapterID: 'raw', pathFormat: 'path' }));
  await c.response(1);
  c.child.stdout.destroy();
  // Every answer now meets a closed pipe.
  for (let i = 0; i < 20; i++) c.write(request(2 + i, 'threads'));
  assert.equal(await endsSoon(c), 0);
});
