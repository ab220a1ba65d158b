/**
 * The first code of a thread started ahead of its work (worker-link.ts `prestartWorker`): waits for
 * the one message that names the front-end's worker file and its start data, puts the data in
 * `workerData` (beside the port and the signal it already holds) and loads the file, which then
 * runs as if the thread had been started on it. Touches nothing else; a fault of the file is the
 * thread's `error`, as it would be without this step.
 *
 * No compile cache here (compile-cache.ts): the thread's own modules are few and small, and turning
 * the cache on in a fresh thread cost more than it saved (measured on Node 24: the console's
 * worker modules 6.9 ms of CPU without it, 12.7 with; the web's 25.8 and 26.7).
 */
import { workerData } from 'node:worker_threads';
import type { LinkStart } from './worker-link';

const start = workerData as LinkStart;
start.port.once('message', (m: { file: string; data: object }) => {
  Object.assign(start, m.data);
  // Synchronous: the file's own 'message' listener is on the port before the next message comes.
  require(m.file);
});
