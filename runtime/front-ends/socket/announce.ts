/**
 * What a socket session says when it starts waiting: the box on stderr with the command to paste,
 * and its entry in the registry (`ts-pdb ls`, `ts-pdb attach`).
 *
 * Said by the socket worker the moment its socket listens, not by the main thread: the main thread
 * is meanwhile loading the session engine, and a user (or 32 ranks' users) should not wait for that
 * to learn where to connect. A client that connects early is served as soon as the session is
 * ready; until then its connection waits in the socket's queue.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { boxed, snapshotLines } from '../../render/boxed';
import { reachableFrom, withPort } from '../shared/reachable-address';
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

/**
 * Prints the box on stderr and registers the session, its entry refreshed every 5 s by this thread
 * (the main thread sleeps); returns the function that unregisters it. Never throws.
 */
export function announce(a: Announcement, l: Listening): () => void {
  // Other hosts reach a TCP bind other than loopback at an IP of the interface bound.
  const tcp = l.tcp ? /^\[?(.*?)\]?:(\d+)$/.exec(l.path) : null;
  const reach = tcp ? reachableFrom(tcp[1]) : { reach: 'host' as const };
  const registration = registry
    .register({
      rank: a.rank,
      pid: a.pid,
      host: a.host,
      mode: l.tcp ? 'tcp' : 'socket',
      address: tcp && reach.ip ? withPort(reach.ip, Number(tcp[2])) : l.path,
      reach: reach.reach,
      ...(l.token ? { token: l.token } : {}),
      error: a.error,
      since: Date.now(),
      ...(a.note ? { note: a.note } : {}),
      // Absolute: `ts-pdb ls` runs anywhere.
      ...(a.snapshot ? { snapshot: path.resolve(a.snapshot) } : {}),
      ...(a.job !== undefined ? { job: a.job } : {}),
      ...(a.thrown !== undefined ? { thrown: a.thrown } : {}),
    })
    .keepBeating();
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
  return () => registration.remove();
}
