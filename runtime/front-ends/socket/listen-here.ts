/**
 * The socket of a socket session, bound and listening on the thread that threw, before any worker
 * thread exists (issue #19 §4). Binding a Unix socket and listening are synchronous system calls:
 * from here on a client's `nc -U` connects (the kernel keeps it in the socket's queue), and the
 * worker that serves the session (socket-worker.ts) boots afterwards and adopts the socket by its
 * file descriptor. A rank so pays for a thread only once it can be reached: when many ranks throw
 * at once, none waits behind the others' thread start-ups to say where to connect (measured:
 * test/bench/socket-wait.mjs).
 *
 * Node cannot hand a listening handle to a worker thread, nor duplicate a descriptor: the
 * descriptor is shared by two handles, this thread's and the worker's. Closing either closes the
 * socket under the other, and a number closed twice may by then be another thread's file; this
 * thread's handle, once seen by its event loop, would also make libuv abort on a closed number. So
 * neither handle is ever closed: the socket stays open (without its path, nobody can connect to
 * it) until the process ends, and so does its worker, idle. That is one descriptor and one sleeping
 * thread per process, which is why only the first socket session of a process is opened this way
 * (socket-channel.ts); later ones start their worker first, as before.
 *
 * Touches: the socket path (bind, chmod 0600), this thread's event loop (one unref'd handle). Takes
 * the path only when it is free: any other case (a stale socket of ours, someone else's file, TCP)
 * is left to the worker, which knows how to probe and fall back (socket-worker.ts `choosePath`).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';

/** The socket path of `rank` for a prefix (`/tmp/pdb.sock` → `/tmp/pdb.sock.1`). */
export function socketPath(prefix: string, rank: number): string {
  return `${prefix}.${rank}`;
}

/** Servers that listened here: kept for the life of the process (see the header), never closed. */
const kept: net.Server[] = [];

/** True once a socket was listened on here (at most one per process; see the header). */
export function listenedHere(): boolean {
  return kept.length > 0;
}

/**
 * Listens on the Unix socket `path` from this thread, when `path` is free, and makes it 0600 before
 * anyone is told of it (docs/SPEC.md §6).
 * @returns its file descriptor, for the worker to adopt; undefined when the path is taken, the
 *   bind or listen failed, or a socket was listened on here already: the caller lets its worker listen.
 */
export function listenHere(path: string): number | undefined {
  if (kept.length > 0) return undefined;
  try {
    fs.lstatSync(path);
    return undefined; // something is there: the worker decides (replace a stale socket, or fall back)
  } catch {
    /* free */
  }
  const server = net.createServer();
  // A failed listen is reported on the next tick, which this (stopped) thread may run much later:
  // seen now by `listening`, and its late event must not become an uncaught error.
  server.on('error', () => {});
  // Should this thread's event loop ever accept a connection (it runs again once the session ends,
  // when the path is gone), nobody is served here.
  server.on('connection', (socket) => socket.destroy());
  try {
    listenExclusive(server, path);
  } catch {
    return undefined;
  }
  const fd = (server as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (!server.listening || typeof fd !== 'number' || fd < 0) {
    // Nothing listens, and no worker has the descriptor: this thread's handle may close it.
    server.close();
    return undefined;
  }
  try {
    fs.chmodSync(path, 0o600);
  } catch {
    server.close();
    try {
      fs.unlinkSync(path);
    } catch {
      /* not there */
    }
    return undefined;
  }
  server.unref();
  kept.push(server);
  return fd;
}

/** `net.Server`'s own step of an exclusive listen (see {@link listenExclusive}). */
type ListenStep = (address: string, port: number, addressType: number, backlog?: number, fd?: number, flags?: number) => void;

/**
 * `server.listen({ path, exclusive: true })`, without loading `node:cluster`. Exclusive: in a
 * cluster worker too, the socket is this process's own, listened on now (not asked of the primary
 * over IPC, whose answer this stopped thread would never read). `listen` first loads `node:cluster`
 * to ask whether this process is a cluster worker, a question an exclusive listen never needs
 * answered: 3 to 4 ms of CPU in a rank that has not loaded it, more than any module of ours on the
 * way to listening (issue #19 §4). An exclusive listen then calls the server's `_listen2` (Node
 * 20 to 24's net.js: "still named like this to avoid breaking code that wraps this method"), which
 * this calls directly, after what `listen` sets for a path (`_pipeName`); a Node without it gets
 * `listen`. Synchronous either way: `server.listening` says at once whether it worked.
 */
function listenExclusive(server: net.Server, path: string): void {
  const s = server as unknown as { _listen2?: ListenStep; _pipeName?: string };
  if (typeof s._listen2 !== 'function') {
    server.listen({ path, exclusive: true });
    return;
  }
  s._pipeName = path;
  // Unix socket: no port (-1), no address type (-1); backlog: Node's default (511).
  s._listen2(path, -1, -1, undefined, undefined, undefined);
}
