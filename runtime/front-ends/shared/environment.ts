/**
 * The session's environment (docs/SPEC.md §3), read in this one place for every front-end: how long a
 * session waits (`IPDB_TIMEOUT`), where it listens (`IPDB_HOST`, `IPDB_PORT`, `IPDB_WEB_PORT`,
 * `IPDB_CONNECTION_TYPE`, `IPDB_SOCK_PATH`), whether it asks for a token (`IPDB_TOKEN`,
 * session-token.ts), and where it says what happened (stderr, written synchronously).
 */
import * as fs from 'node:fs';
import { sessionToken } from './session-token';

/** The default base port of TCP sessions (`IPDB_PORT`) and of web sessions (`IPDB_WEB_PORT`). */
export const DEFAULT_PORT = 4444;

/** The default prefix of socket paths (`IPDB_SOCK_PATH`): rank 1 listens on `/tmp/pdb.sock.1`. */
export const DEFAULT_SOCKET_PREFIX = '/tmp/pdb.sock';

/** What a front-end reads of the environment. */
export interface SessionEnvironment {
  /** `IPDB_TIMEOUT` in ms: the longest wait for a client, a page or the terminal's turn; undefined: for ever. */
  readonly timeoutMs: number | undefined;
  /** `IPDB_HOST`: the address TCP and web sessions bind; default 127.0.0.1. */
  readonly host: string;
  /** `IPDB_CONNECTION_TYPE=tcp`: socket sessions listen on TCP instead of a Unix socket. */
  readonly tcp: boolean;
  /** `IPDB_SOCK_PATH`: the prefix of socket paths; default {@link DEFAULT_SOCKET_PREFIX}. */
  readonly socketPrefix: string;
  /** The TCP port of `rank`: `IPDB_PORT` + rank (see {@link portFor}). */
  tcpPort(rank: number): number;
  /** The web port of `rank`: `IPDB_WEB_PORT` + rank (see {@link portFor}). */
  webPort(rank: number): number;
  /** A new token for a session bound to `host`, or undefined when it needs none (session-token.ts). */
  token(host: string): string | undefined;
  /** Writes to stderr synchronously (the program is stopped: its streams are not flushed); never throws. */
  stderr(text: string): void;
}

/** The environment of `env` (default: this process's). */
export function sessionEnvironment(env: NodeJS.ProcessEnv = process.env): SessionEnvironment {
  return {
    timeoutMs: timeoutMs(env.IPDB_TIMEOUT),
    host: env.IPDB_HOST || '127.0.0.1',
    tcp: env.IPDB_CONNECTION_TYPE === 'tcp',
    socketPrefix: env.IPDB_SOCK_PATH || DEFAULT_SOCKET_PREFIX,
    tcpPort: (rank) => portFor(env.IPDB_PORT, rank),
    webPort: (rank) => portFor(env.IPDB_WEB_PORT, rank),
    token: (host) => sessionToken(host, env),
    stderr,
  };
}

/** `IPDB_TIMEOUT` (seconds) in ms; undefined (wait for ever) when unset, not a number, or not above 0. */
export function timeoutMs(text: string | undefined): number | undefined {
  const seconds = Number(text);
  return text && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/**
 * The port of `rank` for a base port setting: base + rank; base 0: any free port (0); unset or
 * blank: {@link DEFAULT_PORT} + rank, and so for a base that is not a port number.
 */
export function portFor(text: string | undefined, rank: number): number {
  const base = text === undefined || text.trim() === '' ? DEFAULT_PORT : Number(text);
  if (!Number.isInteger(base) || base < 0 || base > 65535) return DEFAULT_PORT + rank;
  return base === 0 ? 0 : base + rank;
}

/** Writes to stderr synchronously: the program is stopped, its streams will not be flushed for us. */
export function stderr(text: string): void {
  try {
    fs.writeSync(2, text);
  } catch {
    // stderr closed: nothing else to tell.
  }
}
