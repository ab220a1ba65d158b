// Socket mode: from a throw to its socket listening (issue #4 item 7, #8 item 4, #19 §4), the CPU a
// rank spends on it, whether every rank answers, and the CPU of waiting ranks.
// - One rank alone, five times: the time a user waits for a session to connect to (median).
// - N ranks of one job (64; 8 with --quick; --ranks N) throw at the same moment: every rank first
//   starts up (compiling its TypeScript), reports ready, and throws when the job says go, so that
//   the figures are the cost of opening the sessions, not of the ranks' start-up. On a machine with
//   C CPUs, N ranks that each need T ms of CPU to listen share the C CPUs: the last one listens
//   about N x T / C after the throw (64 x 15 ms / 2 CPUs = 480 ms), whatever the design.
// Measured:
// - throw to listening: from the rank's own timestamp just before its throw to its box arriving
//   on the job's stderr (the box is written once the socket listens), median and slowest;
// - CPU from throw to listening, per rank: the rank writes process.cpuUsage() just before its
//   throw, and ts-pdb writes it again right after the box when TS_PDB_BENCH_CPU=1 asks
//   (socket/announce.ts); all threads of the process, in microseconds (not /proc ticks of 10 ms);
// - the CPU of waiting ranks, once they are settled (their worker threads started), from
//   /proc/<pid>/stat over a 2-second window;
// - reachability: then every rank's socket is connected to at once, and must answer with its
//   prompt; the time from connecting to the prompt (the session engine loads then).
//   node test/bench/socket-wait.mjs [--quick] [--ranks N]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';
import { FAIL, formatInterval, median, medianInterval, PASS, verdict } from './stats.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
const WINDOW_MS = 2000;
/** One rank alone: throw to listening, median (issue #19 §4: 51 ms on Node 20 before). */
const SOLO_TARGET_MS = 30;
/** CPU a rank spends from its throw to listening, median (issue #19 §4). */
const CPU_TARGET_MS = 15;
const SOLO_RUNS = 5;
/** Longest wait for a rank's prompt once connected, and for the ranks to settle. */
const ANSWER_TIMEOUT_MS = 60_000;
const SETTLE_TIMEOUT_MS = 20_000;

const app = (RANKS) => `import { fork } from 'node:child_process';
// @debuggable
function shard(rank: number) {
  const rows = rank * 100;
  const cpu = process.cpuUsage();
  process.stderr.write(\`THROW \${rank} \${Date.now()} \${cpu.user + cpu.system}\\n\`);
  throw new Error(\`rank \${rank} lost \${rows} rows\`);
}
if (!process.env.RANK) {
  const ranks = Array.from({ length: ${RANKS} }, (_, r) => fork(__filename, [], { env: { ...process.env, RANK: String(r), WORLD_SIZE: '${RANKS}', IPDB_MODE: 'socket' } }));
  let ready = 0;
  for (const child of ranks) child.on('message', () => { if (++ready === ranks.length) for (const c of ranks) c.send('go'); });
} else {
  process.on('message', () => { process.disconnect(); shard(Number(process.env.RANK)); });
  process.send!('ready');
}
`;

/** utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15); undefined when it is gone. */
function cpuTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves once the ranks use no CPU over 300 ms (their threads started), or after {@link SETTLE_TIMEOUT_MS}; the time it took.
 * A bounded poll, not a wait for an event: nothing tells when a rank's worker has finished booting
 * but its CPU ticks (/proc/<pid>/stat), which only a read shows.
 */
async function settle(pids) {
  const started = Date.now();
  let before = pids.map(cpuTicks);
  while (Date.now() - started < SETTLE_TIMEOUT_MS) {
    await wait(300);
    const now = pids.map(cpuTicks);
    const busy = now.some((t, i) => t !== before[i]);
    before = now;
    if (!busy) break;
  }
  return Date.now() - started;
}

/** Connects to `where` (a socket path) and resolves with the ms until one of the `prompt`s arrives, or with the error (what was seen). */
function answer(where, prompt) {
  return new Promise((resolve) => {
    const started = Date.now();
    let seen = '';
    const socket = net.connect(where);
    const timer = setTimeout(
      () => done({ error: `no prompt within ${ANSWER_TIMEOUT_MS} ms; seen: ${JSON.stringify(seen.slice(-200))}` }),
      ANSWER_TIMEOUT_MS,
    );
    const done = (r) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      seen += d;
      if (prompt.some((p) => seen.endsWith(p))) done({ ms: Date.now() - started });
    });
    socket.on('error', (e) => done({ error: `${e.code ?? e.message}; seen: ${JSON.stringify(seen.slice(-200))}` }));
    socket.on('close', () => done({ error: `closed; seen: ${JSON.stringify(seen.slice(-200))}` }));
  });
}

