// Tab completion in `ts-pdb attach` (issue #4 item 4): completions come from the session (the
// completer the console uses: command names, names in scope, `obj.attr`), asked for out of band on
// the socket (the wire format in runtime/front-ends/socket/protocol.ts: "\x00complete {...}" lines answered by
// "\x00completions {...}"), while a plain `nc -U` client sees exactly what it saw before.
// attach runs in a real pseudo-terminal; every wait is on output, with what was seen on timeout.
// The lists a double Tab shows are checked on the screen (test/helpers/screen.mjs: the PTY's bytes
// rendered by a headless xterm.js of the PTY's size), as bash/GNU readline would show them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { ROOT } from '../helpers/build.mjs';
import { KEYS, Pty } from '../helpers/pty.mjs';
import { Screen } from '../helpers/screen.mjs';
import { collect, linkedProject, needNc, WAIT_MS } from '../helpers/socket.mjs';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
const { answerSplitter } = await import(path.join(ROOT, 'dist', 'runtime', 'cli', 'attach.js'));
const protocol = await import(path.join(ROOT, 'dist', 'runtime', 'front-ends', 'socket', 'protocol.js'));

const APP = `// @debuggable
function work(step: number) {
  const shard = { items: [1, 2, 3], index: Number(process.env.RANK) };
  const lr = 0.01 * step, errand = 'fetch', error_count = step;
  if (step > 2) throw new RangeError(\`loss is NaN at step \${step}\`);
  return lr;
}
for (let s = 0; s < 5; s++) work(s);
`;

const PROMPT = /\(rank-1-pdb\) $/;

/** Rank 1 of 3 of the app, failing and waiting in socket mode; `env` adds to or overrides its environment. */
function startRank(t, env = {}) {
  const dir = linkedProject('attach-completion-', APP);
  const home = path.join(dir, 'home');
  const child = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    ...OWN_GROUP,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    // TS_PDB_HOME: the registry and private paths of this test, not the user's.
    env: {
      ...process.env,
      CI: 'true',
      RANK: '1',
      WORLD_SIZE: '3',
      IPDB_SOCK_PATH: path.join(dir, 'pdb.sock'),
      IPDB_MODE: '',
      IPDB_TIMEOUT: '',
      IPDB_CONNECTION_TYPE: '',
      NO_COLOR: '1',
      TS_PDB_HOME: home,
      ...env,
    },
  });
  const stderr = collect(child.stderr, 'rank 1 (stderr)');
  collect(child.stdout, 'rank 1 (stdout)');
  const closed = new Promise((resolve) => child.on('close', resolve));
  t.after(() => {
    // The rank itself (the pid in its box) first: `ts-pdb run` passes a signal on, but SIGKILL cannot be.
    const pid = /rank 1 \(pid (\d+)\)/.exec(stderr.text)?.[1];
    if (pid)
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* ended */
      }
    killGroup(child);
  });
  /** The exit code, or a rejection with what the rank said when it does not end in time. */
  const exited = () =>
    Promise.race([
      closed,
      new Promise((_, reject) => {
        setTimeout(() => reject(new Error(`rank 1 did not end within ${WAIT_MS} ms; stderr:\n${stderr.text}`)), WAIT_MS).unref();
      }),
    ]);
  return { dir, home, stderr, exited };
}

/** `ts-pdb attach <target>` in a pseudo-terminal (default 120x40), with its history file in `home`. */
function attachPty(t, target, home, size = {}) {
  const p = new Pty(process.execPath, [CLI, 'attach', target], { ...size, env: { TS_PDB_HOME: home, HOME: home, NO_COLOR: '1' } });
  t.after(() => p.kill());
  return p;
}

/** How many completion answers `text` holds. */
const answers = (text) => text.split(protocol.COMPLETIONS_ANSWER).length - 1;

