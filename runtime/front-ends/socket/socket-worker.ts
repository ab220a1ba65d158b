/**
 * The socket worker: listens on a Unix socket for the session of one rank, serves one client at a
 * time in plain text (what `nc -U` and `socat` speak), and hands each line to the main thread,
 * which is stopped in `Atomics.wait` (no CPU while nobody types).
 *
 * - Output written while no client is connected is kept and sent to the next client.
 * - A second client is told the session is busy and is disconnected; the first keeps it.
 * - A client that disconnects leaves the session waiting for the next one (its unanswered prompt is
 *   sent again to the next client).
 * - Lines that start with NUL are out of band (the wire format in protocol.ts): completion requests,
 *   answered here with the main thread's help while it reads a line, empty otherwise; they are never
 *   delivered as commands, and a malformed one gets an empty answer.
 * - A client that says hello speaks the structured protocol too (protocol.ts): this thread answers
 *   its hello, asks the main thread for the session's state before each prompt it sends it, and
 *   relays its requests to the main thread while it reads a line (at once `busy` otherwise).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { SessionState } from '../../engine/requests';
import { workerEnd } from '../shared/worker-link';
import { announce } from './announce';
import {
  answerLine,
  BUSY,
  busyRefusal,
  COMPLETE_REQUEST,
  CONTROL,
  completionAnswer,
  HELLO,
  helloAnswer,
  MAX_CONTROL_LINE,
  parseCompletionRequest,
  parseHello,
  parseRequest,
  PROTOCOL,
  REQUEST,
  stateLine,
  TOKEN_REFUSAL,
  type CompletionId,
  type FromSocketWorker,
  type RequestId,
  type SocketWorkerStart,
  type ToSocketWorker,
} from './protocol';

// Any fault of this thread reaches the main thread as `fatal` (workerEnd): the session then ends and
// the error goes on, instead of the program staying stopped for ever (the web worker had such a
// fault, issue #7 fuzz test).
const { start, send } = workerEnd<SocketWorkerStart, FromSocketWorker>();

let client: net.Socket | undefined;
let pending = '';
/** The prompt of an unanswered `read`, or undefined when the main thread is not reading. */
let reading: string | undefined;
/** What the client sent after its last end of line. */
let buffered = '';
/** Complete command lines of the client, not yet handed to the main thread (oldest first). */
const lines: string[] = [];
/** Completion requests the main thread is answering: our id → the client that asked and its own id. */
const requests = new Map<number, { socket: net.Socket; id: CompletionId }>();
/** Structured requests the main thread is answering: our id → the client that asked and its own id. */
const viewRequests = new Map<number, { socket: net.Socket; id: RequestId }>();
let lastRequest = 0;
/** Clients that said hello (the structured protocol): each gets a state line before every prompt. */
const structured = new WeakSet<net.Socket>();
/** True while the prompt of the unanswered `read` waits for its state (a structured client gets the state first); lines wait too. */
let awaitingState = false;
/** True while a `state-wanted` is unanswered (one is enough). */
let stateAsked = false;
/** True once the main thread read a line: before, the session is still loading. */
let everRead = false;
/** Runs out when no client connects in time while the session waits for a line (`IPDB_TIMEOUT`). */
let timer: NodeJS.Timeout | undefined;

/** True while the main thread waits for the first client before it loads the session (`await`). */
let awaiting = false;

function waitForClient(): void {
  if (timer || start.timeoutMs === undefined || (reading === undefined && !awaiting) || (client && !client.destroyed)) return;
  timer = setTimeout(() => {
    timer = undefined;
    if ((reading === undefined && !awaiting) || (client && !client.destroyed)) return;
    reading = undefined;
    awaitingState = false;
    awaiting = false;
    send({ type: 'timeout' });
  }, start.timeoutMs);
}

function clientArrived(): void {
  if (timer) {
    clearTimeout(timer);
    timer = undefined;
  }
  if (awaiting) {
    awaiting = false;
    send({ type: 'client' });
  }
}

function deliver(text: string): void {
  if (client && !client.destroyed) client.write(text);
  else pending += text;
}

/**
 * Queued lines past which the client is not read until the session catches up: an empty line
 * repeats the last command (as in pdb), so 10 MB of newlines piped in would otherwise queue ten
 * million runs of it. The client is paused, not cut: every line it sent is still run, in order.
 */
const MAX_QUEUED = 1000;

function takeLine(): void {
  // A structured client's lines wait for the state and prompt: each command's output follows its state.
  if (reading === undefined || lines.length === 0 || awaitingState) return;
  reading = undefined;
  send({ type: 'line', line: lines.shift()! });
  if (lines.length < MAX_QUEUED / 2 && client?.isPaused()) client.resume();
}

/** Longest text kept without an end of line, in characters (10 times the session's longest line). */
const MAX_UNENDED = 1_000_000;

