/**
 * What a socket session says when it starts waiting: the box on stderr with the command to paste,
 * and its entry in the registry (`ts-pdb ls`, `ts-pdb attach`).
 *
 * Said the moment the socket listens: by the thread that threw when it listened itself
 * (listen-here.ts; its worker then keeps the registry entry beating), else by the socket worker.
 * Either way nobody waits for the session engine to learn where to connect: a client that connects
 * early is served as soon as the session is ready; until then its connection waits in the socket's
 * queue.
 *
 * `TS_PDB_BENCH_CPU=1` (test/bench/socket-wait.mjs) adds one line with the process's CPU time at
 * that moment, `ts-pdb-bench: rank R listening cpu-us N` (and `serving` once the worker of a socket
 * listened on by the main thread serves it): a benchmark's measure, read nowhere else.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { boxed, snapshotLines } from '../../render/boxed';
import * as registry from '../shared/registry';

/** What the main thread knows when it starts the worker. */
export interface Announcement {
  rank: number;
  pid: number;
  host: string;
  /** The error's first line. */
  error: string;
  /** `IPDB_TIMEOUT` in seconds, when set. */
  timeoutSeconds?: number;
  /** Why this is a socket session when a console session was meant (e.g. the process runs in the background of its terminal). */
  note?: string;
  /** The snapshot the wait leaves, should nobody end the session (shared/snapshot-keeper.ts). */
  snapshot?: string;
  /** The job's id, when known (rank.ts `detectJobId`). */
  job?: string;
  /** When the program stopped (ms since the epoch). */
  thrown?: number;
  /** When the session started waiting (ms since the epoch): set by the first {@link announce}, kept by the worker's beats. */
  since?: number;
}

/** Where the worker listens, once it does. */
export interface Listening {
  /** A socket path, or `host:port` for TCP. */
  path: string;
  /** Why it is not the path asked for, when it is not. */
  why?: string;
  tcp: boolean;
  /** The token a TCP client sends first (non-loopback binds). */
  token?: string;
}

/** Widest line of a note in the box, in characters (a box wider than a terminal wraps into noise). */
const NOTE_WIDTH = 76;

/** `text` cut into lines of at most `width` characters, between words. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return line ? [...lines, line] : lines;
}

/** What {@link announce} does; default both. */
export interface AnnounceParts {
  /** Print the box (false: the main thread printed it already). Default true. */
  box?: boolean;
  /** Refresh the entry every 5 s from this thread (false on the main thread, whose timers do not run while it is stopped). Default true. */
  beat?: boolean;
}

/**
 * Prints the box on stderr and registers the session, its entry refreshed every 5 s by this thread
 * (the main thread sleeps); returns the function that unregisters it. Never throws.
 */
export function announce(a: Announcement, l: Listening, parts: AnnounceParts = {}): () => void {
  // Other hosts reach a TCP bind other than loopback at an IP of the interface bound.
  // Loaded for TCP alone: a Unix socket's box comes one module sooner.
  const tcp = l.tcp ? /^\[?(.*?)\]?:(\d+)$/.exec(l.path) : null;
  const addresses = tcp ? (require('../shared/reachable-address') as typeof import('../shared/reachable-address')) : undefined;
  const reach = tcp && addresses ? addresses.reachableFrom(tcp[1]) : { reach: 'host' as const };
  a.since ??= Date.now();
  const registration = registry.register(
    {
      rank: a.rank,
      pid: a.pid,
      host: a.host,
      mode: l.tcp ? 'tcp' : 'socket',
      address: tcp && addresses && reach.ip ? addresses.withPort(reach.ip, Number(tcp[2])) : l.path,
      reach: reach.reach,
      ...(l.token ? { token: l.token } : {}),
      error: a.error,
      since: a.since,
      ...(a.note ? { note: a.note } : {}),
      // Absolute: `ts-pdb ls` runs anywhere.
      ...(a.snapshot ? { snapshot: path.resolve(a.snapshot) } : {}),
      ...(a.job !== undefined ? { job: a.job } : {}),
      ...(a.thrown !== undefined ? { thrown: a.thrown } : {}),
    },
    // The main thread wrote it when it printed the box: the worker only keeps it beating.
    { written: parts.box === false },
  );
  if (parts.beat !== false) registration.keepBeating();
  if (parts.box === false) {
    benchLine(a.rank, 'serving');
    return () => registration.remove();
  }
  try {
    fs.writeSync(
      2,
      boxed([
        `ts-pdb: rank ${a.rank} (pid ${a.pid}) stopped: ${a.error}`,
        ...(a.note ? wrap(a.note, NOTE_WIDTH) : []),
        ...(l.why ? [`(${l.why}: listening on a private path instead)`] : []),
        ...(l.tcp ? [`connect with:  nc ${l.path.replace(/^\[?(.*?)\]?:(\d+)$/, '$1 $2')}`] : [`connect with:  nc -U ${l.path}`]),
        ...(l.token ? [`then send this token as the first line:  ${l.token}`] : []),
        ...(a.timeoutSeconds ? [`(waits ${a.timeoutSeconds} s for a client, then the error goes on)`] : []),
        ...(a.snapshot ? snapshotLines(a.snapshot) : []),
      ]),
    );
  } catch {
    // stderr closed: the registry still says where the session is.
  }
  benchLine(a.rank, 'listening');
  return () => registration.remove();
}

/** The benchmark's line (see the header), only with `TS_PDB_BENCH_CPU=1`. */
function benchLine(rank: number, what: string): void {
  if (process.env.TS_PDB_BENCH_CPU !== '1') return;
  const { user, system } = process.cpuUsage();
  try {
    fs.writeSync(2, `ts-pdb-bench: rank ${rank} ${what} cpu-us ${user + system}\n`);
  } catch {
    /* stderr closed */
  }
}
