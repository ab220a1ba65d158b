/**
 * Socket mode (docs/SPEC.md §3): the session of a rank served over a Unix socket by a worker thread
 * (socket-worker.ts), in plain text for `nc -U` and `socat`. The main thread stays stopped in
 * `Atomics.wait` while it waits for a client or a line. A client that says hello (the structured
 * protocol, protocol.ts) also gets the session's state before each prompt and answers to its
 * requests, through the engine's structured interface (engine/requests.ts), as the web page does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TsPdbError } from '../../config';
import { completionsOf, type Channel, type Completer } from '../../engine/channel';
import type { SessionRequests, ViewRequest } from '../../engine/requests';
import { describeFault } from '../../render/format';
import { DEFAULT_SOCKET_PREFIX } from '../shared/environment';
import { privateDir } from '../shared/registry';
import { startWorker, type WorkerLink } from '../shared/worker-link';
import type { Announcement } from './announce';
import { socketPath } from './listen-here';
import type { FromSocketWorker, SessionFacts, SocketWorkerStart, ToSocketWorker } from './protocol';

/** Requests that change the state: a structured client gets the state (and the prompt) again after them. */
const MUTATING = new Set(['select', 'exception']);

/** Options of {@link SocketChannel.open}. */
export interface SocketChannelOptions {
  /** The rank whose session this is. */
  rank: number;
  /** The path prefix; the socket is `<prefix>.<rank>`. Default `/tmp/pdb.sock` (the opener passes `IPDB_SOCK_PATH`). */
  prefix?: string;
  /** Longest wait for a client to connect while the session waits for a line, in ms; default: for ever. */
  timeoutMs?: number;
  /** Longest wait for the worker to listen or to close, in ms; default 10000. */
  startTimeoutMs?: number;
  /** Listen on TCP instead (`IPDB_CONNECTION_TYPE=tcp`); port 0: any free port. */
  tcp?: { host: string; port: number };
  /** The token a TCP client must send first (non-loopback binds). */
  token?: string;
  /** The box and registry entry the worker gives as soon as it listens; default none. */
  announce?: Announcement;
  /** What a structured client is told in the answer to its hello; default: the rank alone. */
  hello?: SessionFacts;
  /**
   * The socket listens already at `<prefix>.<rank>`, on the caller's thread (listen-here.ts), its
   * box printed and its entry written (`unregister` removes the entry): the worker adopts it.
   */
  adopted?: { fd: number; unregister(): void };
}

export { socketPath };

/** A session's channel over a Unix socket. */
export class SocketChannel implements Channel {
  readonly colors = false;
  private closed = false;
  /** True when the session ended because no client came within the timeout. */
  timedOut = false;
  /** Why the worker failed, when the session ended because it did (it may fail after the socket listens: see {@link SocketChannel.start}). */
  failure: string | undefined;
  /** Makes the structured view of the session, once a structured client needs it; unset: requests are refused. */
  private makeView: (() => SessionRequests) | undefined;
  private view: SessionRequests | undefined;

  private constructor(
    private readonly link: WorkerLink<FromSocketWorker>,
    /** Where the socket listens. */
    readonly path: string,
    /** Why the socket is not at the path asked for, when it is not. */
    readonly why: string | undefined,
    private readonly startTimeoutMs: number,
    /** The socket was listened on by this thread and adopted by the worker (listen-here.ts): the worker is never ended. */
    private readonly adopted?: { unregister(): void },
  ) {}

  /**
   * Starts the worker and waits (blocking) until the socket listens.
   * @throws TsPdbError `ERR_TS_PDB_SOCKET` when it cannot listen.
   */
  static open(options: SocketChannelOptions): SocketChannel {
    return SocketChannel.start(options).ready();
  }