/** Runs one job of `RANKS` ranks; resolves with its figures (`solo`: without the waiting window). */
async function job(RANKS, { solo = false } = {}) {
  const dir = scratch('socket-wait-');
  fs.writeFileSync(path.join(dir, 'app.ts'), app(RANKS));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'socket-wait' }));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'ts-pdb'), 'dir');
  const prefix = path.join(dir, 'pdb.sock');
  const child = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      CI: 'true',
      IPDB_SOCK_PATH: prefix,
      NO_COLOR: '1',
      TS_PDB_HOME: path.join(dir, 'home'),
      TS_PDB_BENCH_CPU: '1',
      RANK: '',
      WORLD_SIZE: '',
    },
  });
  const thrown = new Map(); // rank -> { ms, cpuUs }
  const listening = new Map(); // rank -> { ms, pid, path }
  const cpuAtListen = new Map(); // rank -> cpu µs
  let text = '';
  const kill = (pids) => {
    child.kill('SIGKILL');
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill([...listening.values()].map((l) => l.pid));
      reject(new Error(`not all ${RANKS} ranks listened (${listening.size} did); seen:\n${text.slice(-2000)}`));
    }, 180_000);
    const box = /ts-pdb: rank (\d+) \(pid (\d+)\) stopped:[^\n]*\n[^\n]*connect with: +nc -U (\S+)/g;
    child.stderr.setEncoding('utf8').on('data', (d) => {
      const now = Date.now();
      text += d;
      for (const m of d.matchAll(/THROW (\d+) (\d+) (\d+)/g)) thrown.set(Number(m[1]), { ms: Number(m[2]), cpuUs: Number(m[3]) });
      for (const m of d.matchAll(/ts-pdb-bench: rank (\d+) listening cpu-us (\d+)/g)) cpuAtListen.set(Number(m[1]), Number(m[2]));
      box.lastIndex = 0;
      for (const m of text.matchAll(box))
        if (!listening.has(Number(m[1]))) listening.set(Number(m[1]), { ms: now, pid: Number(m[2]), path: m[3] });
      if (listening.size === RANKS && cpuAtListen.size === RANKS) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const pids = [...listening.values()].map((l) => l.pid);
  try {
    const ranks = [...listening.keys()];
    const delays = ranks.map((r) => listening.get(r).ms - thrown.get(r).ms).sort((a, b) => a - b);
    const cpuMs = ranks.map((r) => (cpuAtListen.get(r) - thrown.get(r).cpuUs) / 1000).sort((a, b) => a - b);
    // Waiting ranks: once settled, their CPU over a window.
    const settledMs = await settle(pids);
    const before = pids.map(cpuTicks);
    const started = Date.now();
    await wait(solo ? 0 : WINDOW_MS);
    const seconds = (Date.now() - started) / 1000;
    const cpu = pids
      .map((pid, i) => (((cpuTicks(pid) ?? before[i]) - before[i]) / 100 / Math.max(seconds, 0.001)) * 100)
      .sort((a, b) => a - b);
    // Reachability: every rank at once, as many users (or a script) would.
    const answers = await Promise.all(ranks.map((r) => answer(listening.get(r).path, [`(rank-${r}-pdb) `, 'ipdb> '])));
    const answered = answers.filter((a) => a.ms !== undefined).map((a) => a.ms);
    const lost = ranks.filter((_, i) => answers[i].ms === undefined).map((r, i) => `rank ${r}: ${answers[i].error}`);
    return {
      ranks: RANKS,
      delays,
      medianMs: median(delays),
      maxMs: delays.at(-1),
      cpuListenMs: cpuMs,
      cpuListenMedianMs: median(cpuMs),
      cpuListenMaxMs: cpuMs.at(-1),
      settledMs,
      cpuMedianPct: median(cpu),
      cpuMaxPct: cpu.at(-1),
      windowS: seconds,
      reachable: answered.length,
      lost,
      answerMedianMs: answered.length ? median(answered) : undefined,
      answerMaxMs: answered.length ? Math.max(...answered) : undefined,
    };
  } finally {
    kill(pids);
  }
}

/** Runs the figures: one rank alone ({@link SOLO_RUNS} times), then N ranks at once (64; 8 when quick; `ranks` to choose). */
export async function socketWait({ quick = false, ranks } = {}) {
  const solo = [];
  const soloCpu = [];
  for (let i = 0; i < SOLO_RUNS; i++) {
    const one = await job(1, { solo: true });
    if (one.reachable !== 1) throw new Error(`the one rank did not answer: ${one.lost.join('; ')}`);
    solo.push(one.medianMs);
    soloCpu.push(one.cpuListenMedianMs);
  }
  const many = await job(ranks ?? (quick ? 8 : 64));
  const cpus = os.availableParallelism();
  return {
    ...many,
    soloMs: [...solo].sort((a, b) => a - b),
    soloMedianMs: median(solo),
    soloCpuMs: soloCpu.sort((a, b) => a - b),
    soloCpuMedianMs: median(soloCpu),
    cpus,
    // The least any design can do: every rank's CPU to listen, shared by the CPUs.
    floorMs: Math.round((many.ranks * CPU_TARGET_MS) / cpus),
    node: process.version,
    load: os.loadavg()[0],
  };
}

/** Prints the table; returns how many targets were missed (the one-rank time among them). */
export function printSocketWait(r) {
  const f1 = (x) => (x === undefined ? '-' : x.toFixed(1));
  console.log(`\n## Socket mode: throw to listening, and waiting ranks (${r.cpus} CPUs, Node ${r.node}, load ${r.load.toFixed(2)})\n`);
  console.log('| figure | value | target | result |');
  console.log('|---|---:|---|---|');
  const pass = (ok) => (ok ? PASS : FAIL);
  // The medians are judged on their 95% bootstrap intervals (stats.mjs), as every row of npm run bench.
  const soloCi = medianInterval(r.soloMs);
  const cpuCi = medianInterval(r.cpuListenMs);
  const soloVerdict = verdict(soloCi, SOLO_TARGET_MS);
  const cpuVerdict = verdict(cpuCi, CPU_TARGET_MS);
  console.log(
    `| one rank, throw to listening, median of ${r.soloMs.length} [95% interval] | ${formatInterval(soloCi, 1, ' ms')} (${r.soloMs.join(', ')}) | <= ${SOLO_TARGET_MS} ms | ${soloVerdict} |`,
  );
  console.log(
    `| one rank, CPU from throw to listening, median | ${f1(r.soloCpuMedianMs)} ms (${r.soloCpuMs.map(f1).join(', ')}) | (info) | |`,
  );
  console.log(
    `| ${r.ranks} ranks throwing at once, CPU per rank from throw to listening, median [95% interval] / max | ${formatInterval(cpuCi, 1, ' ms')} / ${f1(r.cpuListenMaxMs)} ms | median <= ${CPU_TARGET_MS} ms | ${cpuVerdict} |`,
  );
  console.log(
    `| ${r.ranks} ranks throwing at once, throw to listening, median / slowest | ${r.medianMs} / ${r.maxMs} ms | (info; floor ~${r.floorMs} ms at ${CPU_TARGET_MS} ms of CPU per rank) | |`,
  );
  console.log(`| ${r.ranks} ranks, settled (worker threads started) after the last listened | ${r.settledMs} ms | (info) | |`);
  console.log(
    `| ${r.ranks} ranks, reachable: connected to at once, answered with their prompt | ${r.reachable} of ${r.ranks} | all | ${pass(r.reachable === r.ranks)} |`,
  );
  console.log(
    `| ${r.ranks} ranks, connect to prompt, median / slowest | ${r.answerMedianMs ?? '-'} / ${r.answerMaxMs ?? '-'} ms | (info) | |`,
  );
  console.log(
    `| CPU of a waiting rank over ${r.windowS.toFixed(1)} s, median / max | ${r.cpuMedianPct.toFixed(1)}% / ${r.cpuMaxPct.toFixed(1)}% | ~0% | ${pass(r.cpuMaxPct < 1)} |`,
  );
  for (const l of r.lost) console.log(`  lost: ${l}`);
  const missed =
    (soloVerdict === FAIL ? 1 : 0) + (cpuVerdict === FAIL ? 1 : 0) + (r.reachable === r.ranks ? 0 : 1) + (r.cpuMaxPct < 1 ? 0 : 1);
  console.log(
    "\n(time from the rank's own timestamp just before its throw to its box arriving on the job's stderr, which comes after the socket listens; the ranks start up first and throw together; CPU to listening from process.cpuUsage() in the rank, before its throw and after its box (TS_PDB_BENCH_CPU=1); waiting CPU from /proc/<pid>/stat, utime + stime, once the ranks settled; snapshots on, as by default)",
  );
  return missed;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  if (built.status !== 0) throw new Error('npm run build failed');
  const at = process.argv.indexOf('--ranks');
  const r = await socketWait({ quick: process.argv.includes('--quick'), ranks: at > 0 ? Number(process.argv[at + 1]) : undefined });
  printSocketWait(r);
  if (process.argv.includes('--json')) console.log(JSON.stringify(r));
}
