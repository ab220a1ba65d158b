/**
 * Holds back a process's own output while a session of another process (or thread) has the
 * terminal they share, so that nothing is written into the middle of the session: Vitest's
 * reporter, in the main process, prints other test files' results and their console output as they
 * come, while a worker's session reads and writes the same terminal (vitest-terminal.ts).
 *
 * Wraps `write` of the given streams: while `held()` says a session has the terminal, writes are
 * kept in order, and written when it ends (looked at on each write, on each change of a watched
 * folder and every {@link POLL_MS} ms), or when the process exits. Meanwhile the process's stdin is paused, so that keys typed into the
 * session are the session's (Vitest's watch mode reads its own keys). Touches only those streams.
 */
import { watch, type FSWatcher } from 'node:fs';
import { POLL_MS } from '../front-ends/console/terminal-lock';

/** A stream whose `write` is held; `process.stdout` and `process.stderr` are. */
export interface HeldStream {
  write(...args: never[]): boolean;
}

/** `write` as this file calls it: with the arguments it was given. */
type Write = (this: unknown, ...args: unknown[]) => boolean;

/** A stream the hold pauses and resumes; `process.stdin` is. */
export interface PausableStream {
  readableFlowing?: boolean | null;
  pause(): unknown;
  resume(): unknown;
}

/**
 * Starts holding. Returns a function that stops (writing what is held). Never throws.
 * @param held true while a session has the terminal (asked often: keep it cheap).
 * @param options `streams` whose writes wait (default stdout and stderr); `stdin`, paused meanwhile
 *   (default `process.stdin`, when it is a terminal); `watch`, a folder whose changes say that
 *   `held` may have changed, looked at at once (the lock's: a key typed right after the session's
 *   prompt appears must not reach this process), besides every {@link POLL_MS} ms.
 */
export function holdOutput(
  held: () => boolean,
  options: { streams?: HeldStream[]; stdin?: PausableStream; watch?: string } = {},
): () => void {
  const streams = options.streams ?? [process.stdout, process.stderr];
  const stdin = 'stdin' in options ? options.stdin : process.stdin.isTTY ? process.stdin : undefined;
  const originals = streams.map((s) => s.write as unknown as Write);
  const queue: { at: number; args: unknown[] }[] = [];
  let holding = false;
  let paused = false;

  /** Is a session there now? Updates the hold: pauses stdin when it starts, writes the queue when it ends. */
  const look = (): boolean => {
    let now: boolean;
    try {
      now = held();
    } catch {
      now = false;
    }
    if (now && !holding) {
      holding = true;
      if (stdin && stdin.readableFlowing) {
        stdin.pause();
        paused = true;
        // Paused, stdin no longer keeps the process alive: the timer does, until the session ends.
        timer.ref();
      }
    } else if (!now && holding) {
      holding = false;
      timer.unref();
      flush();
      if (paused) {
        paused = false;
        stdin?.resume();
      }
    }
    return now;
  };
  const flush = (): void => {
    for (const { at, args } of queue.splice(0)) {
      try {
        originals[at].apply(streams[at], args);
      } catch {
        /* a closed stream: nothing to do */
      }
    }
  };

  streams.forEach((stream, at) => {
    const heldWrite: Write = (...args) => {
      if (look()) {
        queue.push({ at, args });
        return true;
      }
      return originals[at].apply(stream, args);
    };
    stream.write = heldWrite;
  });
  const timer = setInterval(look, POLL_MS);
  timer.unref();
  let watcher: FSWatcher | undefined;
  if (options.watch !== undefined) {
    try {
      watcher = watch(options.watch, () => look());
      watcher.on('error', () => watcher?.close());
      watcher.unref();
    } catch {
      /* no such folder, or no watching here: the timer looks */
    }
  }
  const onExit = (): void => flush();
  process.on('exit', onExit);

  return () => {
    clearInterval(timer);
    watcher?.close();
    process.off('exit', onExit);
    streams.forEach((stream, at) => {
      stream.write = originals[at];
    });
    flush();
    if (paused) stdin?.resume();
  };
}
