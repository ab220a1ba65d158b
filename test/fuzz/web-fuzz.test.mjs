// Input that fights back, over web mode (issue #7 item 5): a real program stopped in a web session
// takes, over its WebSocket, random binary frames, text that is not JSON, JSON of the wrong shape
// and types, requests with nonsense parameters, hostile command lines, messages just under and over
// the 1 MB cap, text frames that are not UTF-8 and frames that break the WebSocket protocol; over
// HTTP, garbage requests; 1,000 clients (HTTP and WebSocket) that connect and vanish; and a second
// page while the first is open. Then a clean client speaking the page protocol
// (runtime/front-ends/web/page-protocol.ts) still reads a local, the first page still gets every broadcast, and
// `q` ends the program exactly as it ends without the debugger.
//
// Seeded: the seed is in the test name; TS_PDB_FUZZ_SEED=<n> replays another. Counts are chosen to
// run in well under 60 s on a loaded 2-CPU machine (about 10 s here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import WebSocket from 'ws';
import { WAIT_MS } from '../helpers/socket.mjs';
import { Rng, fuzzSeed, hostileChunk, hostileLine } from './fuzz-input.mjs';
import { LABEL, assertRethrownIntact, baseline, fuzzProject, startProgram } from './fuzz-program.mjs';

const SEED = fuzzSeed();
/** Hostile messages on one open WebSocket (binary, not JSON, wrong shapes, requests, commands, near 1 MB). */
const MESSAGES = 1500;
/** Connections that break the protocol (text that is not UTF-8, over 1 MB, raw frames a client may not send). */
const BROKEN = 60;
/** Garbage HTTP requests, each on its own connection. */
const HTTP_GARBAGE = 300;
/** Clients that connect and vanish (half HTTP, half WebSocket); at most {@link CONCURRENCY} at once. */
const VANISHING = 1000;
const CONCURRENCY = 16;
/** The WebSocket server's cap on a message (runtime/front-ends/web/page-server.ts MAX_PAYLOAD). */
const MAX_PAYLOAD = 1 << 20;

/**
 * A WebSocket client of the page protocol with the page's own Origin; `next(type, test)` resolves
 * with the next message of that type not taken yet, or rejects with the types seen.
 */
function pageClient(port) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}` });
  const seen = [];
  const waiters = [];
  ws.on('error', () => {});
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    seen.push(m);
    for (const w of [...waiters]) {
      if (w.type === m.type && (!w.test || w.test(m)) && !m.taken) {
        m.taken = true;
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(m);
      }
    }
  });
  return {
    ws,
    seen,
    closed: new Promise((resolve) => ws.once('close', (code) => resolve(code))),
    next(type, test) {
      const old = seen.find((m) => m.type === type && (!test || test(m)) && !m.taken);
      if (old) {
        old.taken = true;
        return Promise.resolve(old);
      }
      return new Promise((resolve, reject) => {
        const w = { type, test, resolve };
        w.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no ${type} message within ${WAIT_MS} ms; seen: ${JSON.stringify(seen.slice(-20)).slice(-3000)}`));
        }, WAIT_MS);
        waiters.push(w);
      });
    },
    send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
  };
}

/** Messages that are JSON but not what the page sends: wrong types, missing fields, objects that cannot become strings or numbers. */
const WRONG_SHAPES = [
  'null',
  '0',
  '-1e309',
  '"command"',
  '[]',
  '[{"type":"command","line":"q"}]',
  '{}',
  '{"type":null}',
  '{"type":["command"]}',
  '{"type":"command"}',
  '{"type":"command","line":null}',
  '{"type":"command","line":42}',
  '{"type":"command","line":["p 1"]}',
  '{"type":"command","line":{"toString":null,"valueOf":null}}',
  '{"type":"request"}',
  '{"type":"request","id":"x","method":"source"}',
  '{"type":"request","id":{"valueOf":null,"toString":null},"method":"source","params":{}}',
  '{"type":"request","id":1,"method":{"toString":null,"valueOf":null},"params":{}}',
  '{"type":"request","id":1,"method":"children","params":null}',
  '{"type":"request","id":1,"method":"children","params":[1,2]}',
  '{"type":"request","id":1,"method":"children","params":{"ref":{"valueOf":null,"toString":null}}}',
  '{"type":"request","id":1,"method":"complete","params":{"line":{"toString":null,"valueOf":null}}}',
  '{"type":"request","id":1,"method":"source","params":{"frame":{"valueOf":null,"toString":null}}}',
  '{"type":"request","id":1,"method":"__proto__","params":{}}',
  '{"type":"request","id":1,"method":"constructor","params":{}}',
  '{"type":"take-control","extra":{"deep":[[[[[[[[[[[]]]]]]]]]]]}}',
  '{"__proto__":{"type":"command","line":"q"}}',
  '{"type":"answer","id":1,"result":1}',
  '{"type":"hello"}',
  '{"type":"ended","text":"bye"}',
];