/**
 * True after part of a line was handed over (it grew past {@link MAX_UNENDED}) and until the line
 * ends: what follows is the rest of that command line, not a new line, whatever it starts with.
 */
let cut = false;

/** True after an out-of-band line grew past {@link MAX_CONTROL_LINE} (and was answered): the rest of it, up to its end of line, is dropped. */
let dropping = false;

/**
 * Splits what a client sent into lines, in order: commands are queued for the main thread, control
 * lines are answered at once. A request that comes after a command the main thread has not finished
 * is answered empty, never held: it cannot be answered before that command ends, and the client
 * should not wait for it.
 */
function received(socket: net.Socket, chunk: string): void {
  buffered += chunk;
  for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
    const line = buffered.slice(0, nl).replace(/\r$/, '');
    buffered = buffered.slice(nl + 1);
    if (dropping) {
      dropping = false;
      continue;
    }
    // The rest of a cut line is never out of band, even when the cut fell just before a NUL
    // (random bytes piped in): it is refused as too long like the part before it, not taken for
    // a completion request and answered with nothing (issue #7 fuzz test, socket-fuzz.test.mjs).
    if (line.startsWith(CONTROL) && !cut) request(socket, line);
    else lines.push(line);
    cut = false;
    takeLine();
  }
  if (dropping) buffered = '';
  // An out-of-band line that never ends is no command either: answered now (its client may wait for
  // the answer), and the rest of it dropped.
  if (!cut && buffered.startsWith(CONTROL) && buffered.length > MAX_CONTROL_LINE) {
    tooLong(socket, buffered);
    buffered = '';
    dropping = true;
  }
  // A line that never ends (a binary file piped into nc) is handed over as it is, once it is
  // longer than any command: the session answers "Line too long" and memory stays bounded.
  if (buffered.length > MAX_UNENDED) {
    lines.push(buffered);
    buffered = '';
    cut = true;
    takeLine();
  }
  if (lines.length >= MAX_QUEUED && socket === client) socket.pause();
}

/** An out-of-band line: a hello, a structured request, or a completion request (anything else: see {@link completion}). */
function request(socket: net.Socket, text: string): void {
  try {
    if (text.startsWith(HELLO) || text === HELLO.trimEnd()) hello(socket, text);
    else if (text.startsWith(REQUEST) || text === REQUEST.trimEnd()) viewRequest(socket, text);
    else if (structured.has(socket) && !text.startsWith(COMPLETE_REQUEST))
      socket.write(answerLine({ id: null, error: `unknown control line ${JSON.stringify(text.slice(0, 40))}` }));
    else completion(socket, text);
  } catch {
    // A bad line never takes the session down (the answers above do not throw; a destroyed socket's write is a no-op).
  }
}

/** The one answer to an out-of-band line that has not ended within {@link MAX_CONTROL_LINE} characters. */
function tooLong(socket: net.Socket, text: string): void {
  const why = `control line too long (more than ${MAX_CONTROL_LINE} characters)`;
  if (text.startsWith(HELLO)) socket.write(helloAnswer({ protocol: PROTOCOL, error: why }));
  else if (text.startsWith(REQUEST) || structured.has(socket)) socket.write(answerLine({ id: null, error: why }));
  else socket.write(completionAnswer(null, [], ''));
}

/**
 * A hello: answered at once with the session's facts, and from then on the client is structured.
 * When the session waits for a line, its state and the prompt follow (asked of the main thread).
 */
function hello(socket: net.Socket, text: string): void {
  const h = parseHello(text);
  if ('error' in h) {
    socket.write(helloAnswer({ protocol: PROTOCOL, error: h.error }));
    return;
  }
  structured.add(socket);
  socket.write(helloAnswer({ protocol: PROTOCOL, ...(start.hello ?? { rank: start.rank }) }));
  if (reading !== undefined && socket === client) wantState();
}

/** Holds the prompt (and the lines) of the unanswered `read` until the main thread sends the state. */
function wantState(): void {
  awaitingState = true;
  if (stateAsked) return;
  stateAsked = true;
  send({ type: 'state-wanted' });
}

/** A structured request: to the main thread while it reads a line; refused at once otherwise. */
function viewRequest(socket: net.Socket, text: string): void {
  const r = parseRequest(text);
  if ('error' in r) {
    socket.write(answerLine(r));
    return;
  }
  if (!structured.has(socket)) {
    socket.write(answerLine({ id: r.id, error: `say hello first (${HELLO.slice(1)}{"protocol":${PROTOCOL}})` }));
    return;
  }
  if (reading === undefined) {
    socket.write(answerLine({ id: r.id, error: everRead ? BUSY : 'busy: the session is not ready yet (its first state is on its way)' }));
    return;
  }
  const ours = ++lastRequest;
  viewRequests.set(ours, { socket, id: r.id });
  send({ type: 'request', id: ours, method: r.method, params: r.params });
}

