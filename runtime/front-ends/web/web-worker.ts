/**
 * The web worker: serves the debugger page of one rank over HTTP and a WebSocket (`ws`) while the
 * main thread is stopped in `Atomics.wait` (no CPU while nobody types).
 *
 * - Every request passes http-guard.ts first: `Host` (DNS rebinding), `Origin` on the WebSocket and
 *   on anything but a plain read, and the token on a non-loopback bind. The page's static files
 *   (its scripts, app.css, the icon) are the same for everyone and need no token; the page itself,
 *   the overview and the WebSocket do.
 * - One page controls the session (types commands, selects frames); the others watch and are told
 *   so. A watching page may take control. When the controlling page leaves, the newest watching page
 *   gets control (a reloaded tab comes back as the newest).
 * - The worker keeps the transcript (bounded), the last state and the prompt, so a page that
 *   connects later (or reloads) shows everything so far.
 * - Requests for variables, source and completion go to the main thread, which answers them at its
 *   prompt; a command sent while the session runs one is refused with a notice, not queued behind
 *   the user's back.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import * as path from 'node:path';
import { workerData } from 'node:worker_threads';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { postAndWake } from '../shared/blocking-port';
import * as os from 'node:os';
import * as registry from '../shared/registry';
import { boxed } from '../../render/boxed';
import { hostAllowed, isWildcard, originAllowed, tokenMatches, urlHost } from './http-guard';
import { esc, overviewHtml } from './overview';
import type { FromPage, Role, SessionState, ToPage, TranscriptEntry } from './page-protocol';
import type { FromWebWorker, ToWebWorker, WebWorkerStart } from './protocol';

const start = workerData as WebWorkerStart;
const signal = new Int32Array(start.signal);
const toMain = (m: FromWebWorker): void => postAndWake(start.port, signal, m);

// Any other fault of this thread must reach the main thread, which sleeps until a message comes:
// the session then ends and the error goes on, instead of the program staying stopped for ever.
process.on('uncaughtException', (fault) => {
  toMain({ type: 'fatal', message: fault instanceof Error ? (fault.stack ?? fault.message) : String(fault) });
});

/** Characters of transcript kept for pages that connect later. Default 1,000,000. */
const TRANSCRIPT_CHARS = 1_000_000;
/** Largest WebSocket message accepted from a page. */
const MAX_PAYLOAD = 1 << 20;
/** Requests a page may have waiting at once (a page gone wrong must not flood the main thread). */
const MAX_PENDING = 200;
/** Requests the main thread answers. */
const METHODS = new Set(['children', 'source', 'complete', 'hover', 'select', 'exception']);
/** Requests that change what every page shows: only the controlling page may make them. */
const CONTROL_METHODS = new Set(['select', 'exception']);

/** Content types of the page's files, by extension: a file of another kind in assets/ is not served. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
/**
 * The page's files, read once at start: `/name` for each file of assets/ (one folder, no
 * subfolders: a path is looked up here as a whole, never joined to a folder), `/` for index.html.
 */
const ASSETS = new Map<string, [Buffer, string]>();
for (const file of fs.readdirSync(start.assets)) {
  const type = TYPES[path.extname(file)];
  if (!type || !fs.statSync(path.join(start.assets, file)).isFile()) continue;
  ASSETS.set(`/${file}`, [fs.readFileSync(path.join(start.assets, file)), type]);
}
if (ASSETS.has('/index.html')) ASSETS.set('/', ASSETS.get('/index.html')!);
/** Paths that show the session or other sessions: they need the token. */
const PRIVATE = new Set(['/', '/index.html', '/ranks']);

interface Client {
  ws: WebSocket;
  role: Role;
  /** Requests waiting for the main thread. */
  waiting: number;
}

const clients = new Set<Client>();
let controller: Client | undefined;
const transcript: TranscriptEntry[] = [];
let transcriptChars = 0;
let transcriptCut = false;
/** The prompt while the main thread waits for a line; undefined while it runs a command. */
let reading: string | undefined;
let state: SessionState | undefined;
/** The goodbye once the session ended. */
let ended: string | undefined;
/** Runs out when no page connects in time while the session waits for a line (`IPDB_TIMEOUT`). */
let timer: NodeJS.Timeout | undefined;
let nextRequest = 1;
const pending = new Map<number, { client: Client; id: number }>();

let server: http.Server | undefined;
let wsServer: WebSocketServer | undefined;
/** `WebSocket.OPEN`. */
const OPEN = 1;

/**
 * The WebSocket server, made on first use: loading `ws` takes milliseconds that neither the box
 * with the URL nor the page itself need wait for (it is loaded after the first answer, while the
 * browser reads the page).
 */