/** A request of a method the main thread answers, with parameters of every wrong kind. */
function nonsenseRequest(rng, id) {
  const values = [null, true, -1, 0, 1, 2.5, 1e308, -1e308, 2 ** 53 + 1, 'x', '0', '', [], {}, [0, 1], { ref: 1 }];
  const method = rng.pick(['children', 'source', 'complete', 'select', 'exception', 'nope', '']);
  const params = {};
  for (const key of ['ref', 'from', 'to', 'frame', 'index', 'line']) if (rng.int(0, 1)) params[key] = rng.pick(values);
  if (method === 'complete' && rng.int(0, 1)) params.line = hostileChunk(rng, { max: 80 }).toString('utf8');
  return { type: 'request', id, method, params };
}

/** A WebSocket frame as a client sends it: FIN, `opcode`, masked (unless `masked` is false) `payload`. */
function frame(opcode, payload, { masked = true, rsv = 0, fin = true, length } = {}) {
  const n = length ?? payload.length;
  const head = [(fin ? 0x80 : 0) | rsv | opcode];
  const mask = masked ? 0x80 : 0;
  if (n < 126) head.push(mask | n);
  else if (n < 65536) head.push(mask | 126, n >> 8, n & 0xff);
  else {
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(n));
    head.push(mask | 127, ...big);
  }
  const key = masked ? crypto.randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload.map((b, i) => (masked ? b ^ key[i % 4] : b)));
  return Buffer.concat([Buffer.from(head), key, body]);
}

/** Frames no client may send: each must make the server close the connection. */
const BAD_FRAMES = [
  () => frame(0x1, Buffer.from('{"type":"take-control"}'), { masked: false }), // unmasked
  () => frame(0x1, Buffer.from('{}'), { rsv: 0x40 }), // RSV1 without an extension
  () => frame(0x3, Buffer.from('x')), // reserved opcode
  () => frame(0x9, Buffer.alloc(200)), // a control frame over 125 bytes
  () => frame(0x9, Buffer.from('x'), { fin: false }), // a fragmented control frame
  () => frame(0x0, Buffer.from('x')), // a continuation with nothing to continue
  () => frame(0x1, Buffer.alloc(0), { length: 2 ** 62 }), // a length no one can send
  () => frame(0x1, Buffer.from([0xc0, 0x80, 0xff])), // text that is not UTF-8
  () => frame(0x8, Buffer.from([0x03])), // a close frame with a one-byte body
];