  /**
   * Starts the worker and returns at once; `ready()` then gives the channel.
   *
   * With `adopted` (the first socket session of a process, whose path was free: listen-here.ts),
   * the socket listens already and its box is said: the worker boots afterwards and adopts it, and
   * a client that connects meanwhile waits in the socket's queue. A thread's start is most of a
   * rank's CPU time from its throw to listening; when many ranks throw at once on few CPUs, each
   * one is reachable without waiting for the others' threads. `ready()` returns at once then; a
   * worker that fails afterwards ends the session (its {@link failure} says why).
   *
   * Otherwise (a later session, a taken path, TCP) the worker listens itself, booting while the
   * caller prepares the session, and `ready()` waits until it listens.
   * @throws TsPdbError `ERR_TS_PDB_SOCKET` when the private fallback folder cannot be used, or no
   *   worker can start for an adopted socket.
   */
  static start(options: SocketChannelOptions): { ready(): SocketChannel } {
    const prefix = options.prefix ?? DEFAULT_SOCKET_PREFIX;
    const wanted = socketPath(prefix, options.rank);
    const startTimeoutMs = options.startTimeoutMs ?? 10_000;
    if (options.adopted) {
      const { fd, unregister } = options.adopted;
      let link: WorkerLink<FromSocketWorker>;
      try {
        const start: Omit<SocketWorkerStart, 'port' | 'signal'> = {
          path: wanted,
          fallback: wanted,
          rank: options.rank,
          timeoutMs: options.timeoutMs,
          announce: options.announce,
          hello: options.hello,
          adopt: fd,
        };
        link = startWorker<FromSocketWorker>(path.join(__dirname, 'socket-worker.js'), start);
      } catch (e) {
        // No thread: nobody will serve the socket. It stays open (listen-here.ts), without its path.
        unregister();
        try {
          fs.unlinkSync(wanted);
        } catch {
          /* not there */
        }
        throw new TsPdbError('ERR_TS_PDB_SOCKET', `cannot serve ${wanted}: ${(e as Error).message}`);
      }
      return { ready: () => new SocketChannel(link, wanted, undefined, startTimeoutMs, { unregister }) };
    }
    let fallback: string;
    try {
      fallback = path.join(privateDir(), `pdb.sock.${options.rank}.${process.pid}`);
    } catch (e) {
      throw new TsPdbError('ERR_TS_PDB_SOCKET', (e as Error).message);
    }
    const start: Omit<SocketWorkerStart, 'port' | 'signal'> = {
      path: wanted,
      fallback,
      rank: options.rank,
      timeoutMs: options.timeoutMs,
      tcp: options.tcp,
      token: options.token,
      announce: options.announce,
      hello: options.hello,
    };
    const link = startWorker<FromSocketWorker>(path.join(__dirname, 'socket-worker.js'), start);
    return {
      ready(): SocketChannel {
        const first = link.receiver.receive(startTimeoutMs);
        if (!first || first.type !== 'listening') {
          void link.worker.terminate();
          link.port.close();
          const why = first?.type === 'fatal' ? first.message : 'the socket worker did not start';
          const where = options.tcp ? `${options.tcp.host}:${options.tcp.port}` : wanted;
          throw new TsPdbError('ERR_TS_PDB_SOCKET', `cannot listen on ${where}: ${why}`);
        }
        return new SocketChannel(link, first.path, first.why, startTimeoutMs);
      },
    };
  }

  private post(m: ToSocketWorker): void {
    this.link.port.postMessage(m);
  }

  write(text: string): void {
    if (text && !this.closed) this.post({ type: 'write', text });
  }

  error(text: string): void {
    this.write(text);
  }

  /**
   * Sends `prompt` to the client and returns its next line; the program stays stopped meanwhile.
   * While waiting, answers the client's completion requests with `complete` (as the console does for
   * Tab): the worker forwards them only while a line is being read, so this is the one place they
   * are answered. Returns `null` when no client came in time or the worker failed.
   */
  readLine(prompt: string, complete?: Completer): string | null {
    if (this.closed) return null;
    this.post({ type: 'read', prompt });
    for (;;) {
      const m = this.link.receiver.receive();
      if (m?.type === 'complete') {
        const [completions, substring] = completionsOf(m.line, complete);
        this.post({ type: 'completion', id: m.id, completions, substring });
        continue;
      }
      if (m?.type === 'state-wanted') {
        this.sendState();
        continue;
      }
      if (m?.type === 'request') {
        this.answer(m.id, m.method, m.params, complete);
        continue;
      }
      // An adopted socket's worker says it serves; nothing to do.
      if (m?.type === 'listening') continue;
      // No client in time (IPDB_TIMEOUT), or the worker failed: the session ends, the error goes on.
      if (m?.type === 'timeout') this.timedOut = true;
      if (m?.type === 'fatal') this.failure = m.message;
      return m?.type === 'line' ? m.line : null;
    }
  }

