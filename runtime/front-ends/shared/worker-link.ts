/**
 * A front-end's worker thread linked to the main thread, both ends, as the console, socket and web
 * front-ends use it. The main thread is stopped while a session is open: it sleeps in
 * `Atomics.wait` on a shared counter and takes messages with `receiveMessageOnPort`
 * (blocking-port.ts); the worker runs an ordinary event loop, and wakes the main thread after each
 * message it posts.
 */
import { MessageChannel, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { BlockingReceiver, newSignal, postAndWake } from './blocking-port';

/** What every worker's start data carries, beside its own fields. */
export interface LinkStart {
  /** The worker's end of the message channel (transferred). */
  port: MessagePort;
  /** Shared counter the worker bumps and notifies after each message it posts. */
  signal: SharedArrayBuffer;
}

/** The main thread's end of a worker. */
export interface WorkerLink<From> {
  readonly worker: Worker;
  /** The main thread's end of the message channel: post on it; close it when done. */
  readonly port: MessagePort;
  /** Where the main thread waits for the worker's messages. */
  readonly receiver: BlockingReceiver<From>;
  /** The message of the worker's `error` event, if it had one (a fault before it could say `fatal`). */
  failure(): string | undefined;
}

/**
 * Starts the worker `file` with `data` and its end of a new channel, and returns at once (a thread
 * takes tens of milliseconds to boot: the caller goes on meanwhile). The thread gets none of the
 * program's loaders (`--import`, `--require`: `execArgv` is empty), and no stdout or stderr of its
 * own (those are relayed by the main thread's event loop, which is blocked). Unref'd: it never
 * keeps the program alive. Its faults come as its own `fatal` messages (see {@link workerEnd}).
 * @throws what `new Worker` throws (the file is missing); the channel is closed then.
 */
export function startWorker<From>(file: string, data: object): WorkerLink<From> {
  const signal = newSignal();
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(file, {
      workerData: { ...data, port: port2, signal } satisfies LinkStart,
      transferList: [port2],
      execArgv: [],
      stdout: false,
      stderr: false,
    });
  } catch (e) {
    port1.close();
    port2.close();
    throw e;
  }
  // An unhandled 'error' event would crash the program later: keep its message instead.
  let failure: string | undefined;
  worker.on('error', (e) => {
    failure = e instanceof Error ? e.message : String(e);
  });
  worker.unref();
  return { worker, port: port1, receiver: new BlockingReceiver<From>(port1, signal), failure: () => failure };
}

/** The worker's end: its start data and `send`. */
export interface WorkerEnd<Start extends LinkStart, From> {
  readonly start: Start;
  /** Posts `message` to the main thread and wakes it. */
  send(message: From): void;
}

/**
 * In a worker: its start data, and `send`. Any fault of the thread is sent as `fatal`, since the
 * main thread sleeps until a message comes: the session then ends and the error goes on, instead of
 * the program staying stopped for ever.
 * @param onFault runs first on a fault (the terminal worker leaves raw mode); `afterFault` after it is sent.
 */
export function workerEnd<Start extends LinkStart, From>(
  hooks: { onFault?: () => void; afterFault?: () => void } = {},
): WorkerEnd<Start, From> {
  const start = workerData as Start;
  const counter = new Int32Array(start.signal);
  const send = (message: From): void => postAndWake(start.port, counter, message);
  process.on('uncaughtException', (fault) => {
    try {
      hooks.onFault?.();
    } catch {
      /* it is the fault that counts */
    }
    send({ type: 'fatal', message: fault instanceof Error ? (fault.stack ?? fault.message) : String(fault) } as From);
    hooks.afterFault?.();
  });
  return { start, send };
}
