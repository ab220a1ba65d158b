// The floor under the console prompt and the web page (issue 19 §5): what Node alone takes to start
// a worker thread, the first in a fresh process, from `new Worker` to the first message of a thread
// that does nothing else. ts-pdb's console and web sessions must run their I/O on a thread of their
// own (the thread that threw stays stopped in its catch, in Atomics.wait), so no session of theirs
// can reach its prompt or page sooner than this, whatever ts-pdb loads.
//
// Each sample is a fresh process (the first worker of a process pays what later ones share) that
// times its one worker: wall time to the first message, and the process's CPU time meanwhile (both
// threads; the parent only waits). Medians over the samples; processes run one after the other.
// Touches nothing outside the processes it starts; prints to stdout.
//
//   node test/bench/micro/worker-start.mjs [samples=21]     (any Node line; also an info row of `npm run bench`)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = `
const { Worker } = require('node:worker_threads');
const c0 = process.cpuUsage();
const t0 = performance.now();
const w = new Worker("require('node:worker_threads').parentPort.postMessage(0)", { eval: true });
w.once('message', () => {
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ wall, cpu: (c.user + c.system) / 1e3 }));
  w.terminate();
});
`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Times `samples` fresh processes' first worker thread under this Node.
 * @param {number} [samples] default 21
 * @returns {{ wall: number[], cpu: number[] }} per process: ms to the first message, and CPU ms meanwhile
 */
export function workerStart(samples = 21) {
  const runs = [];
  for (let i = 0; i < samples; i++) {
    const r = spawnSync(process.execPath, ['-e', CHILD], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`worker-start child failed:\n${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
  }
  return { wall: runs.map((r) => r.wall), cpu: runs.map((r) => r.cpu) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const samples = Number(process.argv[2] ?? 21);
  const { wall, cpu } = workerStart(samples);
  console.log(`Node ${process.version}: ${samples} fresh processes, one worker thread each, \`new Worker\` to its first message`);
  console.log(`| figure | median | min..max |`);
  console.log(`|---|---:|---|`);
  console.log(`| wall time | ${median(wall).toFixed(1)} ms | ${Math.min(...wall).toFixed(1)}..${Math.max(...wall).toFixed(1)} |`);
  console.log(
    `| CPU time (both threads) | ${median(cpu).toFixed(1)} ms | ${Math.min(...cpu).toFixed(1)}..${Math.max(...cpu).toFixed(1)} |`,
  );
}
