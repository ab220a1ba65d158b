/**
 * The console `Channel`: a session on the terminal while the program stays stopped.
 *
 * A worker thread owns the terminal (`terminal-worker.ts`: readline, history, completion); this
 * side, on the main thread, asks it for lines and sleeps in `Atomics.wait` until one comes (no CPU
 * while the user thinks). Output is written here with `fs.writeSync`, because a blocked main
 * thread never flushes `process.stdout`; it is only written between lines, when the worker's
 * readline is idle, so the prompt and its redraws stay where readline believes they are.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { TsPdbError } from '../../config';
import { completionsOf, type Channel, type Completer } from '../../engine/channel';
import { startWorker, type WorkerLink } from '../shared/worker-link';
import { DEFAULT_HISTORY_SIZE, defaultHistoryFile } from './history-file';
import type { FromWorker, TerminalSpec, ToWorker, WorkerStart } from './protocol';

/** Options of {@link ConsoleChannel.open}. */
export interface ConsoleChannelOptions {
  /** The terminal to use (see `findTerminal`). */
  terminal: TerminalSpec;
  /** History file; default `TS_PDB_HISTORY` or `~/.ts_pdb_history` (see `defaultHistoryFile`); `null` keeps history in memory only. */
  historyFile?: string | null;
  /** Most history entries kept; default 1000. */
  historySize?: number;
  /** Longest wait for the worker to open the terminal, in ms; default 10000. */
  startTimeoutMs?: number;
  /** Longest wait for the worker to restore the terminal at close, in ms; default 2000. */
  closeTimeoutMs?: number;
}

/** How long a write may keep failing with EAGAIN (a non-blocking terminal that is full) before it is dropped. */
const WRITE_RETRY_MS = 2000;

/** The console channel. Create it with {@link ConsoleChannel.open}; {@link close} it when the session ends. */
export class ConsoleChannel implements Channel {
  /** True when the terminal can show colours (and `NO_COLOR` is not set). */
  readonly colors: boolean;
  /** True while the last text written did not end a line: the next prompt starts a new one first. */
  private midLine = false;
  /** Set once the terminal is gone (a worker fault, a failed write, closed): every later read is EOF. */
  private ended = false;
  private closed = false;

  private constructor(
    private readonly link: WorkerLink<FromWorker>,
    private readonly outFd: number,
    private readonly ownsOutFd: boolean,
    private readonly closeTimeoutMs: number,
    colors: boolean,
  ) {
    this.colors = colors;
  }

  /**
   * Starts the terminal worker and waits (blocking) until it has the terminal.
   * @throws TsPdbError `ERR_TS_PDB_TERMINAL` when the terminal cannot be used.
   */
  static open(options: ConsoleChannelOptions): ConsoleChannel {
    return ConsoleChannel.start(options).ready();
  }

  /**
   * Starts the terminal worker and returns at once: the thread boots while the caller loads the
   * session engine; `ready()` then waits (blocking, at most `startTimeoutMs`) until the worker has
   * the terminal, and `cancel()` lets it go unused.
   * @throws what starting the worker throws (its file is missing).
   */
  static start(options: ConsoleChannelOptions): { ready(): ConsoleChannel; cancel(): void } {
    const t = options.terminal;
    const historyFile = options.historyFile === null ? undefined : (options.historyFile ?? defaultHistoryFile());
    // The main thread's own descriptor for output: the worker's descriptors are non-blocking
    // (libuv reopens the device), this one stays blocking for writeSync.
    const outFd = t.kind === 'device' ? fs.openSync(t.path, 'w') : t.outFd;
    const ownsOutFd = t.kind === 'device';
    let link: WorkerLink<FromWorker>;
    try {
      const start: Omit<WorkerStart, 'port' | 'signal'> = {
        terminal: t,
        historyFile,
        historySize: options.historySize ?? DEFAULT_HISTORY_SIZE,
      };
      link = startWorker<FromWorker>(terminalWorkerFile(), start);
    } catch (e) {
      if (ownsOutFd) fs.closeSync(outFd);
      throw e;
    }
    const closeTimeoutMs = options.closeTimeoutMs ?? 2000;
    const startTimeoutMs = options.startTimeoutMs ?? 10_000;
    return {
      ready(): ConsoleChannel {
        const first = link.receiver.receive(startTimeoutMs);
        if (first?.type !== 'ready') {
          const why = first?.type === 'fatal' ? first.message : `the terminal worker did not start within ${startTimeoutMs} ms`;
          new ConsoleChannel(link, outFd, ownsOutFd, closeTimeoutMs, false).dispose(false);
          throw new TsPdbError('ERR_TS_PDB_TERMINAL', why);
        }
        return new ConsoleChannel(link, outFd, ownsOutFd, closeTimeoutMs, first.colors);
      },
      cancel(): void {
        // The worker may have the terminal already: it restores it as it closes.
        new ConsoleChannel(link, outFd, ownsOutFd, closeTimeoutMs, false).dispose(true);
      },
    };
  }

