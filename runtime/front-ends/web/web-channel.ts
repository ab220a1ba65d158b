/**
 * Web mode's `Channel` (docs/SPEC.md §3-§4): the session of a rank served as a page by a worker thread
 * (web-worker.ts). The main thread stays stopped in `Atomics.wait`; while it waits for a line it
 * also answers the page's requests (variables, source, frame selection, completion) through the
 * engine's structured interface (engine/requests.ts), with the waiting prompt's completer, as the
 * console channel answers completion requests.
 */
import * as path from 'node:path';
import { TsPdbError } from '../../config';
import type { Channel, Completer } from '../../engine/channel';
import type { SessionRequests, ViewRequest } from '../../engine/requests';
import { describeFault } from '../../render/format';
import { startWorker, type WorkerLink } from '../shared/worker-link';
import type { FromWebWorker, ToWebWorker, WebWorkerStart } from './protocol';

/** Requests that change what every page shows: the state is sent to every page after them. */
const MUTATING = new Set(['select', 'exception']);

/** Options of {@link WebChannel.start}. */
export interface WebChannelOptions {
  /** Bind address. */
  host: string;
  /** First port to try; 0: any free port. */
  port: number;
  /** Further ports tried when `port` is taken (the next ones); default 100. */
  tries?: number;
  /** The token the page's URL must carry; undefined: none. */
  token?: string;
  rank: number;
  /** The error's first line (the page's title before its first state). */
  title: string;
  /** Longest wait with no page connected while the session waits for a line, in ms; default: for ever. */
  timeoutMs?: number;
  /** Longest wait for the worker to listen or to close, in ms; default 10000. */
  startTimeoutMs?: number;
  /** Print the box with the URL on stderr once listening; default true. */
  announce?: boolean;
  /** A snapshot's page (`ts-pdb open --web`): whose snapshot and when; undefined: a live program. */
  snapshot?: string;
  /** The snapshot file a live wait leaves, named in the box (shared/snapshot-keeper.ts). */
  keeps?: string;
  /** The job's id and when the program stopped (ms), for the registry entry the worker writes. */
  job?: string;
  thrown?: number;
}

/** A session's channel to its web page. */
export class WebChannel implements Channel {
  readonly colors = false;
  /** True when the session ended because no page came within the timeout. */
  timedOut = false;
  private closed = false;

  private constructor(
    private readonly link: WorkerLink<FromWebWorker>,
    private readonly view: SessionRequests,
    /** The port the server listens on. */
    readonly listeningPort: number,
    /** The page's URL, without the token (`http://127.0.0.1:4444/`). */
    readonly url: string,
    private readonly startTimeoutMs: number,
  ) {}

  /**
   * Starts the worker and returns at once: the thread boots (most of the time from a throw to a
   * served page) while the caller loads the session engine; `ready(view)` then waits until the
   * server listens. The worker prints the box with the URL the moment it listens.
   */
  static start(options: WebChannelOptions): { ready(view: SessionRequests): WebChannel } {
    const start: Omit<WebWorkerStart, 'port' | 'signal'> = {
      host: options.host,
      port0: options.port,
      tries: options.tries ?? 100,
      token: options.token,
      rank: options.rank,
      pid: process.pid,
      title: options.title,
      timeoutMs: options.timeoutMs,
      assets: path.join(__dirname, 'assets'),
      announce: options.announce ?? true,
      ...(options.snapshot !== undefined ? { snapshot: options.snapshot } : {}),
      ...(options.keeps ? { keeps: options.keeps } : {}),
      ...(options.job !== undefined ? { job: options.job } : {}),
      ...(options.thrown !== undefined ? { thrown: options.thrown } : {}),
    };
    const link = startWorker<FromWebWorker>(path.join(__dirname, 'web-worker.js'), start);
    const startTimeoutMs = options.startTimeoutMs ?? 10_000;
    return {
      ready(view: SessionRequests): WebChannel {
        const first = link.receiver.receive(startTimeoutMs);
        if (!first || first.type !== 'listening') {
          void link.worker.terminate();
          link.port.close();
          const why = first?.type === 'fatal' ? first.message : (link.failure() ?? 'the web worker did not start');
          throw new TsPdbError('ERR_TS_PDB_WEB', `cannot serve the page on ${options.host}:${options.port}: ${why}`);
        }
        return new WebChannel(link, view, first.port, first.url, startTimeoutMs);
      },
    };
  }

  private post(m: ToWebWorker): void {
    this.link.port.postMessage(m);
  }

  write(text: string): void {
    if (text && !this.closed) this.post({ type: 'write', kind: 'out', text });
  }

  error(text: string): void {
    if (text && !this.closed) this.post({ type: 'write', kind: 'err', text });
  }

  /**
   * Shows the state and `prompt` on the pages and returns the controlling page's next line,
   * answering their requests meanwhile. `null` when no page came within the timeout or the worker
   * failed: the session then ends and the error goes on.
   */
  readLine(prompt: string, complete?: Completer): string | null {
    if (this.closed) return null;
    this.post({ type: 'read', prompt, state: this.view.state() });
    for (;;) {
      const m = this.link.receiver.receive();
      switch (m?.type) {
        case 'line':
          return m.line;
        case 'request':
          this.answer(m.id, m.method, m.params, complete);
          break;
        case 'timeout':
          this.timedOut = true;
          return null;
        case 'fatal':
        case undefined:
          return null;
        default:
          break;
      }
    }
  }

  private answer(id: number, method: string, params: Record<string, unknown>, complete: Completer | undefined): void {
    try {
      const result = this.view.request({ method, params } as ViewRequest, complete);
      this.post({ type: 'answer', id, result });
      // Every page shows the newly selected frame.
      if (MUTATING.has(method)) this.post({ type: 'state', state: this.view.state() });
    } catch (fault) {
      this.post({ type: 'answer', id, error: fault instanceof Error ? fault.message : describeFault(fault) });
    }
  }

  /** Tells every page `goodbye`, closes the server and releases the worker (waiting at most the start timeout). */
  close(goodbye = ''): void {
    if (this.closed) return;
    this.closed = true;
    this.post({ type: 'close', goodbye });
    const deadline = Date.now() + this.startTimeoutMs;
    for (let left = this.startTimeoutMs; left > 0; left = deadline - Date.now()) {
      const m = this.link.receiver.receive(left);
      if (!m || m.type === 'closed' || m.type === 'fatal') break;
    }
    this.link.port.close();
    void this.link.worker.terminate().catch(() => {});
  }
}