function wss(): WebSocketServer {
  const { WebSocketServer: Server } = require('ws') as typeof import('ws');
  return (wsServer ??= new Server({ noServer: true, maxPayload: MAX_PAYLOAD, perMessageDeflate: false }));
}

// --- HTTP -------------------------------------------------------------------------------------

/** Headers of every answer: nothing cached, no framing, no referrer (the URL may carry the token). */
function baseHeaders(req: http.IncomingMessage, type: string): http.OutgoingHttpHeaders {
  return {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; `
      + `connect-src 'self' ws://${req.headers.host ?? ''}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
  };
}

function reply(req: http.IncomingMessage, res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...baseHeaders(req, type), 'Content-Length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function refusalPage(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ts-pdb: ${esc(title)}</title>`
    + `<link rel="stylesheet" href="app.css"></head><body class="overview"><header class="bar"><span class="brand">ts-pdb</span>`
    + `<span class="title">${esc(title)}</span></header><main class="overview-main"><p>${esc(text)}</p></main></body></html>\n`;
}

function onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
  // The page's WebSocket comes next: load `ws` once this answer is on its way.
  if (!wsServer) setImmediate(wss);
  if (!hostAllowed(req.headers.host, start.host)) {
    reply(req, res, 403, 'text/plain; charset=utf-8', `ts-pdb: refused: this server answers only to its own address, not to Host ${JSON.stringify(req.headers.host ?? '')} (DNS rebinding protection)\n`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    // Nothing here changes state over plain HTTP (commands go over the WebSocket); a cross-site
    // form post is refused before it is even looked at.
    const status = originAllowed(req.headers.origin, req.headers.host) ? 405 : 403;
    reply(req, res, status, 'text/plain; charset=utf-8', status === 405 ? 'ts-pdb: only GET here\n' : 'ts-pdb: refused: cross-origin request\n');
    return;
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    reply(req, res, 400, 'text/plain; charset=utf-8', 'ts-pdb: bad request\n');
    return;
  }
  if (PRIVATE.has(url.pathname) && !tokenMatches(url.searchParams.get('token'), start.token)) {
    reply(req, res, 401, 'text/html; charset=utf-8', refusalPage('token needed',
      `This session needs its token: open the full URL printed in the box on the program's stderr (it ends with ?token=...). `
      + `npx ts-pdb ls on that machine lists the waiting sessions.`));
    return;
  }
  if (url.pathname === '/ranks') {
    let entries: registry.RegistryEntry[] = [];
    try { entries = registry.list(); } catch { /* no registry: an empty list */ }
    // This rank itself, even before its main thread has registered it (the box comes first).
    if (ownEntry && !entries.some((e) => e.pid === start.pid && e.rank === start.rank)) {
      entries = [...entries, ownEntry].sort((a, b) => a.rank - b.rank || a.pid - b.pid);
    }
    reply(req, res, 200, 'text/html; charset=utf-8', overviewHtml(entries, { pid: start.pid, withTokens: start.token !== undefined, token: start.token }));
    return;
  }
  const asset = ASSETS.get(url.pathname);
  if (asset) {
    reply(req, res, 200, asset[1], asset[0]);
    return;
  }
  reply(req, res, 404, 'text/plain; charset=utf-8', 'ts-pdb: not found\n');
}

function onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => {});
  const refuse = (status: number, reason: string, text: string): void => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n`
      + `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  };
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    refuse(400, 'Bad Request', 'ts-pdb: bad request\n');
    return;
  }
  if (url.pathname !== '/ws') return refuse(404, 'Not Found', 'ts-pdb: not found\n');
  if (!hostAllowed(req.headers.host, start.host)) return refuse(403, 'Forbidden', 'ts-pdb: refused: wrong Host (DNS rebinding protection)\n');
  if (!originAllowed(req.headers.origin, req.headers.host)) return refuse(403, 'Forbidden', 'ts-pdb: refused: the WebSocket must come from the page\'s own origin\n');
  if (!tokenMatches(url.searchParams.get('token'), start.token)) return refuse(401, 'Unauthorized', 'ts-pdb: refused: this session needs its token\n');
  wss().handleUpgrade(req, socket, head, (ws) => connected(ws));
}

// --- pages ------------------------------------------------------------------------------------

function sendTo(client: Client, m: ToPage): void {
  if (client.ws.readyState === OPEN) client.ws.send(JSON.stringify(m));
}

function broadcast(m: ToPage): void {
  const text = JSON.stringify(m);
  for (const c of clients) if (c.ws.readyState === OPEN) c.ws.send(text);
}

