/**
 * The web worker: serves the debugger page of one rank over HTTP and a WebSocket (`ws`) while the
 * main thread is stopped in `Atomics.wait` (no CPU while nobody types). Two parts, wired here:
 * page-server.ts (HTTP, the guard, the page's files, the overview, listening and the box) and
 * page-relay.ts (the pages' roles, the transcript, and the relay of lines and requests to the main
 * thread). Any fault of this thread reaches the main thread as `fatal` (shared/worker-link.ts).
 */
import { workerEnd } from '../shared/worker-link';
import { PageRelay } from './page-relay';
import { PageServer } from './page-server';
import type { FromWebWorker, ToWebWorker, WebWorkerStart } from './protocol';

const { start, send } = workerEnd<WebWorkerStart, FromWebWorker>();

const server = new PageServer({
  host: start.host,
  token: start.token,
  rank: start.rank,
  pid: start.pid,
  title: start.title,
  timeoutMs: start.timeoutMs,
  assets: start.assets,
  announce: start.announce,
  snapshot: start.snapshot,
  keeps: start.keeps,
  job: start.job,
  thrown: start.thrown,
  onSocket: (ws) => relay.connected(ws),
});
const relay = new PageRelay({
  rank: start.rank,
  pid: start.pid,
  title: start.title,
  timeoutMs: start.timeoutMs,
  snapshot: start.snapshot,
  toMain: send,
  server,
  onClosed: () => start.port.close(),
});

start.port.on('message', (m: ToWebWorker) => relay.fromMain(m));
server.listen(
  start.port0,
  start.tries,
  (port, url) => send({ type: 'listening', port, url }),
  (message) => send({ type: 'fatal', message }),
);
