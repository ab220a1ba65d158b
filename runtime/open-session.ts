/**
 * Opens the session for a value that left a debug boundary (SPEC §3): decides between a console
 * session, a socket session and a printed report, runs it, and returns so that the caller rethrows.
 *
 * Loaded by `capture.openOnce` the first time a session opens, never before. Runs on the thread
 * that threw, synchronously: the program is stopped until this returns. Nothing here may throw
 * or hang: a fault is reported on stderr and the user's error goes on unchanged.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { reportFault } from './capture';
import { parseMode, settings, type Mode } from './config';
import { ConsoleChannel } from './console/console-channel';
import { takeTurn, type TerminalTurn } from './console/terminal-lock';
import { findTerminal } from './console/terminal-access';
import { detectRank, type RankInfo } from './rank';
import { forgetCapture, type ErrorCapture } from './records';
import { Session, promptFor, reportText, runSession } from './session-loop';
import * as registry from './registry';
import { SocketChannel } from './socket/socket-channel';

/** Said once per process when a session has no captured locals (a build without the transform). */
export const NOT_INSTRUMENTED_NOTICE =
  'ts-pdb: no locals were captured: this code was built without the ts-pdb transformer, so the session\n'
  + 'has the stack but not the variables. To see every local of every marked frame, build with the\n'
  + 'transformer: run tspc (ts-patch) with tsconfig "compilerOptions": { "plugins": [{ "transform": "ts-pdb/transformer" }] },\n'
  + 'or run the TypeScript with no build step: npx ts-pdb run app.ts.\n';

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
export function openSession(thrown: unknown, capture: ErrorCapture, how: { instrumented: boolean }): void {
  if (sessionOpen) {
    forgetCapture(thrown);
    return;
  }
  sessionOpen = true;
  try {
    let mode: Mode | undefined;
    try {
      mode = parseMode(settings.modeText);
    } catch (e) {
      stderr(`ts-pdb: ${(e as Error).message}\n`);
      return;
    }
    const rank = detectRank();
    const session = new Session(thrown, capture);
    const notice = how.instrumented || noticeGiven ? '' : NOT_INSTRUMENTED_NOTICE;
    noticeGiven ||= notice !== '';

    if (mode === 'socket' || (mode === undefined && rank.rank > 0)) {
      socketSession(session, rank, notice);
      return;
    }
    const unavailable = unavailableMode(mode, rank);
    if (unavailable) {
      report(session, `ts-pdb: ${unavailable}; printing the frames instead.\n${notice}`);
      return;
    }
    const terminal = findTerminal();
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
        onWait: (holder) => stderr(`ts-pdb: rank ${rank.rank} (pid ${process.pid}) stopped: ${summary(session.thrown)}\n`
          + `ts-pdb: rank ${rank.rank} waits for the terminal${holder ? ` (rank ${holder.rank}, pid ${holder.pid}, has it)` : ''}; its session opens when the sessions before it end.\n`),
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
}

/**
 * A socket session (SPEC §3): listen on `IPDB_SOCK_PATH.<rank>`, say in a box on stderr how to
 * connect, serve clients until one quits (or `IPDB_TIMEOUT` passes with nobody connected).
 */
function socketSession(session: Session, rank: RankInfo, notice: string): void {
  let channel: SocketChannel;
  const timeoutMs = ipdbTimeoutMs();
  const seconds = timeoutMs === undefined ? 0 : timeoutMs / 1000;
  // IPDB_CONNECTION_TYPE=tcp: IPDB_HOST (loopback by default) on IPDB_PORT + rank (base 0: any free
  // port); a bind other than loopback takes a per-session token as the client's first line.
  const tcp = process.env.IPDB_CONNECTION_TYPE === 'tcp'
    ? { host: process.env.IPDB_HOST || '127.0.0.1', port: tcpPort(rank.rank) } : undefined;
  const token = tcp && !isLoopback(tcp.host) ? randomBytes(16).toString('hex') : undefined;
  try {
    channel = SocketChannel.open({ rank: rank.rank, timeoutMs, tcp, token });
  } catch (e) {
    report(session, `ts-pdb: cannot open a socket session (${(e as Error).message}); printing the frames instead.\n${notice}`);
    return;
  }
  const unregister = registry.register({
    rank: rank.rank, pid: process.pid, host: os.hostname(), mode: tcp ? 'tcp' : 'socket', address: channel.path, ...(token ? { token } : {}),
    error: summary(session.thrown), since: Date.now(),
  });
  try {
    stderr(boxed([
      `ts-pdb: rank ${rank.rank} (pid ${process.pid}) stopped: ${summary(session.thrown)}`,
      ...(channel.why ? [`(${channel.why}: listening on a private path instead)`] : []),
      ...(tcp ? [`connect with:  nc ${channel.path.replace(/^\[?(.*?)\]?:(\d+)$/, '$1 $2')}`] : [`connect with:  nc -U ${channel.path}`]),
      ...(token ? [`then send this token as the first line:  ${token}`] : []),
      ...(timeoutMs ? [`(waits ${seconds} s for a client, then the error goes on)`] : []),
    ]));
    if (notice) channel.write(notice);
    runSession(session, channel, { prompt: promptFor(rank) });
    if (channel.timedOut) stderr(`ts-pdb: rank ${rank.rank}: no client connected within ${seconds} s; the error goes on.\n`);
  } finally {
    unregister();
    channel.close('ts-pdb: session ended; the error goes on in the program.\n');
  }
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

/** True for a loopback bind address (no token needed: only this machine can connect). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The first line of an error (`TypeError: boom`), for the boxed message. */
function summary(thrown: unknown): string {
  try {
    const text = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    const line = text.split('\n')[0];
    return line.length > 100 ? `${line.slice(0, 97)}...` : line;
  } catch {
    return '(an error that cannot be shown)';
  }
}

/** Lines in a box, for a message that must stand out among the program's output. */
function boxed(lines: string[]): string {
  const width = Math.max(...lines.map((l) => l.length));
  const edge = `+${'-'.repeat(width + 2)}+`;
  return [edge, ...lines.map((l) => `| ${l.padEnd(width)} |`), edge, ''].join('\n');
}

/**
 * Why the chosen mode cannot run in this version, or undefined for a console session: rank 0's by
 * default, any rank's with `IPDB_MODE=console` (ranks then take turns on the terminal). Socket
 * sessions are decided before; web sessions arrive with later work.
 */
function unavailableMode(mode: Mode | undefined, rank: RankInfo): string | undefined {
  if (mode === 'console' || (mode === undefined && rank.rank === 0)) return undefined;
  return rank.rank === 0 ? `IPDB_MODE=${mode} is not available in this version`
    : `rank ${rank.rank} (${rank.source}): ${mode} sessions are not available in this version`;
}

/** Prints the report of the frames and their locals on stderr, after `preface`. */
function report(session: Session, preface: string): void {
  stderr(preface + reportText(session));
}

/** Writes to stderr synchronously: the program is stopped, its streams will not be flushed for us. */
function stderr(text: string): void {
  try {
    fs.writeSync(2, text);
  } catch {
    // stderr closed: nothing else to tell.
  }
}