/** A raw TCP client that has made the WebSocket handshake; resolves once the server answered 101. */
function rawWebSocket(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    let head = '';
    const closed = new Promise((r) => s.once('close', r));
    s.on('data', function onData(d) {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      s.off('data', onData);
      s.resume();
      if (head.startsWith('HTTP/1.1 101')) resolve({ socket: s, closed });
      else reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
    });
    s.write(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\n\r\n`,
    );
  });
}

/** Garbage HTTP requests: random bytes, broken request lines and headers, huge headers, smuggling, bad upgrades. */
function garbageRequest(rng, port) {
  const host = `127.0.0.1:${port}`;
  const kinds = [
    () => hostileChunk(rng, { max: 300 }),
    () =>
      Buffer.concat([
        Buffer.from('GET /'),
        hostileChunk(rng, { max: 100, exclude: [0x0a, 0x0d] }),
        Buffer.from(` HTTP/1.1\r\nHost: ${host}\r\n\r\n`),
      ]),
    () =>
      Buffer.concat([
        Buffer.from('GET / HTTP/1.1\r\nHost: '),
        hostileChunk(rng, { max: 100, exclude: [0x0a, 0x0d] }),
        Buffer.from('\r\n\r\n'),
      ]),
    () =>
      Buffer.concat([
        Buffer.from(`GET / HTTP/1.1\r\nHost: ${host}\r\nOrigin: `),
        hostileChunk(rng, { max: 100, exclude: [0x0a, 0x0d] }),
        Buffer.from('\r\n\r\n'),
      ]),
    () => Buffer.from(`GET / HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(rng.int(17_000, 80_000))}\r\n\r\n`),
    () =>
      Buffer.from(
        `${rng.pick(['PUT', 'DELETE', 'FOO', 'CONNECT', 'OPTIONS', 'PRI'])} ${rng.pick(['/', '*', 'http://x/', '127.0.0.1:1'])} HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\n\r\n`,
      ),
    () =>
      Buffer.from(
        `GET ${rng.pick(['//', '/%', '/%00', '/ws?token=%ZZ', 'http://[::1/', '/?' + 'x'.repeat(70_000), '/ranks?token=' + '\u00ff'.repeat(40)])} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
        'latin1',
      ),
    () =>
      Buffer.from(
        `POST / HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nZZ\r\n${'x'.repeat(30)}\r\n0\r\n\r\n`,
      ),
    () => Buffer.from(`GET / HTTP/1.1\r\nHost: ${host}\r\nContent-Length: -1\r\n\r\n`),
    () =>
      Buffer.from(
        `GET /ws HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: ${rng.pick(['8', '13', 'x', ''])}\r\nSec-WebSocket-Key: ${rng.pick(['', 'short', '!!!!!!!!!!!!!!!!!!!!!!==', crypto.randomBytes(16).toString('base64')])}\r\n${rng.pick(['', 'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=99\r\n', 'Sec-WebSocket-Protocol: ,,,\r\n'])}\r\n`,
      ),
    () => Buffer.from(`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`.repeat(rng.int(2, 50))), // pipelined
    () => Buffer.from(`GET / HTTP/9.9\r\nHost: ${host}\r\n\r\n`),
  ];
  return rng.pick(kinds)();
}

/**
 * Sends `data` on a new connection, half-closes, and resolves with the first status line answered
 * (or '' when closed without one); rejects when the server keeps the connection open.
 */
function sendRaw(port, data) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(
        new Error(
          `the server did not close a connection within ${WAIT_MS} ms after ${JSON.stringify(data.toString('latin1').slice(0, 300))}; it answered ${JSON.stringify(got)}`,
        ),
      );
    }, WAIT_MS);
    s.on('error', () => {});
    s.on('data', (d) => {
      if (got.length < 200) got += d.toString('latin1');
    });
    s.once('close', () => {
      clearTimeout(timer);
      resolve(got.split('\r\n')[0]);
    });
    s.once('connect', () => {
      s.end(data);
    });
  });
}

/** One client that connects and vanishes: HTTP or WebSocket, at once, mid-request, mid-handshake, mid-frame, or after it. */
function vanish(rng, port) {
  const kind = rng.int(0, 7);
  if (kind === 7) {
    // A real WebSocket client that goes at once, without a close frame.
    return new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}` });
      ws.on('error', () => {});
      ws.once('open', () => ws.terminate());
      ws.once('close', resolve);
    });
  }
  const host = `127.0.0.1:${port}`;
  const upgrade =
    `GET /ws HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\n\r\n`;
  const data = [
    '',
    `GET / HTT`,
    `GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
    `GET /app.js HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`,
    upgrade.slice(0, rng.int(1, upgrade.length - 1)),
    upgrade,
    upgrade,
  ][kind];
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.once('close', resolve);
    s.once('connect', () => {
      if (data) s.write(data);
      // After a whole handshake, sometimes half a frame too.
      if (kind === 6) s.write(frame(0x1, Buffer.from('{"type":"command","line":"p 1"}')).subarray(0, rng.int(1, 20)));
      s.destroy();
    });
  });
}

