/**
 * The web worker's relay between the pages (WebSockets that passed the guard, page-server.ts) and
 * the main thread, which is stopped in the session and answers at its prompt:
 *
 * - Roles: one page controls the session (types commands, selects frames); the others watch and are
 *   told so. A watching page may take control. When the controlling page leaves, the newest watching
 *   page gets control (a reloaded tab comes back as the newest).
 * - The relay keeps the transcript (bounded, transcript.ts), the last state and the prompt, so a
 *   page that connects later (or reloads) shows everything so far.
 * - Requests for variables, source and completion go to the main thread, which answers them at its
 *   prompt; a command sent while the session runs one is refused with a notice, not queued behind
 *   the user's back. No page connected within `IPDB_TIMEOUT` while the session waits for a line:
 *   the session ends.
 */
import type { RawData, WebSocket } from 'ws';
import type { FromPage, Role, SessionState, ToPage } from './page-protocol';
import type { FromWebWorker, ToWebWorker } from './protocol';
import { Transcript } from './transcript';

/** Requests a page may have waiting at once (a page gone wrong must not flood the main thread). */
const MAX_PENDING = 200;
/** Requests the main thread answers for a page (engine/requests.ts; `stack`, `scopes` and `evaluate` are not a page's). */
const METHODS = new Set(['children', 'source', 'complete', 'hover', 'select', 'exception']);
/** Requests that change what every page shows: only the controlling page may make them. */
const CONTROL_METHODS = new Set(['select', 'exception']);
/** `WebSocket.OPEN`. */
const OPEN = 1;

/** A connected page. */
interface Client {
  ws: WebSocket;
  role: Role;
  /** Requests waiting for the main thread. */
  waiting: number;
}

/** What the relay is told at start. */
export interface RelayOptions {
  rank: number;
  pid: number;
  /** The error's first line (the page's title before its first state). */
  title: string;
  /** How long a read waits while no page is connected, in ms (`IPDB_TIMEOUT`); undefined: for ever. */
  timeoutMs: number | undefined;
  /** A snapshot's page: whose snapshot and when (the page's header); undefined: a live program. */
  snapshot?: string;
  /** Posts to the main thread and wakes it. */
  toMain(m: FromWebWorker): void;
  /** Stops the server, and drops what is still connected (at the session's end). */
  server: { close(): void; dropConnections(): void };
  /** Called once everything is closed and the main thread was told (the worker lets go of its port). */
  onClosed(): void;
}

/** The pages of one web session. */
export class PageRelay {
  private readonly clients = new Set<Client>();
  private controller: Client | undefined;
  private readonly transcript = new Transcript();
  /** The prompt while the main thread waits for a line; undefined while it runs a command. */
  private reading: string | undefined;
  private state: SessionState | undefined;
  /** The goodbye once the session ended. */
  private ended: string | undefined;
  /** Runs out when no page connects in time while the session waits for a line (`IPDB_TIMEOUT`). */
  private timer: NodeJS.Timeout | undefined;
  private nextRequest = 1;
  /** Requests the main thread is answering: the relay's id → the page that asked and its own id. */
  private readonly pending = new Map<number, { client: Client; id: number }>();

  constructor(private readonly o: RelayOptions) {}

  /** A message of the main thread. */
  fromMain(m: ToWebWorker): void {
    switch (m.type) {
      case 'write':
        this.transcript.append({ kind: m.kind, text: m.text });
        this.broadcast({ type: 'output', kind: m.kind, text: m.text });
        break;
      case 'read':
        this.reading = m.prompt;
        this.state = m.state;
        this.broadcast({ type: 'state', state: m.state });
        this.broadcast({ type: 'prompt', prompt: m.prompt });
        this.waitForClient();
        break;
      case 'state':
        this.state = m.state;
        this.broadcast({ type: 'state', state: m.state });
        break;
      case 'answer': {
        const p = this.pending.get(m.id);
        if (!p) break;
        this.pending.delete(m.id);
        p.client.waiting--;
        this.sendTo(p.client, { type: 'answer', id: p.id, ...(m.error !== undefined ? { error: m.error } : { result: m.result }) });
        break;
      }
      case 'close':
        this.close(m.goodbye);
        break;
    }
  }

  /** A page's WebSocket, open. */
  connected(ws: WebSocket): void {
    const client: Client = { ws, role: this.controller ? 'watch' : 'control', waiting: 0 };
    ws.on('error', () => {});
    if (this.ended !== undefined) {
      ws.send(
        JSON.stringify({
          type: 'hello',
          role: 'watch',
          rank: this.o.rank,
          pid: this.o.pid,
          title: this.o.title,
          transcript: [],
          ended: this.ended,
          ...(this.o.snapshot !== undefined ? { snapshot: this.o.snapshot } : {}),
        } satisfies ToPage),
        () => ws.close(1000),
      );
      return;
    }
    this.clients.add(client);
    if (!this.controller) this.controller = client;
    this.clientArrived();
    this.sendTo(client, {
      type: 'hello',
      role: client.role,
      rank: this.o.rank,
      pid: this.o.pid,
      title: this.o.title,
      ...(this.o.snapshot !== undefined ? { snapshot: this.o.snapshot } : {}),
      transcript: this.transcript.forPage(),
      ...(this.state ? { state: this.state } : {}),
      ...(this.reading !== undefined ? { prompt: this.reading } : {}),
      ...(client.role === 'watch' ? { why: 'Another page controls this session: this one watches.' } : {}),
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      let m: FromPage;
      try {
        // One Buffer: ws joins a message's fragments, binaryType being its default 'nodebuffer'.
        m = JSON.parse((data as Buffer).toString('utf8')) as FromPage;
      } catch {
        this.sendTo(client, { type: 'notice', text: 'ts-pdb: a message that is not JSON was ignored' });
        return;
      }
      // JSON of the wrong shape can still throw here: `{"line":{"toString":null,"valueOf":null}}`
      // cannot become a string. Uncaught, that killed this thread and left the program stopped for
      // ever (issue #7 fuzz test, web-fuzz.test.mjs). The message is refused before it changes anything.
      try {
        this.onPageMessage(client, m);
      } catch {
        this.sendTo(client, { type: 'notice', text: 'ts-pdb: a malformed message was ignored' });
      }
    });
    ws.on('close', () => this.left(client));
  }