/** The main thread's answer to a structured request, for the client that asked, if it is still the one connected. */
function viewAnswer(m: { id: number; result?: unknown; error?: string }): void {
  const r = viewRequests.get(m.id);
  viewRequests.delete(m.id);
  if (r && r.socket === client && !r.socket.destroyed)
    r.socket.write(answerLine(m.error === undefined ? { id: r.id, result: m.result } : { id: r.id, error: m.error }));
}

/** The state before the prompt of the unanswered `read`, for a structured client; then its lines may run. */
function stateArrived(state: SessionState | undefined): void {
  stateAsked = false;
  if (reading === undefined) return; // a line was taken meanwhile: the next read brings a fresh state
  awaitingState = false;
  if (client && !client.destroyed && structured.has(client)) client.write((state ? stateLine(reading, state) : '') + reading);
  takeLine();
}

/** A completion request goes to the main thread when it is reading; anything else gets an empty answer. */
function completion(socket: net.Socket, text: string): void {
  let id: CompletionId = null;
  try {
    const r = parseCompletionRequest(text);
    id = r.id;
    if (r.line !== undefined && reading !== undefined) {
      const ours = ++lastRequest;
      requests.set(ours, { socket, id });
      send({ type: 'complete', id: ours, line: r.line });
      return;
    }
  } catch {
    // Fall through to the empty answer: a bad request never takes the session down.
  }
  socket.write(completionAnswer(id, [], ''));
}

/** The main thread's answer to a request, for the client that asked, if it is still the one connected. */
function answer(m: { id: number; completions: string[]; substring: string }): void {
  const r = requests.get(m.id);
  requests.delete(m.id);
  if (r && r.socket === client && !r.socket.destroyed) r.socket.write(completionAnswer(r.id, m.completions, m.substring));
}

/** True when `line` is the session's token (compared in constant time). */
function isToken(line: string): boolean {
  const want = Buffer.from(start.token ?? '');
  const got = Buffer.from(line.trim());
  // node:crypto loads only for a session with a token (most never need it, and every rank loads this).
  return got.length === want.length && (require('node:crypto') as typeof import('node:crypto')).timingSafeEqual(got, want);
}

/** A TCP client of a session with a token: its first line must be the token, else it is turned away. */
function checkToken(socket: net.Socket): void {
  let first = '';
  socket.setEncoding('utf8');
  // Said at once, so that a client without the token is not left looking at nothing.
  socket.write("ts-pdb: token? (send the token from the box on the rank's stderr as the first line)\n");
  const onData = (chunk: string): void => {
    first += chunk;
    const nl = first.indexOf('\n');
    if (nl < 0) {
      if (first.length > 1024) socket.destroy();
      return;
    }
    socket.off('data', onData);
    if (!isToken(first.slice(0, nl))) {
      turnAway(socket, TOKEN_REFUSAL);
      return;
    }
    const rest = first.slice(nl + 1);
    serve(socket);
    if (rest) socket.emit('data', rest);
  };
  socket.on('data', onData);
  socket.on('error', () => {});
}

/** Every connection open, turned-away ones included (the session's end waits for them). */
const open = new Set<net.Socket>();
/** True once the session ended: a connection that comes after is closed at once. */
let ended = false;

const server = net.createServer((socket) => {
  if (ended) {
    socket.destroy();
    return;
  }
  open.add(socket);
  socket.once('close', () => {
    open.delete(socket);
    if (open.size === 0) allGone?.();
  });
  if (start.token) checkToken(socket);
  else serve(socket);
});

/** Runs once the last connection closed, while the session ends (an adopted socket, which stays open). */
let allGone: (() => void) | undefined;

/** How long a turned-away client may keep its side open after the refusal before it is closed. */
const TURN_AWAY_LINGER_MS = 500;

/**
 * Tells a client why it is turned away (busy, a wrong token), and closes the connection so that it
 * reads why. What it sends meanwhile is read and dropped: closing over unread data resets the
 * connection, and a client that writes as it connects (a DAP adapter's hello, a pasted script)
 * would lose the refusal to the reset. A client that closes its side is closed at once; one that
 * does not (`nc`, waiting on its stdin) soon after, both ways.
 */
function turnAway(socket: net.Socket, why: string): void {
  socket.on('error', () => {});
  socket.removeAllListeners('data');
  socket.resume();
  socket.on('end', () => socket.destroy());
  socket.end(why);
  setTimeout(() => socket.destroy(), TURN_AWAY_LINGER_MS).unref();
}