/** `promise`, or a rejection saying `what` did not happen within {@link WAIT_MS}. */
function within(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${WAIT_MS} ms`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `task(i)` for i in [0, n) with at most `limit` running at once. */
async function pool(n, limit, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

test(`web mode survives hostile input (seed ${SEED}; ${MESSAGES} messages, ${BROKEN} broken connections, ${HTTP_GARBAGE} garbage requests, ${VANISHING} vanishing clients, 2 pages at once)`, async (t) => {
  const dir = fuzzProject();
  const plain = baseline(dir);
  const program = startProgram(t, dir, { IPDB_DEBUG: '1', IPDB_MODE: 'web', IPDB_WEB_PORT: '0' });
  const url = (await program.err.until(/open in a browser: {2}(\S+)/))[1];
  const port = Number(new URL(url).port);
  const rng = new Rng(SEED);

  // 1. Two pages at once: the first controls, the second watches (and says so).
  const first = pageClient(port);
  t.after(() => first.ws.terminate());
  assert.equal((await first.next('hello')).role, 'control');
  const fuzz = pageClient(port);
  t.after(() => fuzz.ws.terminate());
  const hello = await fuzz.next('hello');
  assert.equal(hello.role, 'watch');
  assert.match(hello.why, /Another page controls this session/);

  // 2. Hostile messages on the second page, which sometimes takes control and types hostile lines.
  // Every request gets exactly one answer; the last one proves everything before it was read.
  let requests = 0;
  let nextId = 1;
  for (let i = 0; i < MESSAGES; i++) {
    const kind = rng.int(0, 6);
    if (kind === 0) fuzz.ws.send(hostileChunk(rng, { max: 400 }), { binary: true });
    else if (kind === 1) fuzz.send(hostileChunk(rng, { max: 200 }).toString('utf8'));
    else if (kind === 2) {
      const text = rng.pick(WRONG_SHAPES);
      fuzz.send(text);
      if (/"type":"request"/.test(text) && !text.startsWith('[')) requests++;
    } else if (kind === 3) {
      fuzz.send(nonsenseRequest(rng, rng.int(0, 1) ? nextId++ : rng.pick([-1, 0.5, 'x', null])));
      requests++;
    } else if (kind === 4) {
      fuzz.send({ type: 'take-control' });
      fuzz.send({ type: 'command', line: hostileLine(rng, { max: 300 }).toString('utf8') });
    } else if (kind === 5 && rng.int(0, 20) === 0) {
      // Just under the cap: a line the session refuses as too long, or a completion of ~1 MB.
      const big = 'x'.repeat(MAX_PAYLOAD - 200);
      if (rng.int(0, 1)) fuzz.send({ type: 'command', line: big });
      else {
        fuzz.send({ type: 'request', id: nextId++, method: 'complete', params: { line: `p ${big}` } });
        requests++;
      }
    } else fuzz.send({ type: 'command', line: 'p step' });
  }
  fuzz.send({ type: 'request', id: 1e9, method: 'source', params: { frame: 0 } });
  requests++;
  const last = await fuzz.next('answer', (m) => m.id === 1e9);
  assert.equal(last.result?.shown, 'app.ts', `the source of frame 0: ${JSON.stringify(last).slice(0, 500)}`);
  assert.equal(fuzz.seen.filter((m) => m.type === 'answer').length, requests, 'one answer per request');
  assert.ok(!fuzz.seen.some((m) => m.type === 'ended'), 'the session did not end');
  t.diagnostic(`${requests} requests answered, ${fuzz.seen.filter((m) => m.type === 'notice').length} notices`);

  // 3. Connections that break the protocol are closed, each with the right code.
  for (let i = 0; i < BROKEN; i++) {
    const kind = rng.int(0, 3);
    if (kind === 0) {
      const c = pageClient(port);
      await within(new Promise((resolve) => c.ws.once('open', resolve)), 'no WebSocket open');
      c.ws.send(
        Buffer.concat([
          Buffer.from('{"type":"command","line":"'),
          rng.pick([Buffer.from([0xff]), Buffer.from([0xc0, 0x80]), Buffer.from([0xed, 0xa0, 0x80])]),
          Buffer.from('"}'),
        ]),
        { binary: false },
      );
      assert.equal(await within(c.closed, 'no close after text that is not UTF-8'), 1007, 'text that is not UTF-8: 1007');
    } else if (kind === 1) {
      const c = pageClient(port);
      await within(new Promise((resolve) => c.ws.once('open', resolve)), 'no WebSocket open');
      c.ws.send(Buffer.alloc(MAX_PAYLOAD + 1, 0x20), { binary: rng.int(0, 1) === 1 });
      assert.equal(await within(c.closed, 'no close after a message over 1 MB'), 1009, 'over 1 MB: 1009');
    } else if (kind === 2) {
      const { socket, closed } = await within(rawWebSocket(port), 'no WebSocket handshake');
      const bad = rng.pick(BAD_FRAMES);
      socket.write(bad());
      await within(closed, `no close after a bad frame (${bad})`);
    } else {
      // Random bytes after the handshake: the server closes, or waits for a frame's end; either way
      // this client vanishes.
      const { socket, closed } = await within(rawWebSocket(port), 'no WebSocket handshake');
      socket.write(hostileChunk(rng, { max: 300 }));
      socket.destroy();
      await closed;
    }
  }

  // 4. Garbage HTTP requests: each is answered (4xx, or 200 for the ones that are fine) or closed.
  const statuses = new Map();
  for (let i = 0; i < HTTP_GARBAGE; i++) {
    const status = (await sendRaw(port, garbageRequest(rng, port))).replace(/^HTTP\/1\.1 (\d+).*/, '$1') || 'closed';
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  t.diagnostic(`garbage HTTP requests answered: ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.ok(!statuses.has('500'), 'no request makes the server fail');

  // 5. 1,000 clients connect and vanish.
  await pool(VANISHING, CONCURRENCY, (i) => within(vanish(rng, port), `vanishing client ${i} not gone`));

  // 6. The second page leaves; a clean client speaking the page protocol gets the session, reads a
  // local, and its command reaches the first page too; then q ends the program with its error.
  fuzz.ws.close();
  await fuzz.closed;
  const page = pageClient(port);
  t.after(() => page.ws.terminate());
  const h = await page.next('hello');
  if (h.role !== 'control') {
    page.send({ type: 'take-control' });
    await page.next('role', (m) => m.role === 'control');
  }
  if (h.prompt === undefined) await page.next('prompt');
  assert.equal(h.state?.frames[0]?.name, 'train');
  // The hostile page may have selected another frame (a valid request): back to the one that threw.
  page.send({ type: 'request', id: 1, method: 'select', params: { frame: 0 } });
  assert.deepEqual((await page.next('answer', (m) => m.id === 1)).result, { ok: true });
  page.send({ type: 'command', line: 'p [step, lr, label]' });
  await page.next('output', (m) => m.text === `[ 3, 0.03, ${LABEL} ]\n`);
  await first.next('output', (m) => m.text === `[ 3, 0.03, ${LABEL} ]\n`);
  await page.next('prompt');
  page.send({ type: 'command', line: 'q' });
  await page.next('ended');
  await first.next('ended');
  await assertRethrownIntact(program, plain);
});