  private sendTo(client: Client, m: ToPage): void {
    if (client.ws.readyState === OPEN) client.ws.send(JSON.stringify(m));
  }

  private broadcast(m: ToPage): void {
    const text = JSON.stringify(m);
    for (const c of this.clients) if (c.ws.readyState === OPEN) c.ws.send(text);
  }

  private onPageMessage(client: Client, m: FromPage): void {
    if (this.ended !== undefined || typeof m !== 'object' || m === null) return;
    if (m.type === 'command') {
      if (client !== this.controller) {
        this.sendTo(client, { type: 'notice', text: 'This page watches: take control to type commands.' });
        return;
      }
      const prompt = this.reading;
      if (prompt === undefined) {
        this.sendTo(client, { type: 'notice', text: 'The session is running a command: wait for the prompt.' });
        return;
      }
      // One line per command, as a terminal would deliver it: a pasted block runs its first line.
      const line = String(m.line ?? '').split(/\r?\n/)[0];
      this.transcript.append({ kind: 'in', text: `${prompt}${line}\n` });
      this.broadcast({ type: 'input', prompt, line });
      this.reading = undefined;
      this.o.toMain({ type: 'line', line });
    } else if (m.type === 'request') {
      // Read without throwing (an object without toString/valueOf cannot be converted), so that every
      // request gets its answer, an error for these.
      const id = converted(() => Number(m.id), NaN);
      const method = converted(() => String(m.method), '<not text>');
      if (!METHODS.has(method)) {
        this.sendTo(client, { type: 'answer', id, error: `unknown request ${JSON.stringify(method)}` });
      } else if (CONTROL_METHODS.has(method) && client !== this.controller) {
        this.sendTo(client, { type: 'answer', id, error: 'this page watches: take control to select frames' });
      } else if (client.waiting >= MAX_PENDING) {
        this.sendTo(client, { type: 'answer', id, error: 'too many requests waiting' });
      } else {
        const wid = this.nextRequest++;
        client.waiting++;
        this.pending.set(wid, { client, id });
        this.o.toMain({ type: 'request', id: wid, method, params: typeof m.params === 'object' && m.params ? m.params : {} });
      }
    } else if (m.type === 'take-control') {
      if (client === this.controller) return;
      const previous = this.controller;
      this.controller = client;
      client.role = 'control';
      this.sendTo(client, { type: 'role', role: 'control', why: 'This page controls the session now.' });
      if (previous) {
        previous.role = 'watch';
        this.sendTo(previous, { type: 'role', role: 'watch', why: 'Another page took control: this one watches.' });
      }
    }
  }

  private left(client: Client): void {
    if (!this.clients.delete(client)) return;
    for (const [wid, p] of this.pending) if (p.client === client) this.pending.delete(wid);
    if (this.controller === client) {
      this.controller = undefined;
      // The newest page: a tab that reloads reconnects before the server sees the old one go.
      const next = [...this.clients].pop();
      if (next) {
        this.controller = next;
        next.role = 'control';
        this.sendTo(next, { type: 'role', role: 'control', why: 'The page that controlled the session left: this one controls it now.' });
      }
    }
    this.waitForClient();
  }

  private waitForClient(): void {
    if (this.timer || this.o.timeoutMs === undefined || this.reading === undefined || this.clients.size > 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.reading === undefined || this.clients.size > 0) return;
      this.reading = undefined;
      this.o.toMain({ type: 'timeout' });
    }, this.o.timeoutMs);
  }

  private clientArrived(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** Tells every page, waits (bounded) until they have it, closes everything, answers `closed`. */
  private close(goodbye: string): void {
    this.ended = goodbye;
    this.reading = undefined;
    if (this.timer) clearTimeout(this.timer);
    let open = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      for (const c of this.clients) c.ws.terminate();
      this.o.server.dropConnections();
      this.o.toMain({ type: 'closed' });
      this.o.onClosed();
    };
    for (const c of this.clients) {
      if (c.ws.readyState !== OPEN) continue;
      open++;
      c.ws.send(JSON.stringify({ type: 'ended', text: goodbye } satisfies ToPage), () => c.ws.close(1000, 'session ended'));
      c.ws.once('close', () => {
        if (--open === 0) finish();
      });
    }
    this.o.server.close();
    if (open === 0) finish();
    else setTimeout(finish, 1000).unref();
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
