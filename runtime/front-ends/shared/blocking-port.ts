/**
 * A synchronous receive on a `MessagePort`, for a thread whose event loop is blocked.
 *
 * The main thread is stopped while a session is open, so it cannot receive messages with an event
 * listener. Instead the sender posts, then bumps a shared counter and notifies it; the receiver
 * sleeps in `Atomics.wait` on that counter (no CPU while it waits) and takes the message with
 * `receiveMessageOnPort`.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** Index of the wake-up counter in the shared `Int32Array`. */
const COUNTER = 0;

/** Allocates the shared memory a {@link BlockingReceiver} and {@link postAndWake} agree on. */
export function newSignal(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

/** The receiving end, used by a thread that may block. */
export class BlockingReceiver<T> {
  private readonly counter: Int32Array;

  constructor(
    private readonly port: MessagePort,
    signal: SharedArrayBuffer,
  ) {
    this.counter = new Int32Array(signal);
  }

  /**
   * The next message, waiting for it without spinning.
   * @param timeoutMs longest wait in milliseconds; default `Infinity`.
   * @returns the message, or `undefined` when the time ran out first.
   */
  receive(timeoutMs = Infinity): T | undefined {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Read the counter before looking at the port: a message posted after this read bumps the
      // counter, so the wait below returns at once instead of missing the wake-up.
      const seen = Atomics.load(this.counter, COUNTER);
      const got = receiveMessageOnPort(this.port);
      if (got) return got.message as T;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      Atomics.wait(this.counter, COUNTER, seen, left === Infinity ? undefined : left);
    }
  }
}

/** Posts `message` on `port`, then wakes a {@link BlockingReceiver} waiting on `signal`. */
export function postAndWake<T>(port: MessagePort, signal: Int32Array, message: T): void {
  port.postMessage(message);
  Atomics.add(signal, COUNTER, 1);
  Atomics.notify(signal, COUNTER);
}
