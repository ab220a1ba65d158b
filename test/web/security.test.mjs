// Web mode's safety (docs/SPEC.md §6), over raw HTTP with node:http and ws (no browser needed): a wrong Host
// is refused (DNS rebinding), a cross-origin WebSocket or form post is refused, and a bind other
// than loopback (0.0.0.0 here, reached through 127.0.0.1) refuses the page and the WebSocket
// without the session's 128-bit token. Also: the registry entry, the overview of waiting ranks,
// and IPDB_TIMEOUT with no page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../helpers/build.mjs';
import { CLI, ORIGINAL, pageSocket, project, startProgram } from './web-helpers.mjs';

/** A GET (or `method`) on 127.0.0.1:`port` with these headers: `{ status, headers, body }`. */
function get(port, pathname, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method, headers }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (d) => {
          body += d;
        })
        .on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket upgrade request answered by a refusal: its status (or 101 when accepted). */
function upgradeStatus(port, pathname, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: pathname,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Ends a session from a page socket with `q` and checks that the program ends with its error. */
async function quit(program, url) {
  const page = pageSocket(url);
  const hello = await page.next('hello');
  // A page closed just before may not be gone yet on the server: this one then watches.
  if (hello.role !== 'control') {
    page.send({ type: 'take-control' });
    await page.next('role', (m) => m.role === 'control');
  }
  if (hello.prompt === undefined) await page.next('prompt');
  page.send({ type: 'command', line: 'q' });
  await page.next('ended');
  assert.equal(await program.exited, 1);
  assert.match(program.err.text, ORIGINAL);
}

test('loopback bind: the page answers only to its own Host, the WebSocket only to its own Origin', async (t) => {
  const program = startProgram(t, project());
  const url = await program.url();
  const port = Number(new URL(url).port);
  const host = `127.0.0.1:${port}`;

  const ok = await get(port, '/', { Host: host });
  assert.equal(ok.status, 200);
  assert.match(ok.body, /<title>ts-pdb<\/title>/);
  assert.match(ok.headers['content-security-policy'], /default-src 'none'/);
  assert.equal((await get(port, '/', { Host: `localhost:${port}` })).status, 200);

  // DNS rebinding: a page of evil.example whose name now points at 127.0.0.1.
  const rebound = await get(port, '/', { Host: `evil.example:${port}` });
  assert.equal(rebound.status, 403);
  assert.match(rebound.body, /DNS rebinding/);
  assert.equal((await get(port, '/app.js', { Host: `evil.example:${port}` })).status, 403, 'every path checks Host');
  // The page's modules: each one served as JavaScript (a module script needs the type), each behind
  // the Host check; nothing else, in the folder or out of it.
  const modules = fs.readdirSync(path.join(ROOT, 'runtime', 'front-ends', 'web', 'assets')).filter((f) => f.endsWith('.js'));
  assert.ok(modules.length > 5, 'the page is split into modules');
  for (const file of modules) {
    const r = await get(port, `/${file}`, { Host: host });
    assert.equal(r.status, 200, file);
    assert.match(r.headers['content-type'], /^text\/javascript/, file);
    assert.equal((await get(port, `/${file}`, { Host: `evil.example:${port}` })).status, 403, file);
  }
  for (const p of ['/nope.js', '/../package.json', '/%2e%2e/package.json', '/assets/app.js', '/app.js/', '/web-worker.js']) {
    assert.equal((await get(port, p, { Host: host })).status, 404, p);
  }
  assert.equal(await upgradeStatus(port, '/ws', { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` }), 403);

  // Cross-origin: a page on another origin (another port of this machine too) cannot open the socket or post.
  assert.equal(await upgradeStatus(port, '/ws', { Host: host, Origin: 'http://evil.example' }), 403);
  assert.equal(await upgradeStatus(port, '/ws', { Host: host, Origin: `http://127.0.0.1:${port + 1}` }), 403);
  assert.equal(await upgradeStatus(port, '/ws', { Host: host }), 403, 'no Origin: refused');
  assert.equal((await get(port, '/', { Host: host, Origin: 'http://evil.example' }, 'POST')).status, 403);
  assert.equal(await upgradeStatus(port, '/ws', { Host: host, Origin: `http://${host}` }), 101, "the page's own origin is accepted");

  // A WebSocket client with a foreign origin is refused; with the page's, it gets the session.
  const foreign = pageSocket(url, { origin: 'http://evil.example' });
  await assert.rejects(foreign.opened, /refused: 403/);
  await quit(program, url);
});

test('a non-loopback bind (0.0.0.0) needs the token: the page, the overview and the WebSocket refuse without it', async (t) => {
  const dir = project();
  const program = startProgram(t, dir, { IPDB_HOST: '0.0.0.0' });
  const url = await program.url();
  const token = new URL(url).searchParams.get('token');
  assert.match(token ?? '', /^[0-9a-f]{32}$/, `a 128-bit token in the URL: ${url}`);
  assert.equal(new URL(url).hostname, os.hostname().toLowerCase(), 'the URL names this machine');
  const port = Number(new URL(url).port);
  assert.match(program.err.text, new RegExp(`on this machine: {2}http://127\\.0\\.0\\.1:${port}/\\?token=${token}`));
  const host = `127.0.0.1:${port}`;

  assert.equal((await get(port, '/', { Host: host })).status, 401);
  const wrong = await get(port, `/?token=${'0'.repeat(32)}`, { Host: host });
  assert.equal(wrong.status, 401);
  assert.match(wrong.body, /needs its token/);
  assert.equal((await get(port, '/ranks', { Host: host })).status, 401);
  assert.equal((await get(port, `/?token=${token}`, { Host: host })).status, 200);
  assert.equal((await get(port, `/?token=${token}`, { Host: `${os.hostname()}:${port}` })).status, 200, "the machine's name is its own");
  assert.equal((await get(port, '/app.css', { Host: host })).status, 200, "the page's static files are public");

  assert.equal(await upgradeStatus(port, '/ws', { Host: host, Origin: `http://${host}` }), 401);
  assert.equal(await upgradeStatus(port, `/ws?token=${'f'.repeat(32)}`, { Host: host, Origin: `http://${host}` }), 401);
  assert.equal(await upgradeStatus(port, `/ws?token=${token}`, { Host: host, Origin: `http://${host}` }), 101);

  // The registry (private folder) keeps the token; `ts-pdb ls` shows the address: for a wildcard bind,
  // an IP address other hosts can use (the first of a non-internal interface; host names need not resolve there).
  const sessions = path.join(dir, 'home', 'sessions');
  const entry = JSON.parse(fs.readFileSync(path.join(sessions, fs.readdirSync(sessions)[0]), 'utf8'));
  assert.equal(entry.mode, 'web');
  const ip = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => !i.internal && i.family === 'IPv4')?.address;
  assert.equal(entry.address, ip ? `http://${ip}:${port}/` : `http://${os.hostname()}:${port}/`);
  assert.equal(entry.reach, ip ? 'network' : 'host');
  assert.equal(entry.token, token);

  await quit(program, `http://127.0.0.1:${port}/?token=${token}`);
  assert.deepEqual(fs.readdirSync(sessions), [], 'unregistered at the end');
});

test('IPDB_TOKEN=1: a loopback bind needs the token too (a machine shared with other users)', async (t) => {
  const program = startProgram(t, project(), { IPDB_TOKEN: '1' });
  const url = await program.url();
  const token = new URL(url).searchParams.get('token');
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/, 'loopback, with a token');
  const port = Number(new URL(url).port);
  const host = `127.0.0.1:${port}`;
  const refused = await get(port, '/', { Host: host });
  assert.equal(refused.status, 401);
  assert.match(refused.body, /This session needs its token: open the full URL printed in the box/);
  assert.equal(await upgradeStatus(port, '/ws', { Host: host, Origin: `http://${host}` }), 401);
  assert.equal((await get(port, `/?token=${token}`, { Host: host })).status, 200);
  await quit(program, url);
});

test('the overview lists every waiting rank with a link; each rank serves its own page', async (t) => {
  const dir = project();
  const env = { WORLD_SIZE: '2', TS_PDB_INSTRUMENT: 'all' };
  const rank0 = startProgram(t, dir, { ...env, RANK: '0' });
  const rank1 = startProgram(t, dir, { ...env, RANK: '1' });
  const [url0, url1] = await Promise.all([rank0.url(), rank1.url()]);
  assert.notEqual(url0, url1);
  assert.match(rank1.err.text, /\| ts-pdb: rank 1 \(pid \d+\) stopped/);
  const port0 = Number(new URL(url0).port);
  const overview = await get(port0, '/ranks', { Host: `127.0.0.1:${port0}` });
  assert.equal(overview.status, 200);
  for (const url of [url0, url1])
    assert.ok(overview.body.includes(`<a href="${url}">${url}</a>`), `the overview links ${url}:\n${overview.body}`);
  assert.match(overview.body, /<td class="num">1<\/td><td class="num">\d+<\/td>/);

  // The command line knows them too: ls lists their URLs, attach sends the user to the browser.
  const cli = (...args) =>
    spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, TS_PDB_HOME: path.join(dir, 'home') } });
  const ls = cli('ls');
  for (const url of [url0, url1])
    assert.match(ls.stdout, new RegExp(`\\bweb +${url.replace(/[.:/]/g, '\\$&')}`), `ls lists ${url}:\n${ls.stdout}`);
  const attach = cli('attach', '1');
  assert.equal(attach.status, 1, attach.stderr);
  assert.equal(attach.stderr, `ts-pdb attach: rank 1 waits in web mode: open ${url1} in a browser\n`);

  // Rank 1's page has rank 1's prompt.
  const page1 = pageSocket(url1);
  const hello = await page1.next('hello');
  assert.equal(hello.rank, 1);
  assert.equal(hello.prompt ?? (await page1.next('prompt')).prompt, '(rank-1-pdb) ');
  page1.close();
  await quit(rank0, url0);
  await quit(rank1, url1);
});

