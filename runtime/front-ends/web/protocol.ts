/**
 * Messages between the main thread (stopped in a session) and the web worker, which owns the HTTP
 * server, the WebSocket and the pages. As in the console and socket modes, every message to the main
 * thread is followed by a wake-up on a shared counter (shared/worker-link.ts): the main thread
 * sleeps in `Atomics.wait` and takes messages with `receiveMessageOnPort`.
 *
 * The main thread answers the pages' requests (variables, source, frame selection, completion) only
 * while it waits for a line, as the console answers completion requests: the program is stopped
 * then, and its values hold still.
 */
import type { LinkStart } from '../shared/worker-link';
import type { SessionState } from './page-protocol';

/** What the worker receives at start (`workerData`), beside its end of the link (shared/worker-link.ts). */
export interface WebWorkerStart extends LinkStart {
  /** Address to bind (`IPDB_HOST`). */
  host: string;
  /** First port to try (`IPDB_WEB_PORT` + rank); 0: any free port. */
  port0: number;
  /** Ports tried after `port0` when it is taken (the next ones, in order). */
  tries: number;
  /** The per-session token the page's URL must carry (non-loopback binds); undefined: none needed. */
  token?: string;
  rank: number;
  pid: number;
  /** The error's first line, for the page's title before the first state. */
  title: string;
  /** How long a read waits while no page is connected, in ms (`IPDB_TIMEOUT`); undefined: for ever. */
  timeoutMs: number | undefined;
  /** The folder of the page's files (index.html, app.js, app.css). */
  assets: string;
  /** Print the box with the URL on stderr the moment the server listens (while the main thread loads the engine). */
  announce: boolean;
  /**
   * A snapshot's page (`ts-pdb open --web`): whose snapshot it is and when it was taken. Then the
   * server registers nothing, the box and the page's header say so, and `/ranks` is not served.
   */
  snapshot?: string;
  /** The snapshot file a live wait leaves, named in the box. */
  keeps?: string;
  /** The job's id and when the program stopped, for the registry entry. */
  job?: string;
  thrown?: number;
}

/** Main thread → worker. */
export type ToWebWorker =
  /** Session output (`err`: an error line). Kept in the transcript and sent to every page. */
  | { type: 'write'; kind: 'out' | 'err'; text: string }
  /** The session waits for a line: the state to show and the prompt. */
  | { type: 'read'; prompt: string; state: SessionState }
  /** The state changed while waiting (a frame was selected from the page). */
  | { type: 'state'; state: SessionState }
  /** The answer to a {@link FromWebWorker} `request`. */
  | { type: 'answer'; id: number; result?: unknown; error?: string }
  /** Tell every page the session ended, close the server, answer `closed`. */
  | { type: 'close'; goodbye: string };

/** Worker → main thread. */
export type FromWebWorker =
  /** The server listens on `port` of the bound address; the page's URL, without the token. */
  | { type: 'listening'; port: number; url: string }
  /** A command line from the controlling page. */
  | { type: 'line'; line: string }
  /** A page's request; `id` is the worker's, answered with {@link ToWebWorker} `answer`. */
  | { type: 'request'; id: number; method: string; params: Record<string, unknown> }
  /** No page connected within the timeout while the session waited for a line. */
  | { type: 'timeout' }
  /** Every page was told, the server is closed. */
  | { type: 'closed' }
  /** The worker cannot serve (cannot listen, or an internal fault). */
  | { type: 'fatal'; message: string };
