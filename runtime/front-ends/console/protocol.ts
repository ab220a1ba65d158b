/**
 * The messages exchanged between the main thread (blocked in a session) and the terminal worker.
 *
 * The main thread cannot run its event loop while the program is stopped, so every message the
 * worker sends it is followed by a wake-up on a shared counter (see shared/worker-link.ts); messages
 * the main thread sends the worker arrive on the worker's ordinary event loop.
 */

import type { LinkStart } from '../shared/worker-link';

/** Which terminal the worker opens. */
export type TerminalSpec =
  /** A terminal device opened by path (normally `/dev/tty`), for both reading and writing. */
  | { kind: 'device'; path: string }
  /** The process's own descriptors, when they are TTYs and no device can be opened. */
  | { kind: 'stdio'; inFd: number; outFd: number };

/** What the worker receives at start (`workerData`), beside its end of the link (shared/worker-link.ts). */
export interface WorkerStart extends LinkStart {
  terminal: TerminalSpec;
  /** History file, or undefined for history in memory only. */
  historyFile: string | undefined;
  /** Most entries kept, in memory and in the file. */
  historySize: number;
}

/** Main thread → worker. */
export type ToWorker =
  /** Show `prompt` and read one line with editing, history and completion. */
  | { type: 'read'; prompt: string }
  /** The answer to a {@link FromWorker} `complete` request. */
  | { type: 'completion'; id: number; completions: string[]; substring: string }
  /** Restore the terminal, save history, release every handle, answer `closed`. */
  | { type: 'close' };

/** Worker → main thread. */
export type FromWorker =
  /**
   * The terminal is open; `colors` is the terminal's own answer (`tty.WriteStream.hasColors()`,
   * which honours `NO_COLOR`, `FORCE_COLOR` and `TERM=dumb`).
   */
  | { type: 'ready'; colors: boolean }
  /** A line the user entered (without its end of line). */
  | { type: 'line'; line: string }
  /** The user pressed Ctrl-D on an empty line, or the terminal went away. */
  | { type: 'eof' }
  /** Tab was pressed: the worker asks for completions of the text before the cursor. */
  | { type: 'complete'; id: number; line: string }
  /** The terminal is restored and the worker holds nothing that keeps the process alive. */
  | { type: 'closed' }
  /** The worker cannot serve the terminal (cannot open it, or an internal fault). */
  | { type: 'fatal'; message: string };
