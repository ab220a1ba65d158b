/**
 * Turns on one terminal across processes (docs/SPEC.md §3, console mode on many ranks): the ranks of a job
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
 *
 * A turn is also taken over from a holder that is stopped (state `T`, e.g. by SIGTTIN when it read
 * the terminal from the background) or a zombie: such a holder would keep every rank waiting for
 * ever. Stopped means seen stopped at two looks {@link POLL_MS} ms apart, so that a job that was
 * stopped with Ctrl-Z and goes on with `fg` (all its processes continue at once) keeps its holder.
 * Waiting entries of stopped processes are passed over (kept: they wait again when continued).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { alive, privateDir } from '../shared/registry';
import { procStat } from './terminal-access';

/** How often a waiting rank looks at the lock, in ms. */
export const POLL_MS = 100;

/** What the waiting rank is told about the session that has the terminal. */
export interface Holder {
  pid: number;
  rank: number;
  thread?: number;
  /** How messages name it (`Vitest worker 2`); absent: `rank <rank>`. */
  name?: string;
}

/** A terminal held by this session; {@link release} gives it to the next rank. */
export interface TerminalTurn {
  /** Gives the terminal to the next waiting rank. Never throws; a second call does nothing. */
  release(): void;
}

/** Options of {@link takeTurn}. */
export interface TurnOptions {
  /** This session's rank (the lowest waiting rank goes first). */
  rank: number;
  /** How the other sessions' messages name this one while it holds the terminal; default `rank <rank>`. */
  name?: string;
  /** Which terminal: default {@link terminalKey}. */
  key?: string;
  /** The folder of locks; default `<privateDir>/terminals`. */
  dir?: string;
  /** Longest wait, in ms; default for ever. */
  timeoutMs?: number;
  /** Called once, when the terminal is busy and the session starts waiting. */
  onWait?: (holder: Holder | undefined) => void;
  /** Called when the turn of a holder that is stopped or gone is taken away from it (to say so). */
  onTakeOver?: (holder: Holder, why: 'stopped' | 'gone') => void;
  /**
   * Asked before this session takes a free terminal; false: wait on (e.g. it is in the background
   * of the terminal now, where using it would stop it). Default: always true.
   */
  mayTake?: () => boolean;
}

/** The controlling terminal of this process as a name for its lock (Linux: `tty_nr` of /proc/self/stat). */
export function terminalKey(): string {
  const ttyNr = procStat()?.ttyNr;
  // Not Linux: every session of the user shares one lock, which is safe, only less parallel.
  return ttyNr ? `tty-${ttyNr}` : 'tty';
}

/** Why a process can no longer use a turn: `gone` (dead, or a zombie nobody reaped), `stopped` (state T), else undefined. */
function unable(pid: number): 'gone' | 'stopped' | undefined {
  if (!alive(pid)) return 'gone';
  const state = procStat(pid)?.state;
  return state === 'Z' || state === 'X' ? 'gone' : state === 'T' ? 'stopped' : undefined;
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
 * The session that has this process's terminal now, if one does and it can still use it (alive,
 * not stopped); undefined otherwise. For a process that writes to the same terminal without a
 * session of its own (the Vitest plugin's reporter, runtime/vite/vitest-terminal.ts): it holds its
 * output while this answers a holder. Never throws.
 * @param options `key` and `dir` as for {@link takeTurn}.
 */
export function terminalHolder(options: { key?: string; dir?: string } = {}): Holder | undefined {
  try {
    const dir = path.join(options.dir ?? path.join(privateDir(), 'terminals'), options.key ?? terminalKey());
    const holder = readHolder(path.join(dir, 'holder'));
    return holder && unable(holder.pid) === undefined ? holder : undefined;
  } catch {
    return undefined;
  }
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
  /** The holder last seen stopped, and when: a stopped holder loses its turn when still stopped {@link POLL_MS} ms later. */
  let stopped: { pid: number; at: number } | undefined;
  try {
    for (;;) {
      const holder = readHolder(holderFile);
      const why = holder && unable(holder.pid);
      if (why !== 'stopped') stopped = undefined;
      else if (stopped?.pid !== holder!.pid) stopped = { pid: holder!.pid, at: Date.now() };
      if (holder && (why === 'gone' || (why === 'stopped' && Date.now() - stopped!.at >= POLL_MS))) {
        // Its turn is over. Renamed first, so that of several waiters only one removes it, and
        // never a holder that has just replaced it.
        const stale = path.join(dir, `stale-${process.pid}-${threadId}`);
        try {
          fs.renameSync(holderFile, stale);
          const was = readHolder(stale);
          if (was && was.pid !== holder.pid && alive(was.pid)) fs.linkSync(stale, holderFile);
          else options.onTakeOver?.(holder, why);
          fs.unlinkSync(stale);
        } catch {
          /* another waiter did it */
        }
        continue;
      }
      if (!holder && firstInLine(dir, me) && (options.mayTake?.() ?? true)) {
        try {
          fs.writeFileSync(holderFile, JSON.stringify({ pid: process.pid, rank: options.rank, thread: threadId, name: options.name }), {
            flag: 'wx',
            mode: 0o600,
          });
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
    try {
      fs.unlinkSync(mine);
    } catch {
      /* already gone */
    }
  }
}

/**
 * True when no live session of a lower rank (or the same rank and a lower pid) waits before `me`.
 * Entries of dead processes are removed; those of stopped ones are passed over.
 */
function firstInLine(dir: string, me: string): boolean {
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.startsWith('wait-')) continue;
    if (name === me) return true;
    const why = unable(Number(name.split('-')[2]));
    if (why === undefined) return false;
    if (why === 'gone')
      try {
        fs.unlinkSync(path.join(dir, name));
      } catch {
        /* pruned by another waiter */
      }
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
      } catch {
        /* already gone */
      }
    },
  };
}