function connected(ws: WebSocket): void {
  const client: Client = { ws, role: controller ? 'watch' : 'control', waiting: 0 };
  ws.on('error', () => {});
  if (ended !== undefined) {
    ws.send(JSON.stringify({ type: 'hello', role: 'watch', rank: start.rank, pid: start.pid, title: start.title, transcript: [], ended } satisfies ToPage), () => ws.close(1000));
    return;
  }
  clients.add(client);
  if (!controller) controller = client;
  clientArrived();
  sendTo(client, {
    type: 'hello', role: client.role, rank: start.rank, pid: start.pid, title: start.title,
    transcript: transcriptCut ? [{ kind: 'err', text: '[earlier output is not kept]\n' }, ...transcript] : transcript,
    ...(state ? { state } : {}), ...(reading !== undefined ? { prompt: reading } : {}),
    ...(client.role === 'watch' ? { why: 'Another page controls this session: this one watches.' } : {}),
  });
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return;
    let m: FromPage;
    try {
      m = JSON.parse(data.toString()) as FromPage;
    } catch {
      sendTo(client, { type: 'notice', text: 'ts-pdb: a message that is not JSON was ignored' });
      return;
    }
    // JSON of the wrong shape can still throw here: `{"line":{"toString":null,"valueOf":null}}`
    // cannot become a string. Uncaught, that killed this thread and left the program stopped for
    // ever (issue #7 fuzz test, web-fuzz.test.mjs). The message is refused before it changes anything.
    try {
      onPageMessage(client, m);
    } catch {
      sendTo(client, { type: 'notice', text: 'ts-pdb: a malformed message was ignored' });
    }
  });
  ws.on('close', () => left(client));
}

function onPageMessage(client: Client, m: FromPage): void {
  if (ended !== undefined || typeof m !== 'object' || m === null) return;
  if (m.type === 'command') {
    if (client !== controller) {
      sendTo(client, { type: 'notice', text: 'This page watches: take control to type commands.' });
      return;
    }
    if (reading === undefined) {
      sendTo(client, { type: 'notice', text: 'The session is running a command: wait for the prompt.' });
      return;
    }
    // One line per command, as a terminal would deliver it: a pasted block runs its first line.
    const line = String(m.line ?? '').split(/\r?\n/)[0];
    append({ kind: 'in', text: `${reading}${line}\n` });
    broadcast({ type: 'input', prompt: reading, line });
    reading = undefined;
    toMain({ type: 'line', line });
  } else if (m.type === 'request') {
    // Read without throwing (an object without toString/valueOf cannot be converted), so that every
    // request gets its answer, an error for these.
    const id = converted(() => Number(m.id), NaN);
    const method = converted(() => String(m.method), '<not text>');
    if (!METHODS.has(method)) {
      sendTo(client, { type: 'answer', id, error: `unknown request ${JSON.stringify(method)}` });
    } else if (CONTROL_METHODS.has(method) && client !== controller) {
      sendTo(client, { type: 'answer', id, error: 'this page watches: take control to select frames' });
    } else if (client.waiting >= MAX_PENDING) {
      sendTo(client, { type: 'answer', id, error: 'too many requests waiting' });
    } else {
      const wid = nextRequest++;
      client.waiting++;
      pending.set(wid, { client, id });
      toMain({ type: 'request', id: wid, method, params: typeof m.params === 'object' && m.params ? m.params : {} });
    }
  } else if (m.type === 'take-control') {
    if (client === controller) return;
    const previous = controller;
    controller = client;
    client.role = 'control';
    sendTo(client, { type: 'role', role: 'control', why: 'This page controls the session now.' });
    if (previous) {
      previous.role = 'watch';
      sendTo(previous, { type: 'role', role: 'watch', why: 'Another page took control: this one watches.' });
    }
  }
}

/** `convert()`, or `fallback` when it throws. */
function converted<T>(convert: () => T, fallback: T): T {
  try {
    return convert();
  } catch {
    return fallback;
  }
}

function left(client: Client): void {
  if (!clients.delete(client)) return;
  for (const [wid, p] of pending) if (p.client === client) pending.delete(wid);
  if (controller === client) {
    controller = undefined;
    // The newest page: a tab that reloads reconnects before the server sees the old one go.
    const next = [...clients].pop();
    if (next) {
      controller = next;
      next.role = 'control';
      sendTo(next, { type: 'role', role: 'control', why: 'The page that controlled the session left: this one controls it now.' });
    }
  }
  waitForClient();
}