// Found by the test above: JSON that cannot become a string or a number (an object whose toString
// and valueOf are not functions) threw in the web worker, which died; the program then stayed
// stopped for ever. Now the message is refused with a notice, a request still gets its answer.
test('a message whose fields cannot become text is refused; the page and the session go on', async (t) => {
  const dir = fuzzProject();
  const plain = baseline(dir);
  const program = startProgram(t, dir, { IPDB_DEBUG: '1', IPDB_MODE: 'web', IPDB_WEB_PORT: '0' });
  const port = Number(new URL((await program.err.until(/open in a browser: {2}(\S+)/))[1]).port);
  const page = pageClient(port);
  t.after(() => page.ws.terminate());
  const hello = await page.next('hello');
  if (hello.prompt === undefined) await page.next('prompt');
  page.send('{"type":"command","line":{"toString":null,"valueOf":null}}');
  assert.equal((await page.next('notice')).text, 'ts-pdb: a malformed message was ignored');
  page.send('{"type":"request","id":3,"method":{"toString":null,"valueOf":null},"params":{}}');
  assert.match((await page.next('answer', (m) => m.id === 3)).error, /unknown request "<not text>"/);
  page.send({ type: 'command', line: 'p label' });
  await page.next('output', (m) => m.text === `${LABEL}\n`);
  await page.next('prompt');
  page.send({ type: 'command', line: 'q' });
  await page.next('ended');
  await assertRethrownIntact(program, plain);
});
