// `ts-pdb dap` (issue #12): the time from an editor's `attach` to its first `stackTrace` answer,
// median (target <= 150 ms), the sequence VS Code runs: attach, the `initialized` event,
// configurationDone, the `stopped` event, stackTrace. Each run is a fresh adapter process (the
// built bin on stdio, driven by @vscode/debugadapter-testsupport's DebugClient), already through
// `initialize` when the clock starts; also reported: from spawning the adapter to that answer
// (what a user waits in all).
//
// 1. A snapshot of a real program (`ts-pdb run` in dump mode, test/dap/dap-helpers.mjs's APP).
// 2. A real program waiting in socket mode, attached by `{ rank: 0 }` (registry, socket, the
//    structured protocol); the first attach is reported apart (the rank loads its engine then),
//    and each run disconnects, leaving the rank waiting for the next.
//
//   node test/bench/dap-attach.mjs [--runs N]      (also a section of `npm run bench`; needs `npm run build`)
import { loadavg } from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { APP, initialize, snapshotOf, startAdapter, waitForEvents } from '../dap/dap-helpers.mjs';
import { startRun } from '../helpers/run-program.mjs';
import { linkedProject } from '../helpers/socket.mjs';
import { FAIL, formatInterval, median, medianInterval, verdict } from './stats.mjs';

/** Median time from attach to the first stackTrace answer, ms. */
export const DAP_ATTACH_TARGET_MS = 150;

/** One run: a fresh adapter; the times from spawn and from attach to the first stackTrace answer. */
async function once(attachArgs, env, cwd) {
  const hooks = [];
  const t = { after: (f) => hooks.push(f) };
  const spawned = performance.now();
  try {
    const { dc } = await startAdapter(t, { cwd, env });
    await initialize(dc);
    const start = performance.now();
    const initialized = dc.waitForEvent('initialized');
    await dc.attachRequest(attachArgs);
    await initialized;
    const stopped = waitForEvents(dc, 'stopped', 1);
    await dc.configurationDoneRequest();
    await stopped;
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const end = performance.now();
    if (!st.body.stackFrames.length) throw new Error('no frames');
    await dc.disconnectRequest({});
    return { attach: end - start, spawn: end - spawned };
  } finally {
    for (const f of hooks) await f();
  }
}

/**
 * Measures both: `runs` fresh adapters on a snapshot, then on a waiting rank (after its first attach).
 * @returns each run's times (ms): `snapshot` and `rank` (`{ attach, spawn }` each), `rankFirst`, the load
 *   average at the start and the end, the Node version.
 */
export async function dapAttach({ runs = 11, log = () => {} } = {}) {
  const load = [loadavg()[0]];
  const snap = snapshotOf();
  const snapshot = [];
  try {
    for (let i = 0; i < runs; i++) {
      log(`dap attach: snapshot run ${i + 1}/${runs}`);
      snapshot.push(await once({ snapshot: snap.file }, {}, snap.dir));
    }
  } finally {
    fs.rmSync(snap.dir, { recursive: true, force: true });
  }
  const dir = linkedProject('dap-bench-', APP);
  const home = path.join(dir, 'home');
  const run = startRun(dir, { IPDB_MODE: 'socket', TS_PDB_INSTRUMENT: 'all', IPDB_SOCK_PATH: path.join(dir, 'pdb.sock') });
  const rank = [];
  let rankFirst;
  try {
    await run.err.until(/connect with/);
    rankFirst = (await once({ rank: 0 }, { TS_PDB_HOME: home }, dir)).attach;
    for (let i = 0; i < runs; i++) {
      log(`dap attach: waiting rank run ${i + 1}/${runs}`);
      rank.push(await once({ rank: 0 }, { TS_PDB_HOME: home }, dir));
    }
  } finally {
    run.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  load.push(loadavg()[0]);
  return {
    node: process.versions.node,
    snapshot,
    rank,
    rankFirst,
    load,
    snapshotMedianMs: median(snapshot.map((x) => x.attach)),
    rankMedianMs: median(rank.map((x) => x.attach)),
  };
}

/** Prints the section's table; returns the number of rows that missed the target. */
export function printDapAttach(r) {
  const fmt = (x) => x.toFixed(1);
  const rows = [
    ['a snapshot: attach to the first stackTrace answer', r.snapshot.map((x) => x.attach), true],
    ['a snapshot: spawning the adapter to that answer (info)', r.snapshot.map((x) => x.spawn), false],
    ['a waiting rank (socket mode): attach to the first stackTrace answer', r.rank.map((x) => x.attach), true],
    ['a waiting rank: spawning the adapter to that answer (info)', r.rank.map((x) => x.spawn), false],
  ];
  console.log(`\n## \`ts-pdb dap\`: attach to the first stackTrace answer (Node ${r.node})\n`);
  console.log('| figure | median [95% interval] | range | runs | target | result |');
  console.log('|---|---:|---|---:|---|---|');
  let failed = 0;
  for (const [label, xs, judged] of rows) {
    const s = [...xs].sort((a, b) => a - b);
    const ci = medianInterval(xs);
    const v = verdict(ci, DAP_ATTACH_TARGET_MS);
    if (judged && v === FAIL) failed++;
    const target = judged ? `<= ${DAP_ATTACH_TARGET_MS} ms | ${v}` : '(info) |';
    console.log(`| ${label} | ${formatInterval(ci, 1, ' ms')} | ${fmt(s[0])}-${fmt(s.at(-1))} ms | ${xs.length} | ${target} |`);
  }
  console.log(
    `\nThe rank's first attach, which loads its engine: ${fmt(r.rankFirst)} ms. Load average (1 min) ${r.load[0].toFixed(2)} at the start, ${r.load[1].toFixed(2)} at the end.` +
      '\n(each run a fresh `ts-pdb dap` on stdio, driven by DebugClient, through `initialize` before the clock starts: attach, initialized, configurationDone, stopped, stackTrace; the rank is left waiting by each disconnect.)',
  );
  return failed;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 11;
  process.exitCode = printDapAttach(await dapAttach({ runs, log: (l) => process.stderr.write(l + '\n') })) ? 1 : 0;
}