function append(entry: TranscriptEntry): void {
  transcript.push(entry);
  transcriptChars += entry.text.length;
  while (transcriptChars > TRANSCRIPT_CHARS && transcript.length > 1) {
    transcriptChars -= transcript.shift()!.text.length;
    transcriptCut = true;
  }
}

function waitForClient(): void {
  if (timer || start.timeoutMs === undefined || reading === undefined || clients.size > 0) return;
  timer = setTimeout(() => {
    timer = undefined;
    if (reading === undefined || clients.size > 0) return;
    reading = undefined;
    toMain({ type: 'timeout' });
  }, start.timeoutMs);
}

function clientArrived(): void {
  if (timer) { clearTimeout(timer); timer = undefined; }
}

// --- the main thread --------------------------------------------------------------------------

start.port.on('message', (m: ToWebWorker) => {
  switch (m.type) {
    case 'write':
      append({ kind: m.kind, text: m.text });
      broadcast({ type: 'output', kind: m.kind, text: m.text });
      break;
    case 'read':
      reading = m.prompt;
      state = m.state;
      broadcast({ type: 'state', state });
      broadcast({ type: 'prompt', prompt: m.prompt });
      waitForClient();
      break;
    case 'state':
      state = m.state;
      broadcast({ type: 'state', state });
      break;
    case 'answer': {
      const p = pending.get(m.id);
      if (!p) break;
      pending.delete(m.id);
      p.client.waiting--;
      sendTo(p.client, { type: 'answer', id: p.id, ...(m.error !== undefined ? { error: m.error } : { result: m.result }) });
      break;
    }
    case 'close':
      close(m.goodbye);
      break;
  }
});

/** Tells every page, waits (bounded) until they have it, closes everything, answers `closed`. */
function close(goodbye: string): void {
  ended = goodbye;
  reading = undefined;
  if (timer) clearTimeout(timer);
  let open = 0;
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    for (const c of clients) c.ws.terminate();
    server?.closeAllConnections();
    toMain({ type: 'closed' });
    start.port.close();
  };
  for (const c of clients) {
    if (c.ws.readyState !== OPEN) continue;
    open++;
    c.ws.send(JSON.stringify({ type: 'ended', text: goodbye } satisfies ToPage), () => c.ws.close(1000, 'session ended'));
    c.ws.once('close', () => { if (--open === 0) finish(); });
  }
  server?.close();
  if (open === 0) finish();
  else setTimeout(finish, 1000).unref();
}

// --- listening --------------------------------------------------------------------------------

/** Listens on `port`, else (taken) on the next ones, `left` more times; port 0: any free port. */
function listen(port: number, left: number): void {
  const s = http.createServer(onRequest);
  s.on('upgrade', onUpgrade);
  s.on('clientError', (_e, socket) => socket.destroy());
  s.once('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE' && port !== 0 && left > 0 && port < 65535) listen(port + 1, left - 1);
    else toMain({ type: 'fatal', message: e.message });
  });
  s.listen(port, start.host, () => {
    server = s;
    const a = s.address();
    const actual = typeof a === 'object' && a ? a.port : port;
    const url = `http://${urlHost(start.host)}:${actual}/`;
    ownEntry = {
      rank: start.rank, pid: start.pid, host: os.hostname(), mode: 'web', address: url, ...(start.token ? { token: start.token } : {}),
      error: start.title, since: Date.now(),
    };
    // Registered here, with the box, so that another rank's overview lists this one as soon as
    // the box is out (the main thread registers the same entry, same file, and removes it at the end).
    registry.register(ownEntry);
    if (start.announce) announce(url, actual);
    toMain({ type: 'listening', port: actual, url });
  });
}

/** This session as the overview lists it, once the server listens. */
let ownEntry: registry.RegistryEntry | undefined;

/**
 * The box on stderr with the URL to open, said here the moment the server listens: the main
 * thread is meanwhile loading the session engine, and the user need not wait for that.
 */
function announce(url: string, port: number): void {
  const withToken = (u: string): string => (start.token ? `${u}?token=${start.token}` : u);
  const seconds = start.timeoutMs === undefined ? undefined : start.timeoutMs / 1000;
  try {
    fs.writeSync(2, boxed([
      `ts-pdb: rank ${start.rank} (pid ${start.pid}) stopped: ${start.title}`,
      `open in a browser:  ${withToken(url)}`,
      ...(isWildcard(start.host) ? [`(on this machine:  ${withToken(`http://127.0.0.1:${port}/`)})`] : []),
      ...(seconds ? [`(waits ${seconds} s for a page, then the error goes on)`] : []),
    ]));
  } catch {
    // stderr closed: the registry (ts-pdb ls) still has the address.
  }
}

listen(start.port0, start.tries);