  /** Writes session output to the terminal, synchronously. */
  write(text: string): void {
    if (text === '' || this.closed) return;
    try {
      writeAll(this.outFd, text);
      this.midLine = !text.endsWith('\n');
    } catch {
      // The terminal went away (hang-up): the session ends at its next read; the program goes on.
      this.ended = true;
    }
  }

  /** Writes an error message (same terminal as {@link write}: pdb prints errors in the session). */
  error(text: string): void {
    this.write(text);
  }

  /**
   * Shows `prompt` and returns the line the user enters; the program stays stopped meanwhile.
   * Tab asks `complete` for completions. Returns `null` at end of input (Ctrl-D), which a session
   * treats as `q`.
   */
  readLine(prompt: string, complete?: Completer): string | null {
    if (this.ended || this.closed) return null;
    if (this.midLine) this.write('\n');
    this.post({ type: 'read', prompt });
    for (;;) {
      const message = this.link.receiver.receive();
      switch (message?.type) {
        case 'line':
          return message.line;
        case 'complete': {
          const [completions, substring] = completionsOf(message.line, complete);
          this.post({ type: 'completion', id: message.id, completions, substring });
          break;
        }
        case 'eof':
          // Ctrl-D: this read ends; the terminal is still there for the next one (the worker
          // answers every later read with EOF itself when the terminal went away).
          // Like pdb's do_EOF: end the prompt's line so what follows starts on its own.
          this.write('\n');
          return null;
        case 'fatal':
          this.ended = true;
          this.write(`\n*** the terminal is no longer usable: ${message.message}\n`);
          return null;
        default:
          break;
      }
    }
  }

  /**
   * Restores the terminal and releases the worker; waits (bounded) until the worker has closed its
   * descriptors so the program continues with a sane terminal and nothing of ours keeps it alive.
   */
  close(): void {
    if (this.closed) return;
    this.dispose(true);
  }

  private post(message: ToWorker): void {
    this.link.port.postMessage(message);
  }

  private dispose(askWorker: boolean): void {
    this.closed = true;
    this.ended = true;
    let done = false;
    if (askWorker) {
      try {
        this.post({ type: 'close' });
        const deadline = Date.now() + this.closeTimeoutMs;
        for (let left = this.closeTimeoutMs; left > 0 && !done; left = deadline - Date.now()) {
          const m = this.link.receiver.receive(left);
          if (m === undefined) break;
          done = m.type === 'closed';
        }
      } catch {
        /* fall through to terminate */
      }
    }
    // terminate() is asynchronous; the worker is unref'd, so it never keeps the process alive.
    if (!done) void this.link.worker.terminate().catch(() => {});
    try {
      this.link.port.close();
    } catch {
      /* already closed */
    }
    if (this.ownsOutFd) {
      try {
        fs.closeSync(this.outFd);
      } catch {
        /* already closed */
      }
    }
  }
}

/** `fs.writeSync` of the whole text, retrying briefly (without spinning) on a full non-blocking terminal. */
function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text, 'utf8');
  const deadline = Date.now() + WRITE_RETRY_MS;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  while (buf.length > 0) {
    try {
      const n = fs.writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) throw e;
      Atomics.wait(nap, 0, 0, 5);
    }
  }
}

/**
 * The terminal worker's file: next to this module; or, when a bundler inlined ts-pdb into the
 * program (this module's folder is the bundle's), in the ts-pdb package installed for the program.
 * @throws TsPdbError `ERR_TS_PDB_TERMINAL` when neither exists, saying what to do.
 */
function terminalWorkerFile(): string {
  const here = path.join(__dirname, 'terminal-worker.js');
  if (fs.existsSync(here)) return here;
  for (const from of [process.argv[1], path.join(process.cwd(), 'index.js')]) {
    if (!from) continue;
    try {
      const pkg = createRequire(path.resolve(from)).resolve('ts-pdb/package.json');
      const file = path.join(path.dirname(pkg), 'dist', 'runtime', 'front-ends', 'console', 'terminal-worker.js');
      if (fs.existsSync(file)) return file;
    } catch {
      // Not installed where the program is: try the next place.
    }
  }
  throw new TsPdbError(
    'ERR_TS_PDB_TERMINAL',
    "the console runs in a worker thread loaded from ts-pdb's own files, " +
      "and neither this program's bundle nor its node_modules has them: install ts-pdb next to the program, " +
      'or keep it out of the bundle (webpack: externals: [/^ts-pdb(\\/|$)/])',
  );
}
