/**
 * Turns on one terminal across processes (SPEC §3, console mode on many ranks): the ranks of a job
 * share their launcher's terminal, and two sessions reading it at once would each get half of
 * every line. One session holds the terminal; the others wait, and when it ends the waiting rank
 * with the lowest number takes it (rank 0 first, then each in turn).
 *
 * The lock lives in the user's private folder (`registry.privateDir()`), one folder per terminal:
 *
 * - `holder`: created exclusively (`wx`) by the session that has the terminal, holding its pid;
 *   removed when the session ends.
 * - `wait-<rank>-<pid>-<thread>`: one per waiting session, so that whoever takes a free terminal
 *   is the lowest waiting rank and not whoever looked first.
 *
 * A waiting rank sleeps in `Atomics.wait` and looks again every {@link POLL_MS} ms: a few
 * system calls, about 0% CPU (measured by the console-turns test), where py_debug spins in
 * `while True: pass`. Polling rather than a watcher keeps a rank from waiting for ever on a
 * session that was killed (its `holder` and `wait-` entries name dead processes and are removed);
 * the cost is up to {@link POLL_MS} ms before the next rank gets the terminal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { alive, privateDir } from '../registry';

/** How often a waiting rank looks at the lock, in ms. */
export const POLL_MS = 100;

/** What the waiting rank is told about the session that has the terminal. */
export interface Holder { pid: number; rank: number; thread?: number }

/** A terminal held by this session; {@link release} gives it to the next rank. */
export interface TerminalTurn {
  /** Gives the terminal to the next waiting rank. Never throws; a second call does nothing. */
  release(): void;
}

/** Options of {@link takeTurn}. */
export interface TurnOptions {
  /** This session's rank (the lowest waiting rank goes first). */
  rank: number;
  /** Which terminal: default {@link terminalKey}. */
  key?: string;
  /** The folder of locks; default `<privateDir>/terminals`. */
  dir?: string;
  /** Longest wait, in ms; default for ever. */
  timeoutMs?: number;
  /** Called once, when the terminal is busy and the session starts waiting. */
  onWait?: (holder: Holder | undefined) => void;
}

/** The controlling terminal of this process as a name for its lock (Linux: `tty_nr` of /proc/self/stat). */
export function terminalKey(): string {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const ttyNr = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[4];
    if (ttyNr && ttyNr !== '0') return `tty-${ttyNr}`;
  } catch {
    // Not Linux: every session of the user shares one lock, which is safe, only less parallel.
  }
  return 'tty';
}

function readHolder(file: string): Holder | undefined {
  try {
    const h = JSON.parse(fs.readFileSync(file, 'utf8')) as Holder;
    return typeof h.pid === 'number' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** Sleeps without CPU (the main thread is stopped in a session anyway). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Waits (blocking, without CPU) until this session may use the terminal, and takes it.
 * @returns the turn, or `undefined` when `timeoutMs` passed first (the caller reports instead).
 * @throws when the lock folder cannot be used (the caller opens the console without a turn).
 */
export function takeTurn(options: TurnOptions): TerminalTurn | undefined {
  const dir = path.join(options.dir ?? path.join(privateDir(), 'terminals'), options.key ?? terminalKey());
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const holderFile = path.join(dir, 'holder');
  const me = `wait-${String(options.rank).padStart(6, '0')}-${process.pid}-${threadId}`;
  const mine = path.join(dir, me);
  fs.writeFileSync(mine, '', { mode: 0o600 });
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  let told = false;
  try {
    for (;;) {
      const holder = readHolder(holderFile);
      if (holder && !alive(holder.pid)) {
        // A session that was killed: its turn is over. Renamed first, so that of several waiters
        // only one removes it, and never a holder that has just replaced it.
        const stale = path.join(dir, `stale-${process.pid}-${threadId}`);
        try {
          fs.renameSync(holderFile, stale);
          const was = readHolder(stale);
          if (was && alive(was.pid)) fs.linkSync(stale, holderFile);
          fs.unlinkSync(stale);
        } catch { /* another waiter did it */ }
        continue;
      }
      if (!holder && firstInLine(dir, me)) {
        try {
          fs.writeFileSync(holderFile, JSON.stringify({ pid: process.pid, rank: options.rank, thread: threadId }), { flag: 'wx', mode: 0o600 });
          return turn(holderFile);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
          continue; // another session took it between our look and our try
        }
      }
      if (!told) {
        told = true;
        options.onWait?.(holder);
      }
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      sleep(Math.min(POLL_MS, left));
    }
  } finally {
    try { fs.unlinkSync(mine); } catch { /* already gone */ }
  }
}

/** True when no live session of a lower rank (or the same rank and a lower pid) waits before `me`. */
function firstInLine(dir: string, me: string): boolean {
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.startsWith('wait-')) continue;
    if (name === me) return true;
    const pid = Number(name.split('-')[2]);
    if (alive(pid)) return false;
    try { fs.unlinkSync(path.join(dir, name)); } catch { /* pruned by another waiter */ }
  }
  return true;
}

function turn(holderFile: string): TerminalTurn {
  let done = false;
  return {
    release() {
      if (done) return;
      done = true;
      try {
        const h = readHolder(holderFile);
        if (h?.pid === process.pid && h.thread === threadId) fs.unlinkSync(holderFile);
      } catch { /* already gone */ }
    },
  };
}