/** Asserts that nothing of the out-of-band protocol reached a screen. */
function noProtocol(screen, what) {
  assert.ok(!screen.includes('\x00'), `${what}: no NUL byte shown`);
  assert.doesNotMatch(screen, /completions? \{/, `${what}: no protocol line shown`);
}

/**
 * A Unix socket at `listen` that passes bytes unchanged to and from `target`, keeping what went
 * each way: the test waits on the session's answers there, where the screen shows nothing (a first
 * Tab with several candidates), before it presses the second Tab.
 */
async function relay(t, listen, target) {
  const [up, down] = [new PassThrough(), new PassThrough()];
  const toSession = collect(up, 'relay (attach → session)');
  const toClient = collect(down, 'relay (session → attach)');
  const server = net.createServer((c) => {
    const session = net.connect(target);
    c.on('data', (d) => {
      up.write(d);
      session.write(d);
    });
    session.on('data', (d) => {
      down.write(d);
      c.write(d);
    });
    session.on('close', () => c.destroy());
    c.on('close', () => session.destroy());
    c.on('error', () => {});
    session.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(listen, resolve));
  t.after(() => server.close());
  return { toSession, toClient };
}

test(
  'attach in a terminal: Tab completes a local, an attribute and a command from the session; nothing of the protocol is shown',
  { timeout: 6 * WAIT_MS },
  async (t) => {
    const rank = startRank(t);
    const socketPath = (await rank.stderr.until(/connect with: {2}nc -U (\S+)/))[1];
    const via = path.join(rank.dir, 'relay.sock');
    const wire = await relay(t, via, socketPath);
    const p = attachPty(t, via, rank.home);
    await p.waitFor(/Entering post-mortem session[^]*\(rank-1-pdb\) $/);

    // A local: "sha" → "shard" (readline sends the text before the cursor).
    p.key('p sha');
    await p.waitFor(/p sha$/);
    p.key(KEYS.tab);
    await p.waitFor(/rd$/);
    await wire.toSession.until(/\x00complete \{"id":1,"line":"p sha"\}\n/);
    await wire.toClient.until(/\x00completions \{"id":1,"completions":\["shard"\],"substring":"sha"\}\n/);
    p.key(KEYS.enter);
    await p.waitFor(/\{ items: \[ 1, 2, 3 \], index: 1 \}\n\(rank-1-pdb\) $/);

    // An attribute: "shard.it" → "shard.items".
    p.key('p shard.it');
    await p.waitFor(/p shard\.it$/);
    p.key(KEYS.tab);
    await p.waitFor(/ems$/);
    p.key(KEYS.enter);
    await p.waitFor(/\[ 1, 2, 3 \]\n\(rank-1-pdb\) $/);

    // Tab on an empty line: every command, listed at the second Tab (keys one at a time, the second
    // once the first one's answer went by).
    let seen = answers(wire.toClient.text);
    p.key(KEYS.tab);
    await wire.toClient.until((text) => answers(text) > seen);
    p.key(KEYS.tab);
    const listed = await p.waitFor(/^([^]*\bwhatis\b[^]*)\n\(rank-1-pdb\) $/);
    for (const c of ['where', 'help', 'exceptions', 'q']) assert.match(listed[1], new RegExp(`\\b${c}\\b`), c);

    // "wh": whatis and where; then "whe" completes to where, which runs.
    p.key('wh');
    await p.waitFor(/wh$/);
    seen = answers(wire.toClient.text);
    p.key(KEYS.tab);
    await wire.toClient.until((text) => answers(text) > seen);
    p.key(KEYS.tab);
    await p.waitFor(/\nwhatis +where *\n+\(rank-1-pdb\) wh$/);
    p.key('e');
    await p.waitFor(/e$/); // (after the line "wh" matched above)
    p.key(KEYS.tab);
    await p.waitFor(/re$/);
    p.key(KEYS.enter);
    await p.waitFor(/app\.ts\(5\)work\(\)[^]*\(rank-1-pdb\) $/);

    // The completed lines are plain commands in the history: arrow-up brings back "where".
    p.key(KEYS.up);
    await p.waitFor(/where$/);
    p.key('\x15'); // Ctrl-U empties the line (Ctrl-C would detach: readline closes)
    p.type('q');
    assert.equal((await p.wait()).exitCode, 0, 'attach ends with the session');
    assert.equal(await rank.exited(), 1);
    assert.match(rank.stderr.text, /RangeError: loss is NaN at step 3/);
    noProtocol(p.raw, 'attach');
  },
);

test('attach over TCP with a token: the token goes first, then Tab completes from the session', { timeout: 6 * WAIT_MS }, async (t) => {
  const rank = startRank(t, { IPDB_CONNECTION_TYPE: 'tcp', IPDB_PORT: '0', IPDB_HOST: '0.0.0.0' });
  const port = (await rank.stderr.until(/connect with: {2}nc 0\.0\.0\.0 (\d+) +\|\n\| then send this token/))[1];
  const p = attachPty(t, `127.0.0.1:${port}`, rank.home);
  await p.waitFor(PROMPT);
  p.key('p sha');
  await p.waitFor(/p sha$/);
  p.key(KEYS.tab);
  await p.waitFor(/rd$/);
  p.key(KEYS.enter);
  await p.waitFor(/\{ items: \[ 1, 2, 3 \], index: 1 \}\n\(rank-1-pdb\) $/);
  p.type('q');
  assert.equal((await p.wait()).exitCode, 0);
  assert.equal(await rank.exited(), 1);
  assert.doesNotMatch(p.text, /token\?/);
  noProtocol(p.raw, 'attach (tcp)');
});

test('a plain nc -U client sees no protocol: the session reads and answers as before', { timeout: 6 * WAIT_MS }, async (t) => {
  if (!needNc(t)) return;
  const rank = startRank(t);
  const socketPath = (await rank.stderr.until(/connect with: {2}nc -U (\S+)/))[1];
  const nc = spawn('nc', ['-U', socketPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => nc.kill('SIGKILL'));
  const out = collect(nc.stdout, 'nc -U');
  await out.until(/Entering post-mortem session[^]*\(rank-1-pdb\) $/);
  nc.stdin.write('p shard.items\n');
  await out.until(/\[ 1, 2, 3 \]\n\(rank-1-pdb\) $/);
  // A tab typed into nc is text of the command, as it always was (here: white space).
  nc.stdin.write('p\tlr\n');
  await out.until(/0\.03\n\(rank-1-pdb\) $/);
  nc.stdin.write('q\n');
  await out.until(/session ended; the error goes on/);
  assert.equal(await rank.exited(), 1);
  noProtocol(out.text, 'nc -U');
});

test(
  'raw completion requests: malformed ones get an empty answer, never a crash or a command; a request behind a command is answered',
  { timeout: 6 * WAIT_MS },
  async (t) => {
    const rank = startRank(t);
    const socketPath = (await rank.stderr.until(/connect with: {2}nc -U (\S+)/))[1];
    const socket = net.connect(socketPath);
    t.after(() => socket.destroy());
    const out = collect(socket, 'raw socket');
    await out.until(PROMPT);
    const empty = (id) => `\x00completions ${JSON.stringify({ id, completions: [], substring: '' })}\n`;
    const bad = [
      ['\x00complete {not json', null],
      ['\x00', null],
      ['\x00bogus request', null],
      ['\x00complete null', null],
      ['\x00complete ["p st"]', null],
      ['\x00complete {"id":5,"line":42}', 5],
      ['\x00complete {"id":{"x":1},"line":"p st"}\r', null],
      [`\x00complete {"id":6,"line":"${'a'.repeat(protocol.MAX_COMPLETION_LINE + 1)}"}`, 6],
    ];
    let expected = '';
    for (const [line, id] of bad) {
      socket.write(line + '\n');
      expected += empty(id);
      await out.until((text) => text.endsWith(expected));
    }
    // A request cut between writes is read when its end of line comes.
    socket.write('\x00comp');
    socket.write('lete {"id":"s","line":"p ste"}\n');
    const good = await out.until(/\x00completions (\{"id":"s".*\})\n/);
    assert.deepEqual(JSON.parse(good[1]), { id: 's', completions: ['step'], substring: 'ste' });

    // None of that was a command: the session still answers, with no error printed.
    socket.write('p 1+1\n');
    await out.until(/\n2\n\(rank-1-pdb\) $/);
    assert.doesNotMatch(out.text, /\*\*\*|SyntaxError|NameError|bogus/);

    // A request right behind a command: answered (empty while the command runs), and the command's
    // output and the next prompt still come.
    socket.write('p lr\n\x00complete {"id":"behind","line":"p sh"}\n');
    const behind = await out.until(/\x00completions (\{"id":"behind".*\})\n/);
    await out.until(/0\.03\n\(rank-1-pdb\) $/);
    const a = JSON.parse(behind[1]);
    assert.ok(a.completions.length === 0 || a.completions.includes('shard'), JSON.stringify(a));
    socket.write('q\n');
    await out.until(/session ended; the error goes on/);
    assert.equal(await rank.exited(), 1);
  },
);

/** The rows from the one before last that is `row` (the line as typed, listed below) to the end of the screen. */
function rowsFrom(screen, row) {
  const lines = screen.lines();
  const at = lines.lastIndexOf(row, lines.length - 2);
  assert.ok(at >= 0, `no row ${JSON.stringify(row)} above the last one:\n${screen.framed()}`);
  return lines.slice(at);
}

/** Waits until `row` (the line as typed) is the last row again, below an earlier copy of it (a list between). */
function listedBelow(screen, row) {
  return screen.waitFor((s) => {
    const lines = s.lines();
    return lines.at(-1) === row && lines.indexOf(row) < lines.length - 1;
  });
}

/** A waiting rank, `ts-pdb attach` to it in an 80x24 terminal, and its screen once the first prompt shows. */
async function attachedOnScreen(t) {
  const rank = startRank(t);
  const socketPath = (await rank.stderr.until(/connect with: {2}nc -U (\S+)/))[1];
  const p = attachPty(t, socketPath, rank.home, { cols: 80, rows: 24 });
  const screen = new Screen(p);
  await screen.waitFor(/\n\(rank-1-pdb\)$/);
  return { rank, p, screen };
}

/** Ends the session with q (after Ctrl-U empties the line) and checks attach and the rank ended as they should. */
async function quit(p, rank) {
  p.key('\x15');
  p.type('q');
  assert.equal((await p.wait()).exitCode, 0, 'attach ends with the session');
  assert.equal(await rank.exited(), 1);
  assert.match(rank.stderr.text, /RangeError: loss is NaN at step 3/);
  noProtocol(p.raw, 'attach');
}

test(
  'attach, on the screen: Tab Tab lists the last parts in columns down then across, then the prompt and the line, as bash does',
  { timeout: 6 * WAIT_MS },
  async (t) => {
    const { rank, p, screen } = await attachedOnScreen(t);
    p.key('p shard.');
    await screen.waitFor(/\n\(rank-1-pdb\) p shard\.$/);
    p.key(KEYS.tab);
    p.key(KEYS.tab);
    await listedBelow(screen, '(rank-1-pdb) p shard.');
    // 8 candidates, the widest 20 columns: cells of 22, 3 columns in 80, 3 rows; no "shard." repeated.
    assert.deepEqual(
      rowsFrom(screen, '(rank-1-pdb) p shard.'),
      [
        '(rank-1-pdb) p shard.',
        'hasOwnProperty        items                 toString',
        'index                 propertyIsEnumerable  valueOf',
        'isPrototypeOf         toLocaleString',
        '(rank-1-pdb) p shard.',
      ],
      screen.framed(),
    );
    assert.deepEqual(screen.cursor(), { row: screen.lines().length - 1, col: '(rank-1-pdb) p shard.'.length });
    p.type('items');
    await screen.waitFor(/\n\(rank-1-pdb\) p shard\.items\n\[ 1, 2, 3 \]\n\(rank-1-pdb\)$/);
    await quit(p, rank);
  },
);

test(
  'attach: a fast p err Tab Tab (one read) lists errand and error_count, never every global, and the line stays p err',
  { timeout: 6 * WAIT_MS },
  async (t) => {
    const { rank, p, screen } = await attachedOnScreen(t);
    // Before: the first Tab of the burst was pasted text (a Tab character in the line) and the second
    // completed an empty word after it: every global was listed.
    p.key('p err\t\t');
    await listedBelow(screen, '(rank-1-pdb) p err');
    assert.deepEqual(
      rowsFrom(screen, '(rank-1-pdb) p err'),
      ['(rank-1-pdb) p err', 'errand       error_count', '(rank-1-pdb) p err'],
      screen.framed(),
    );
    // Tab Tab again, then one more letter and Tab: completed, and the line runs as shown.
    p.key('\t\to\t');
    await screen.waitFor(/\n\(rank-1-pdb\) p error_count$/);
    p.key(KEYS.enter);
    await screen.waitFor(/\n\(rank-1-pdb\) p error_count\n3\n\(rank-1-pdb\)$/);
    assert.doesNotMatch(screen.text, /\bglobalThis\b|\bsetTimeout\b/, 'no list of globals');
    await quit(p, rank);
  },
);

test(
  'attach: a command and p err Tab Tab typed ahead in one read: the answer, then the prompt with the typed text; nothing mixed, no stale list',
  { timeout: 6 * WAIT_MS },
  async (t) => {
    const { rank, p, screen } = await attachedOnScreen(t);
    // The Tabs go out while the session still runs `p lr` (answered with nothing) or once it waits
    // again (answered for "p err"); either way the answer to `p lr` comes first, above the prompt,
    // and only "p err" is ever completed.
    p.key('p lr\rp err\t\t');
    await screen.waitFor((s) => s.lines().at(-1) === '(rank-1-pdb) p err' && s.lines().includes('0.03'));
    // Give a late list the time to show (it is drawn under the prompt), then look at the screen.
    p.key('\t\t');
    await listedBelow(screen, '(rank-1-pdb) p err');
    const lines = screen.lines();
    const start = lines.lastIndexOf('(rank-1-pdb) p lr');
    const after = lines.slice(start);
    assert.equal(after[1], '0.03', `the answer right below the command:\n${screen.framed()}`);
    assert.equal(after[2], '(rank-1-pdb) p err', `then the prompt with the text typed ahead:\n${screen.framed()}`);
    for (const row of after.slice(3, -1))
      assert.ok(
        row === 'errand       error_count' || row === '(rank-1-pdb) p err',
        `only lists of "p err": ${JSON.stringify(row)}\n${screen.framed()}`,
      );
    assert.doesNotMatch(screen.text, /\bglobalThis\b|\bsetTimeout\b/, 'no list of globals');
    await quit(p, rank);
  },
);

test('attach takes answers out of the output wherever the chunks are cut; a NUL that starts no answer is shown', () => {
  const answer = protocol.completionAnswer(3, ['shard'], 'sha');
  const stream = `banner\n(rank-1-pdb) ${answer}out\x00put\n(rank-1-pdb) `;
  for (let cut = 0; cut <= stream.length; cut++) {
    const got = [];
    const s = answerSplitter((json) => got.push(protocol.parseCompletionAnswer(json)));
    const shown = s.push(stream.slice(0, cut)) + s.push(stream.slice(cut));
    assert.equal(shown, 'banner\n(rank-1-pdb) out\x00put\n(rank-1-pdb) ', `cut at ${cut}`);
    assert.deepEqual(got, [{ id: 3, completions: ['shard'], substring: 'sha' }], `cut at ${cut}`);
  }
  assert.deepEqual(protocol.parseCompletionRequest(protocol.completionRequest(1, 'p a\nb').trimEnd()), { id: 1, line: 'p a\nb' });
  assert.equal(protocol.parseCompletionAnswer('{"id":1,"completions":[1],"substring":""}'), undefined);
});