test('IPDB_TIMEOUT: with no page open, the session gives up after that many seconds and the error goes on', async (t) => {
  const program = startProgram(t, project(), { IPDB_TIMEOUT: '1' });
  await program.err.until(/waits 1 s for a page, then the error goes on/);
  assert.equal(await program.exited, 1);
  assert.match(program.err.text, /no page connected within 1 s; the error goes on/);
  assert.match(program.err.text, ORIGINAL);
});

test('requests over the WebSocket: children are paged, a watcher cannot select frames, garbage gets a notice', async (t) => {
  const program = startProgram(t, project());
  const url = await program.url();
  const control = pageSocket(url);
  const hello = await control.next('hello');
  assert.equal(hello.role, 'control');
  const watcher = pageSocket(url);
  assert.equal((await watcher.next('hello')).role, 'watch');

  // The selected frame is check; select Trainer.step (index 1) and find `weights`.
  const first = hello.state ?? (await control.next('state')).state;
  const step = first.frames.find((f) => f.name === 'Trainer.step');
  watcher.send({ type: 'request', id: 1, method: 'select', params: { frame: step.index } });
  assert.match((await watcher.next('answer')).error, /watches/);
  control.send({ type: 'request', id: 7, method: 'select', params: { frame: step.index } });
  assert.deepEqual((await control.next('answer')).result, { ok: true });
  const state = (await watcher.next('state', (m) => m.state.index === step.index)).state;
  const weights = state.scopes[0].nodes.find((n) => n.name === 'weights');
  assert.ok(weights.ref, 'an array has children');

  const started = Date.now();
  control.send({ type: 'request', id: 8, method: 'children', params: { ref: weights.ref } });
  const top = (await control.next('answer')).result.nodes;
  assert.equal(top.filter((n) => n.type === 'range').length, 100);
  assert.ok(top.length <= 102, 'a hundred ranges, length and the prototype');
  const range = top[0];
  control.send({ type: 'request', id: 9, method: 'children', params: { ref: range.ref, from: range.range[0], to: range.range[1] } });
  const second = (await control.next('answer')).result.nodes;
  assert.equal(second.length, 100);
  assert.ok(Date.now() - started < 5000, 'answers come at once');

  control.send({ type: 'request', id: 10, method: 'complete', params: { line: 'p wei' } });
  assert.deepEqual((await control.next('answer')).result, { candidates: ['weights'], substring: 'wei' });
  control.send({ type: 'request', id: 11, method: 'children', params: { ref: 999999 } });
  assert.match((await control.next('answer')).error, /earlier prompt/);
  control.ws.send('not json');
  assert.match((await control.next('notice')).text, /not JSON/);
  watcher.send({ type: 'command', line: 'q' });
  assert.match((await watcher.next('notice')).text, /watches/);
  watcher.close();
  control.close();
  await quit(program, url);
});