  /**
   * Lets structured clients see the session: `make` builds its structured view (engine/session-view.ts's
   * `SessionView`) the first time one says hello. Until this is called, their requests are refused.
   */
  serveRequests(make: () => SessionRequests): void {
    this.makeView = make;
  }

  /** The view, made on first use; undefined when none can be (no session yet). */
  private sessionView(): SessionRequests | undefined {
    if (!this.view && this.makeView) this.view = this.makeView();
    return this.view;
  }

  /** The state for the structured client (none when there is no view: the worker then sends the prompt alone rather than hold it). */
  private sendState(): void {
    const view = this.sessionView();
    this.post(view ? { type: 'state', state: view.state() } : { type: 'state' });
  }

  /** Answers one structured request with the waiting prompt's completer; the state again after one that changed it. */
  private answer(id: number, method: string, params: Record<string, unknown>, complete: Completer | undefined): void {
    const view = this.sessionView();
    if (!view) {
      this.post({ type: 'answer', id, error: 'this session answers no requests' });
      return;
    }
    let result: unknown;
    try {
      result = view.request({ method, params } as ViewRequest, complete);
    } catch (fault) {
      this.post({ type: 'answer', id, error: fault instanceof Error ? fault.message : describeFault(fault) });
      return;
    }
    try {
      this.post({ type: 'answer', id, result });
    } catch (fault) {
      // A result the thread link cannot carry: the client still gets its one answer.
      this.post({ type: 'answer', id, error: `the answer cannot be sent: ${describeFault(fault)}` });
    }
    if (MUTATING.has(method)) this.sendState();
  }

  /**
   * Waits (blocking, without CPU) until a client is connected, or `timeoutMs` (IPDB_TIMEOUT) passes.
   * A session waits here before it loads anything: a rank nobody attaches to costs nothing more.
   * @returns true when a client is there; false on timeout (then {@link timedOut} is set) or a worker fault.
   */
  awaitClient(): boolean {
    if (this.closed) return false;
    this.post({ type: 'await' });
    for (;;) {
      const m = this.link.receiver.receive();
      if (m?.type === 'client') return true;
      if (m?.type === 'timeout') this.timedOut = true;
      // The worker relays requests only while a line is read; should one come now, it still gets its answer.
      if (m?.type === 'request') {
        this.post({ type: 'answer', id: m.id, error: 'busy: the session is not ready yet' });
        continue;
      }
      if (m?.type === 'state-wanted' || m?.type === 'listening') continue;
      if (m?.type === 'fatal') this.failure = m.message;
      if (m?.type !== 'complete') return false;
      // The session is not there yet: nothing to complete.
      const [completions, substring] = completionsOf(m.line, undefined);
      this.post({ type: 'completion', id: m.id, completions, substring });
    }
  }

  close(goodbye = ''): void {
    if (this.closed) return;
    this.closed = true;
    this.post({ type: 'close', goodbye });
    // Until `closed` (a late `listening` of an adopted socket's worker may come first).
    const deadline = Date.now() + this.startTimeoutMs;
    let m = this.link.receiver.receive(this.startTimeoutMs);
    while (m && m.type !== 'closed' && m.type !== 'fatal') m = this.link.receiver.receive(Math.max(0, deadline - Date.now()));
    this.link.port.close();
    if (!this.adopted) {
      void this.link.worker.terminate();
      return;
    }
    // The worker stays (its handle shares the socket: listen-here.ts). Should it have failed before
    // removing the entry and the path, they go now.
    if (m?.type === 'closed') return;
    this.adopted.unregister();
    try {
      fs.unlinkSync(this.path);
    } catch {
      /* not there */
    }
  }
}
