/**
 * Opens the session for a value that left a debug boundary (SPEC §3): decides between a console
 * session, a socket session and a printed report, runs it, and returns so that the caller rethrows.
 *
 * Loaded by `capture.openOnce` the first time a session opens, never before. Runs on the thread
 * that threw, synchronously: the program is stopped until this returns. Nothing here may throw
 * or hang: a fault is reported on stderr and the user's error goes on unchanged.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { forgetCapture, reportFault, settings } from '../capture';
import { LiveFrameSource } from '../engine/live-source';
import { parseMode, type Mode } from '../config';
import { ConsoleChannel } from './console/console-channel';
import { takeTurn, type TerminalTurn } from './console/terminal-lock';
import { backgroundNote, findTerminal, inBackground } from './console/terminal-access';
import { detectRank, type RankInfo } from '../rank';
import { stoppedOn } from '../render/boxed';
import type { ErrorCapture } from '../records';
import type { Session, SessionOptions } from '../engine/commands/session-loop';
import { sessionToken } from './shared/session-token';
import { SocketChannel } from './socket/socket-channel';

/** Said once per process when a session has no captured locals (a build without the transform). */
export const NOT_INSTRUMENTED_NOTICE =
  'ts-pdb: no locals were captured: this code was built without the ts-pdb transformer, so the session\n'
  + 'has the stack but not the variables. To see every local of every marked frame, build with the\n'
  + 'transformer: run tspc (ts-patch) with tsconfig "compilerOptions": { "plugins": [{ "transform": "ts-pdb/transformer" }] },\n'
  + 'or run the TypeScript with no build step: npx ts-pdb run app.ts.\n';

/**
 * The session engine and its commands, loaded when a session opens. Not imported at the top: a
 * socket session starts its worker thread first, so that the thread boots while this loads.
 */
function loop(): typeof import('../engine/commands/session-loop') {
  return require('../engine/commands/session-loop') as typeof import('../engine/commands/session-loop');
}

let noticeGiven = false;
/**
 * True while a session is open on this thread. An expression typed in a session can call a
 * boundary that throws (`p risky({})`): that error is the command's result, printed by the session,
 * not a reason to stack a second session on the same terminal.
 */
let sessionOpen = false;

/**
 * Opens a session on `thrown` (console on a terminal, a socket for other ranks or IPDB_MODE=socket, else a report on stderr) and returns when it
 * ends; the caller rethrows. Never throws.
 * @param thrown the value that left the boundary.
 * @param capture the frames recorded for it on the way out.
 * @param how `instrumented: false` when the boundary is the run-time decorator of a build made
 *   without the transform (no records): the session then says, once per process, why locals are missing.
 */
export function openSession(
  thrown: unknown, capture: ErrorCapture,
  how: { instrumented: boolean; uncaught?: boolean; recoverable?: boolean; breakpoint?: boolean },
): Session | undefined {
  if (sessionOpen) {
    forgetCapture(thrown);
    return undefined;
  }
  sessionOpen = true;
  /** The session that ran (its `returning` and `endProgram` say how it ended), if one did. */
  let outcome: Session | undefined;
  try {
    let mode: Mode | undefined;
    try {
      mode = parseMode(settings.modeText);
    } catch (e) {
      stderr(`ts-pdb: ${(e as Error).message}\n`);
      return;
    }
    const rank = detectRank();
    const notice = how.instrumented || noticeGiven ? '' : NOT_INSTRUMENTED_NOTICE;
    const options = {
      uncaught: how.uncaught === true, recoverable: how.recoverable === true, breakpoint: how.breakpoint === true, transformed: how.instrumented,
      contextSize: settings.contextSize,
    };
    noticeGiven ||= notice !== '';

    if (mode === 'socket' || (mode === undefined && rank.rank > 0)) {
      outcome = socketSession(thrown, capture, rank, notice, options);
      return outcome;
    }
    if (mode === 'web') {
      // Loaded only for a web session; it starts its worker thread before the engine loads, as socket sessions do.
      const web = require('./web/web-session') as typeof import('./web/web-session');
      outcome = web.webSession(thrown, capture, rank, notice, options);
      return outcome;
    }
    // Here the mode is console: IPDB_MODE=console (ranks then take turns on the terminal), or
    // rank 0 by default.
    const terminal = findTerminal();
    if (terminal.background) {
      // mpirun's ranks, a shell's `cmd &`: the terminal would stop this process (SIGTTIN/SIGTTOU)
      // for good. A socket session instead, whose box (and `ts-pdb ls`) says why.
      outcome = socketSession(thrown, capture, rank, notice, options, backgroundNote(rank.source));
      return outcome;
    }
    const { Session, promptFor, runSession } = loop();
    const session = new Session(new LiveFrameSource(thrown, capture), options);
    if (!terminal.spec) {
      // Never wait for a keyboard that is not there (SPEC §6): report and let the error go on.
      report(session, `ts-pdb: ${terminal.reason}; printing the frames instead of opening a console session.\n${notice}`);
      return;
    }
    // Ranks that share the terminal take turns (lowest waiting rank first); without a usable
    // lock folder the session still opens, as it would in a single process.
    const timeoutMs = ipdbTimeoutMs();
    let turn: TerminalTurn | undefined;
    try {
      turn = takeTurn({
        rank: rank.rank,
        timeoutMs,
        onWait: (holder) => stderr(`ts-pdb: rank ${rank.rank} (pid ${process.pid}) stopped: ${stoppedOn(session.thrown, options)}\n`
          + `ts-pdb: rank ${rank.rank} waits for the terminal${holder ? ` (rank ${holder.rank}, pid ${holder.pid}, has it)` : ''}; its session opens when the sessions before it end.\n`),
        onTakeOver: (holder, why) => stderr(`ts-pdb: rank ${rank.rank} takes the terminal: rank ${holder.rank} (pid ${holder.pid}), which had it, `
          + `${why === 'stopped' ? 'is stopped' : 'is gone'}.\n`),
        // A job sent to the background (Ctrl-Z, bg) while this rank waited: taking the terminal now would stop it.
        mayTake: () => !inBackground(),
      });
      if (!turn) {
        report(session, `ts-pdb: rank ${rank.rank}: the terminal stayed busy for ${timeoutMs! / 1000} s (IPDB_TIMEOUT); printing the frames instead.\n${notice}`);
        return;
      }
    } catch { /* no lock folder: no turns */ }
    let channel: ConsoleChannel;
    try {
      channel = ConsoleChannel.open({ terminal: terminal.spec });
    } catch (e) {
      turn?.release();
      report(session, `ts-pdb: cannot open a console session (${(e as Error).message}); printing the frames instead.\n${notice}`);
      return;
    }
    try {
      if (notice) channel.write(notice);
      runSession(session, channel, { prompt: promptFor(rank) });
      outcome = session;
    } finally {
      channel.close();
      turn?.release();
    }
  } catch (fault) {
    reportFault(fault);
  } finally {
    sessionOpen = false;
    // The session is over: do not keep every captured local alive for as long as the error lives.
    try { forgetCapture(thrown); } catch { /* nothing retained */ }
  }
  return outcome;
}

