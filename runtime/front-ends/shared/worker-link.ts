/**
 * A front-end's worker thread linked to the main thread, both ends, as the console, socket and web
 * front-ends use it. The main thread is stopped while a session is open: it sleeps in
 * `Atomics.wait` on a shared counter and takes messages with `receiveMessageOnPort`
 * (blocking-port.ts); the worker runs an ordinary event loop, and wakes the main thread after each
 * message it posts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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

/** A thread started ahead of its work: it boots (tens of ms) while the main thread loads the rest; {@link startWorker} takes it. */
interface Prestarted {
  worker: Worker;
  port: MessagePort;
  signal: SharedArrayBuffer;
  failure: () => string | undefined;
}

/** The thread {@link prestartWorker} started and no {@link startWorker} took yet (one per process at most). */
let prestarted: Prestarted | undefined;

/**
 * Starts a thread that waits for its work (worker-boot.ts) and returns at once: a session's opener
 * calls it first thing, and the next {@link startWorker} hands the thread its file and data instead
 * of starting one, so the boot of the thread overlaps the loading of the front-end and the engine.
 * Never throws (no thread then: {@link startWorker} starts one as before).
 */
export function prestartWorker(): void {
  if (prestarted) return;
  try {
    const signal = newSignal();
    const { port1, port2 } = new MessageChannel();
    // Not there when a bundler inlined ts-pdb into the program: the front-end finds its own file then.
    const boot = path.join(__dirname, 'worker-boot.js');
    if (!fs.existsSync(boot)) return;
    const worker = spawn(boot, { port: port2, signal }, [port2]);
    prestarted = { worker: worker.worker, port: port1, signal, failure: worker.failure };
  } catch {
    /* started on demand instead */
  }
}

/** Ends a prestarted thread that nothing took (the session did not need one). Never throws. */
export function cancelPrestarted(): void {
  const p = prestarted;
  prestarted = undefined;
  if (!p) return;
  try {
    p.port.close();
    void p.worker.terminate().catch(() => {});
  } catch {
    /* it is ending anyway */
  }
}

/** `new Worker` as every front-end's thread is made: no loaders, no stdio of its own, unref'd, its `error` kept. */
function spawn(file: string, workerData: object, transferList: MessagePort[]): { worker: Worker; failure: () => string | undefined } {
  const worker = new Worker(file, { workerData, transferList, execArgv: [], stdout: false, stderr: false });
  // An unhandled 'error' event would crash the program later: keep its message instead.
  let failure: string | undefined;
  worker.on('error', (e) => {
    failure = e instanceof Error ? e.message : String(e);
  });
  worker.unref();
  return { worker, failure: () => failure };
}

/**
 * Starts the worker `file` with `data` and its end of a new channel, and returns at once (a thread
 * takes tens of milliseconds to boot: the caller goes on meanwhile). The thread gets none of the
 * program's loaders (`--import`, `--require`: `execArgv` is empty), and no stdout or stderr of its
 * own (those are relayed by the main thread's event loop, which is blocked). Unref'd: it never
 * keeps the program alive. Its faults come as its own `fatal` messages (see {@link workerEnd}).
 * A thread {@link prestartWorker} started is taken instead of a new one: it is told to load `file`
 * with `data` (worker-boot.ts), which its `workerData` then holds as a new thread's would.
 * @throws what `new Worker` throws (the file is missing); the channel is closed then.
 */
export function startWorker<From>(file: string, data: object): WorkerLink<From> {
  const ready = prestarted;
  prestarted = undefined;
  if (ready) {
    ready.port.postMessage({ file, data });
    return {
      worker: ready.worker,
      port: ready.port,
      receiver: new BlockingReceiver<From>(ready.port, ready.signal),
      failure: ready.failure,
    };
  }
  const signal = newSignal();
  const { port1, port2 } = new MessageChannel();
  let started: ReturnType<typeof spawn>;
  try {
    started = spawn(file, { ...data, port: port2, signal } satisfies LinkStart, [port2]);
  } catch (e) {
    port1.close();
    port2.close();
    throw e;
  }
  return { worker: started.worker, port: port1, receiver: new BlockingReceiver<From>(port1, signal), failure: started.failure };
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