function serve(socket: net.Socket): void {
  if (client && !client.destroyed) {
    turnAway(socket, busyRefusal(start.rank));
    return;
  }
  client = socket;
  clientArrived();
  socket.setEncoding('utf8');
  if (pending) {
    socket.write(pending);
    pending = '';
  }
  if (reading !== undefined) socket.write(reading);
  socket.on('data', (chunk: string) => {
    if (socket !== client) return;
    received(socket, chunk);
  });
  const gone = (): void => {
    if (socket !== client) return;
    client = undefined;
    // A partial line of a client that left is not the next client's command.
    buffered = '';
    cut = false;
    dropping = false;
    lines.length = 0;
    waitForClient();
  };
  socket.on('close', gone);
  socket.on('error', gone);
}

server.on('error', (e) => send({ type: 'fatal', message: e.message }));

start.port.on('message', (m: ToSocketWorker) => {
  if (m.type === 'write') deliver(m.text);
  else if (m.type === 'completion') answer(m);
  else if (m.type === 'answer') viewAnswer(m);
  else if (m.type === 'state') stateArrived(m.state);
  else if (m.type === 'await') {
    awaiting = true;
    if (client && !client.destroyed) clientArrived();
    else waitForClient();
  } else if (m.type === 'read') {
    reading = m.prompt;
    everRead = true;
    awaitingState = false;
    // A structured client gets the state first: the prompt waits for it.
    if (client && !client.destroyed && structured.has(client)) wantState();
    else if (client && !client.destroyed) client.write(m.prompt);
    takeLine();
    waitForClient();
  } else if (m.type === 'close') {
    if (timer) clearTimeout(timer);
    const done = (): void => {
      unregister();
      if (!start.tcp)
        try {
          fs.unlinkSync(start.path);
        } catch {
          /* already gone */
        }
      send({ type: 'closed' });
      start.port.close();
    };
    ended = true;
    // An adopted socket is shared with the main thread's handle (listen-here.ts): it is never
    // closed, and this thread stays (idle) so that nothing closes it; its path goes, so nobody else
    // connects. Done once the connections are closed, as server.close() would be.
    if (start.adopt === undefined) server.close(done);
    else if (open.size === 0) done();
    else allGone = done;
    // Say goodbye, then close both ways (connections still open would keep close() waiting).
    const last = client;
    if (last && !last.destroyed) last.write(m.goodbye, () => last.destroy());
    else if (last) last.destroy();
  }
});

/** Removes the registry entry (set once the session is announced). */
let unregister = (): void => {};

/** The socket listens: say so (box and registry) at once, then tell the main thread. */
function listening(where: { path: string; why?: string; tcp: boolean; token?: string }): void {
  // An adopted socket's box is said and its entry written already: this thread keeps the entry beating.
  if (start.announce) unregister = announce(start.announce, where, { box: start.adopt === undefined });
  send({ type: 'listening', path: where.path, why: where.why });
}

/** True when something accepts connections at `path` (a live session, ours or not). */
function live(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/**
 * The path to listen on (docs/SPEC.md §3, §6): the one asked for when it is free, or a stale socket of our
 * own (a session that died) which is replaced; otherwise, never reusing or following what belongs
 * to someone else or is in use, the private fallback, and why.
 */
async function choosePath(): Promise<{ path: string; why?: string }> {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(start.path);
  } catch {
    return { path: start.path };
  }
  const uid = process.getuid?.();
  if (!st.isSocket()) return { path: start.fallback, why: `${start.path} exists and is not a socket` };
  if (uid !== undefined && st.uid !== uid)
    return { path: start.path === start.fallback ? start.path : start.fallback, why: `${start.path} belongs to another user` };
  if (await live(start.path)) return { path: start.fallback, why: `${start.path} is in use by another session` };
  fs.unlinkSync(start.path);
  return { path: start.path };
}

if (start.adopt !== undefined) {
  // Listening already (listen-here.ts): adopt it. Its connections waiting in the queue are accepted now.
  server.listen({ fd: start.adopt }, () => listening({ path: start.path, tcp: false }));
} else if (start.tcp) {
  const { host, port } = start.tcp;
  server.listen(port, host, () => {
    const a = server.address() as net.AddressInfo;
    const path = `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`;
    listening({ path, tcp: true, token: start.token });
  });
} else
  void choosePath().then(
    ({ path, why }) => {
      if (path === start.fallback) {
        try {
          fs.unlinkSync(path);
        } catch {
          /* not there */
        }
      }
      // Only the owner may connect (docs/SPEC.md §6): connecting needs write permission on the file, which
      // the default umask already withholds from others; 0600 is set before anyone is told the path.
      server.listen(path, () => {
        try {
          fs.chmodSync(path, 0o600);
        } catch (e) {
          send({ type: 'fatal', message: `cannot restrict ${path} to its owner: ${(e as Error).message}` });
          return;
        }
        start.path = path;
        listening({ path, why, tcp: false });
      });
    },
    (e: unknown) => send({ type: 'fatal', message: (e as Error).message }),
  );