/**
 * A socket session (SPEC §3): listen on `IPDB_SOCK_PATH.<rank>`, say in a box on stderr how to
 * connect, serve clients until one quits (or `IPDB_TIMEOUT` passes with nobody connected).
 * `note`: why it is a socket session when a console one was meant (said in the box and the registry).
 */
function socketSession(
  thrown: unknown, capture: ErrorCapture, rank: RankInfo, notice: string, options: SessionOptions, note?: string,
): Session | undefined {
  const timeoutMs = ipdbTimeoutMs();
  const seconds = timeoutMs === undefined ? 0 : timeoutMs / 1000;
  // IPDB_CONNECTION_TYPE=tcp: IPDB_HOST (loopback by default) on IPDB_PORT + rank (base 0: any free
  // port); a bind other than loopback takes a per-session token as the client's first line.
  const tcp = process.env.IPDB_CONNECTION_TYPE === 'tcp'
    ? { host: process.env.IPDB_HOST || '127.0.0.1', port: tcpPort(rank.rank) } : undefined;
  const token = tcp ? sessionToken(tcp.host) : undefined;
  let starting: { ready(): SocketChannel } | undefined;
  let failure: unknown;
  try {
    // The worker says where to connect (box, registry) the moment it listens: announce.ts.
    starting = SocketChannel.start({
      rank: rank.rank, timeoutMs, tcp, token,
      announce: { rank: rank.rank, pid: process.pid, host: os.hostname(), error: stoppedOn(thrown, options), ...(timeoutMs ? { timeoutSeconds: seconds } : {}), ...(note ? { note } : {}) },
    });
  } catch (e) {
    failure = e;
  }
  // The session engine loads only once a client is there: until then a rank costs a sleeping
  // thread and nothing else, and when many ranks throw at once their sockets do not wait behind
  // engines that nobody uses yet (measured: npm run bench, "Socket mode"). A client that connects
  // sees the banner some 40 ms later.
  let channel: SocketChannel | undefined;
  try {
    if (!starting) throw failure;
    channel = starting.ready();
  } catch (e) {
    failure = e;
  }
  if (!channel) {
    report(new (loop().Session)(new LiveFrameSource(thrown, capture), options),
      `ts-pdb: cannot open a socket session (${(failure as Error).message}); printing the frames instead.\n${notice}`);
    return undefined;
  }
  let session: Session | undefined;
  try {
    if (channel.awaitClient()) {
      const { Session, promptFor, runSession } = loop();
      session = new Session(new LiveFrameSource(thrown, capture), options);
      if (notice) channel.write(notice);
      runSession(session, channel, { prompt: promptFor(rank) });
    }
    if (channel.timedOut) stderr(`ts-pdb: rank ${rank.rank}: no client connected within ${seconds} s; the ${options.breakpoint ? 'program' : 'error'} goes on.\n`);
  } finally {
    // No session (nobody came): the error goes on, or a breakpoint lets the program go on.
    channel.close(session?.goodbye ?? `ts-pdb: session ended; ${options.breakpoint ? 'the program goes on' : 'the error goes on in the program'}.\n`);
  }
  return session;
}

/** `IPDB_TIMEOUT` in ms: how long a session waits for a client or for its turn; undefined: for ever. */
function ipdbTimeoutMs(): number | undefined {
  const seconds = Number(process.env.IPDB_TIMEOUT);
  return process.env.IPDB_TIMEOUT && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** `IPDB_PORT` + rank (base default 4444; base 0: any free port). */
function tcpPort(rank: number): number {
  const base = process.env.IPDB_PORT === undefined || process.env.IPDB_PORT === '' ? 4444 : Number(process.env.IPDB_PORT);
  if (!Number.isInteger(base) || base < 0) return 4444 + rank;
  return base === 0 ? 0 : base + rank;
}

/** Prints the report of the frames and their locals on stderr, after `preface`. */
function report(session: Session, preface: string): void {
  stderr(preface + loop().reportText(session));
}

/** Writes to stderr synchronously: the program is stopped, its streams will not be flushed for us. */
function stderr(text: string): void {
  try {
    fs.writeSync(2, text);
  } catch {
    // stderr closed: nothing else to tell.
  }
}
