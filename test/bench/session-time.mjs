// Time to a usable console session, and memory after one (issue #8 items 4 and 6).
//
// A program built with the transform (ts.transpileModule + ts-pdb's transformer, so that no
// compiling is measured) runs with IPDB_DEBUG=1 IPDB_MODE=console in a real pseudo-terminal
// (node-pty, test/helpers/pty.mjs). It notes the time just before its marked function throws
// (performance.timeOrigin + performance.now(), written to the terminal).
// - Time runs: the figure is the time the `ipdb> ` prompt reaches the terminal's reader, less
//   that; then `c`.
// - Memory runs (`node --expose-gc`): the program takes heap and RSS after a full GC just before
//   the throw; the client runs a few commands (`p locals()`, `w`, `u`, `p data`, `l`) and `c`: the
//   error goes on, the program catches it and, two event-loop turns later (the console's worker
//   thread has ended), takes them again after a full GC.
//
//   node test/bench/session-time.mjs [time runs=7] [memory runs=3]   (also a section of `npm run bench`)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratch, writeBuild } from '../helpers/build.mjs';
import { spawnNode } from '../helpers/pty.mjs';

const PROGRAM = `import { writeSync } from 'node:fs';
declare const gc: () => void;

function memory() {
  if (typeof gc !== 'function') return undefined; // time runs: no GC, nothing measured
  gc();
  gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external };
}

// @debuggable
function fail(n: number) {
  const data = { n, list: [1, 2, 3], name: 'job-' + n };
  writeSync(1, 'THROW ' + (performance.timeOrigin + performance.now()) + '\\n');
  throw new Error('boom ' + data.name);
}

const before = memory();
try {
  fail(1);
} catch (e) {
  writeSync(1, 'CAUGHT ' + (e as Error).message + '\\n');
}
setImmediate(() => setImmediate(() => {
  const after = memory();
  writeSync(1, 'MEMORY ' + JSON.stringify({ before, after }) + '\\n');
}));
`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const COMMANDS = ['p locals()', 'w', 'u', 'p data', 'l'];

async function once(dir, js, withMemory) {
  const p = spawnNode([...(withMemory ? ['--expose-gc'] : []), js], {
    cwd: dir,
    env: {
      IPDB_DEBUG: '1',
      IPDB_MODE: 'console',
      CI: undefined,
      NO_COLOR: '1',
      TS_PDB_HISTORY: '',
      TS_PDB_HOME: path.join(dir, 'home'),
      RANK: undefined,
      WORLD_SIZE: undefined,
      IPDB_TIMEOUT: undefined,
    },
  });
  try {
    await p.waitFor(/ipdb> $/, 30_000);
    const promptAt = performance.timeOrigin + performance.now();
    const thrownAt = Number(/THROW ([\d.]+)/.exec(p.text)?.[1]);
    if (!withMemory) {
      p.type('c');
      await p.waitFor(/CAUGHT boom job-1\n/);
      await p.wait();
      return { promptMs: promptAt - thrownAt };
    }
    for (const c of COMMANDS) {
      p.type(c);
      await p.waitFor(/ipdb> $/);
    }
    if (!/data: \{ n: 1, list: \[ 1, 2, 3 \], name: 'job-1' \}|n: 1, list: \[ 1, 2, 3 \]/.test(p.text))
      throw new Error(`the session did not show the locals; seen:\n${p.text}`);
    p.type('c');
    const [, json] = await p.waitFor(/MEMORY (\{.*\})\n/);
    if (!/CAUGHT boom job-1/.test(p.text)) throw new Error(`the error did not go on to the program's catch; seen:\n${p.text}`);
    await p.wait();
    const { before, after } = JSON.parse(json);
    return {
      heapDelta: after.heapUsed - before.heapUsed,
      rssDelta: after.rss - before.rss,
      externalDelta: after.external - before.external,
      before,
      after,
    };
  } finally {
    p.kill();
  }
}

/**
 * `runs` timed console sessions, then `memoryRuns` with memory figures, one after the other;
 * each run's figures and the medians.
 */
export async function consoleSession(runs = 7, memoryRuns = 3) {
  const dir = scratch('session-time-');
  const js = writeBuild(dir, 'app', PROGRAM);
  const timed = [];
  const mem = [];
  try {
    for (let i = 0; i < runs; i++) timed.push(await once(dir, js, false));
    for (let i = 0; i < memoryRuns; i++) mem.push(await once(dir, js, true));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const m = (k) => median(mem.map((r) => r[k]));
  return {
    promptRuns: timed.map((r) => r.promptMs),
    promptMs: median(timed.map((r) => r.promptMs)),
    memoryRuns: mem,
    heapDelta: m('heapDelta'),
    rssDelta: m('rssDelta'),
    externalDelta: m('externalDelta'),
    heapBefore: median(mem.map((r) => r.before.heapUsed)),
    rssBefore: median(mem.map((r) => r.before.rss)),
    commands: COMMANDS,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await consoleSession(Number(process.argv[2] ?? 7), Number(process.argv[3] ?? 3));
  const mb = (b) => (b / 2 ** 20).toFixed(2) + ' MB';
  console.log(`console: throw to prompt ${r.promptRuns.map((x) => x.toFixed(1)).join(', ')} ms; median ${r.promptMs.toFixed(1)} ms`);
  console.log(
    `after the session (${r.commands.join('; ')}; c): heap ${mb(r.heapDelta)}, RSS ${mb(r.rssDelta)}, external ${mb(r.externalDelta)} more than before the throw (medians; before: heap ${mb(r.heapBefore)}, RSS ${mb(r.rssBefore)})`,
  );
}
