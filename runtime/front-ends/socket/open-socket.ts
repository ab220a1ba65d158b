/**
 * A socket session (docs/SPEC.md §3): the rank listens on `IPDB_SOCK_PATH.<rank>` (or TCP with
 * `IPDB_CONNECTION_TYPE=tcp`), says in a box on stderr how to connect, and serves clients until
 * one quits, or `IPDB_TIMEOUT` passes with nobody connected. Also where a console session goes when
 * its process runs in the background of the terminal (console/open-console.ts).
 */
import * as os from 'node:os';
import { loadOwn } from '../../capture';
import type { Session } from '../../engine/session';
import { stoppedOn } from '../../render/boxed';
import type { FrontEnd, SessionStart } from '../front-end';
import { announce, type Announcement } from './announce';
import { listenHere, socketPath } from './listen-here';
// Loaded once the socket listens (below), not before: the worker link, the engine's loader, the
// notifier. Every module loaded between a throw and the box is CPU time a rank spends before it
// can be reached, paid by every rank at once when a job fails (test/bench/socket-wait.mjs).
// Without source maps (capture.ts `loadOwn`): nothing of the program runs in these loads.
type Lazy = typeof import('./socket-channel') & typeof import('../shared/engine') & typeof import('../shared/notify');
function later(): Lazy {
  return loadOwn(() => ({
    ...(require('./socket-channel') as typeof import('./socket-channel')),
    ...(require('../shared/engine') as typeof import('../shared/engine')),
    ...(require('../shared/notify') as typeof import('../shared/notify')),
  }));
}

/** The socket front-end (`IPDB_MODE=socket`, and every rank but 0 by default). */
export const socketFrontEnd: FrontEnd = {
  name: 'socket',
  open: (start) => openSocket(start),
};

/**
 * Serves the session on a socket and returns when it ends.
 * @param note why it is a socket session when a console one was meant (said in the box and the registry).
 */
export function openSocket(start: SessionStart, note?: string): Session | undefined {
  const { env, rank, options, notice } = start;
  const timeoutMs = env.timeoutMs;
  const seconds = timeoutMs === undefined ? 0 : timeoutMs / 1000;
  // IPDB_CONNECTION_TYPE=tcp: IPDB_HOST (loopback by default) on IPDB_PORT + rank (base 0: any free
  // port); a bind other than loopback takes a per-session token as the client's first line.
  const tcp = env.tcp ? { host: env.host, port: env.tcpPort(rank.rank) } : undefined;
  const token = tcp ? env.token(tcp.host) : undefined;
  let starting: { ready(): import('./socket-channel').SocketChannel } | undefined;
  let failure: unknown;
  // `start.thrown` when the opener gave it: the frame source then loads after the socket listens.
  const title = stoppedOn('thrown' in start ? start.thrown : start.source.thrown, options);
  const announcement: Announcement = {
    rank: rank.rank,
    pid: process.pid,
    host: os.hostname(),
    error: title,
    ...(timeoutMs ? { timeoutSeconds: seconds } : {}),
    ...(note ? { note } : {}),
    ...(start.snapshot?.planned ? { snapshot: start.snapshot.planned } : {}),
    ...(rank.jobId !== undefined ? { job: rank.jobId } : {}),
    thrown: Date.now(),
  };
  // The first socket session of the process listens on this thread, and says where to connect (box,
  // registry), before anything else loads or a thread starts (listen-here.ts); else its worker says so
  // the moment it listens (announce.ts).
  let adopted: { fd: number; unregister(): void } | undefined;
  try {
    const path = socketPath(env.socketPrefix, rank.rank);
    const fd = tcp ? undefined : listenHere(path);
    if (fd !== undefined) adopted = { fd, unregister: announce(announcement, { path, tcp: false }, { beat: false }) };
  } catch {
    // The worker listens instead (below), and says why it cannot, if it cannot.
  }
  const { SocketChannel, engine, newSession, printReport, runText, connectToSocket, notifyStop } = later();
  try {
    starting = SocketChannel.start({
      rank: rank.rank,
      prefix: env.socketPrefix,
      timeoutMs,
      tcp,
      token,
      announce: announcement,
      adopted,
      // A structured client's hello is answered by the worker, even while the engine loads.
      hello: { rank: rank.rank, pid: process.pid, host: os.hostname(), title, breakpoint: !!options.breakpoint },
    });
  } catch (e) {
    failure = e;
  }
  // The session engine loads only once a client is there: until then a rank costs a sleeping
  // thread and nothing else, and when many ranks throw at once their sockets do not wait behind
  // engines that nobody uses yet (measured: npm run bench, "Socket mode"). A client that connects
  // sees the banner some 40 ms later.
  let channel: import('./socket-channel').SocketChannel | undefined;
  try {
    if (!starting) throw failure;
    channel = starting.ready();
  } catch (e) {
    failure = e;
  }
  if (!channel) {
    printReport(start, `ts-pdb: cannot open a socket session (${(failure as Error).message}); printing the frames instead.\n${notice}`);
    return undefined;
  }
  let session: Session | undefined;
  try {
    // The wait begins: from here a launcher may end this rank, and its main thread, blocked, would
    // run no handler. The snapshot is written now, and removed if a client ends the session.
    const kept = start.snapshot?.write();
    // Reachable now: tell someone (IPDB_NOTIFY), without waiting for it.
    notifyStop(start, {
      connect: connectToSocket(channel.path, { tcp: !!tcp, token, rank: rank.rank, job: rank.jobId }),
      snapshot: kept,
    });
    if (channel.awaitClient()) {
      const s = (session = newSession(start));
      // A client that says hello gets the page's structured view of the session (made when one does).
      channel.serveRequests(() => new (engine().SessionView)(s));
      runText(session, channel, start);
    }
    if (channel.timedOut)
      env.stderr(
        `ts-pdb: rank ${rank.rank}: no client connected within ${seconds} s; the ${options.breakpoint ? 'program' : 'error'} goes on.\n` +
          (start.snapshot?.line() ?? ''),
      );
    else if (session) start.snapshot?.discard();
    // The worker of a socket this thread listened on failed before any client came: say so, and
    // print the frames as when a socket cannot open.
    else if (channel.failure !== undefined)
      printReport(start, `ts-pdb: the socket session failed (${firstLine(channel.failure)}); printing the frames instead.\n${notice}`);
  } finally {
    // No session (nobody came): the error goes on, or a breakpoint lets the program go on.
    channel.close(
      session?.goodbye ?? `ts-pdb: session ended; ${options.breakpoint ? 'the program goes on' : 'the error goes on in the program'}.\n`,
    );
  }
  return session;
}

/** The first line of a fault's message (a worker's fault comes with its stack). */
function firstLine(text: string): string {
  return text.split('\n', 1)[0];
}
