// `ts-pdb attach` as a client, in a real pseudo-terminal, against a peer on a real Unix socket that
// sends exactly the bytes a test needs: a prompt cut between two reads, and Ctrl-C at the prompt.
// (A real session cannot be made to cut its prompt on demand; the session side is tested in
// socket-session.test.mjs and attach-completion.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';
import { KEYS, spawnNode } from '../helpers/pty.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
const { isPromptStart } = await import(path.join(ROOT, 'dist', 'runtime', 'cli', 'attach.js'));

test('the start of a prompt is recognised, and other text is not', () => {
  for (const t of ['(', '(rank-', '(rank-12', '(rank-3-pd', '(rank-3-pdb)', 'ipd', 'ipdb>']) assert.ok(isPromptStart(t), t);
  for (const t of ['x', '(x', '(rank-a', 'ipdx', 'hello (rank-1']) assert.ok(!isPromptStart(t), t);
});

/** A Unix socket peer; resolves `lines` as the client sends them. */
function peer(dir) {
  const file = path.join(dir, 'peer.sock');
  const got = { lines: [], waiters: [] };
  const server = net.createServer((s) => {
    got.socket = s;
    let buf = '';
    s.setEncoding('utf8').on('data', (d) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        got.lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        for (const w of got.waiters.splice(0)) w();
      }
    });
    got.connected?.();
  });
  got.ready = new Promise((resolve) => server.listen(file, resolve));
  got.connection = new Promise((resolve) => {
    got.connected = resolve;
  });
  got.line = (n) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`attach sent ${got.lines.length} lines, not ${n}: ${JSON.stringify(got.lines)}`)),
        15_000,
      );
      const check = () => {
        if (got.lines.length >= n) {
          clearTimeout(t);
          resolve(got.lines[n - 1]);
        } else got.waiters.push(check);
      };
      check();
    });
  got.close = () => {
    got.socket?.destroy();
    server.close();
  };
  return { file, got };
}

test('a prompt that arrives in two pieces is still the prompt; Ctrl-C clears the line being typed', async () => {
  const dir = scratch('attach-client-');
  const { file, got } = peer(dir);
  await got.ready;
  const p = spawnNode([CLI, 'attach', file], { env: { HOME: dir, TS_PDB_HOME: path.join(dir, 'home') } });
  try {
    await got.connection;
    got.socket.write('banner line\n(rank-');
    // The second piece comes only after the first was surely read (attach echoes the banner).
    await p.waitFor(/banner line\n/);
    got.socket.write('3-pdb) ');
    await p.waitFor(/\(rank-3-pdb\) $/);
    p.type('p shard');
    assert.equal(await got.line(1), 'p shard', 'the typed line, not mixed with the prompt');
    got.socket.write('{ id: 3 }\n(rank-3-pdb) ');
    await p.waitFor(/\{ id: 3 \}\n\(rank-3-pdb\) $/);
    p.key('p oops');
    p.key(KEYS.ctrlC);
    await p.waitFor(/\^C\n\(rank-3-pdb\) $/);
    p.type('p 1');
    assert.equal(await got.line(2), 'p 1', 'Ctrl-C threw the typed text away and kept the session');
    got.close();
    assert.equal((await p.wait()).exitCode, 0);
  } finally {
    p.kill();
    got.close();
  }
});
