/**
 * Messages between the main thread (stopped in a session) and the socket worker, which owns the
 * listening socket and its one client. As in the console (console/protocol.ts), every message to the
 * main thread is followed by a wake-up on a shared counter (console/blocking-port.ts).
 */

/** What the worker receives at start (`workerData`). */
export interface SocketWorkerStart {
  /** The worker's end of the message channel (transferred). */
  port: import('node:worker_threads').MessagePort;
  /** Shared counter the worker bumps after each message it posts. */
  signal: SharedArrayBuffer;
  /** The Unix socket path to listen on (`IPDB_SOCK_PATH.<rank>`). */
  path: string;
  /** Where to listen instead when `path` belongs to someone else or is in use: a private folder's file. */
  fallback: string;
  /** The rank, for the messages a second client gets. */
  rank: number;
  /** How long a read waits while no client is connected, in ms (`IPDB_TIMEOUT`); undefined: for ever. */
  timeoutMs: number | undefined;
  /** TCP instead of the Unix socket (`IPDB_CONNECTION_TYPE=tcp`): where to listen (port 0: any free one). */
  tcp?: { host: string; port: number };
  /** The per-session token a TCP client must send as its first line (non-loopback binds). */
  token?: string;
}

/** Main thread → worker. */
export type ToSocketWorker =
  /** Text for the client (kept until one connects, when none is). */
  | { type: 'write'; text: string }
  /** Send `prompt` and answer with the client's next line (waiting for a client if needed). */
  | { type: 'read'; prompt: string }
  /** Say goodbye to the client, close the server, remove the socket file, answer `closed`. */
  | { type: 'close'; goodbye: string };

/** Worker → main thread. */
export type FromSocketWorker =
  /** The socket listens at `path` (mode 0600); `why` says why it is not the path asked for. */
  | { type: 'listening'; path: string; why?: string }
  /** A line the client sent (without its end of line). */
  | { type: 'line'; line: string }
  /** No client connected within the timeout while the session waited for a line. */
  | { type: 'timeout' }
  /** The server is closed and its file removed. */
  | { type: 'closed' }
  /** The worker cannot serve the socket (cannot listen, or an internal fault). */
  | { type: 'fatal'; message: string };
