// Socket mode: the time from a throw to its socket listening (issue #4 item 7, #8 item 4), and the
// CPU of waiting ranks.
// - One rank alone, five times: the time a user waits for a session to connect to (median).
// - N ranks of one job (32; 8 with --quick) throw at the same moment: every rank first starts up
//   (compiling its TypeScript), reports ready, and throws when the job says go, so that the figure
//   is the cost of opening the sessions, not of the ranks' start-up. On a machine with C CPUs,
//   N ranks that each need T ms of CPU to open a session share the C CPUs: the median is about
//   N x T / (2C) when N is much larger than C.
// Measured from the rank's own timestamp just before its throw to its box arriving on the job's
// stderr (the box is written after the socket listens), median and max; and the CPU the waiting
// ranks use (from /proc/<pid>/stat over a 2-second window while all of them wait).
//   node test/bench/socket-wait.mjs [--quick]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
const WINDOW_MS = 2000;
const TARGET_MS = 100;
const SOLO_RUNS = 5;

const app = (RANKS) => `import { fork } from 'node:child_process';
// @debuggable
function shard(rank: number) {
  const rows = rank * 100;
  process.stderr.write(\`THROW \${rank} \${Date.now()}\\n\`);
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

/** utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15). */
function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Runs one job of `RANKS` ranks; resolves with its figures. */
function job(RANKS) {
  const dir = scratch('socket-wait-');
  fs.writeFileSync(path.join(dir, 'app.ts'), app(RANKS));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'socket-wait' }));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'ts-pdb'), 'dir');
  const prefix = path.join(dir, 'pdb.sock');
  const job = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      CI: 'true',
      IPDB_SOCK_PATH: prefix,
      NO_COLOR: '1',
      TS_PDB_HOME: path.join(dir, 'home'),
      RANK: '',
      WORLD_SIZE: '',
    },
  });
  const thrown = new Map();
  const listening = new Map();
  const pids = new Map();
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      job.kill('SIGKILL');
      reject(new Error(`not all ${RANKS} ranks listened; seen:\n${text.slice(-2000)}`));
    }, 180_000);
    job.stderr.setEncoding('utf8').on('data', (d) => {
      const now = Date.now();
      text += d;
      for (const m of d.matchAll(/THROW (\d+) (\d+)/g)) thrown.set(Number(m[1]), Number(m[2]));
      for (const m of d.matchAll(/ts-pdb: rank (\d+) \(pid (\d+)\) stopped/g)) {
        listening.set(Number(m[1]), now);
        pids.set(Number(m[1]), Number(m[2]));
      }
      if (listening.size < RANKS) return;
      clearTimeout(timer);
      // Every rank waits: CPU over a window.
      const before = new Map([...pids].map(([r, pid]) => [r, cpuTicks(pid)]));
      const started = Date.now();
      setTimeout(() => {
        const seconds = (Date.now() - started) / 1000;
        const cpu = [...pids].map(([r, pid]) => ((cpuTicks(pid) - before.get(r)) / 100 / seconds) * 100);
        job.kill('SIGKILL');
        for (const pid of pids.values()) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        const delays = [...listening].map(([r, t]) => t - thrown.get(r)).sort((a, b) => a - b);
        cpu.sort((a, b) => a - b);
        resolve({
          ranks: RANKS,
          delays,
          medianMs: delays[delays.length >> 1],
          maxMs: delays.at(-1),
          cpuMedianPct: cpu[cpu.length >> 1],
          cpuMaxPct: cpu.at(-1),
          windowS: seconds,
        });
      }, WINDOW_MS);
    });
  });
}

/** Runs the figures: one rank alone ({@link SOLO_RUNS} times), then N ranks at once. */
export async function socketWait({ quick = false } = {}) {
  const solo = [];
  for (let i = 0; i < SOLO_RUNS; i++) solo.push((await job(1)).medianMs);
  solo.sort((a, b) => a - b);
  const many = await job(quick ? 8 : 32);
  return { ...many, soloMs: solo, soloMedianMs: solo[solo.length >> 1], cpus: (await import('node:os')).availableParallelism() };
}

/** Prints the table; returns how many targets were missed. */
export function printSocketWait(r) {
  console.log(`\n## Socket mode: throw to listening, and waiting ranks (${r.cpus} CPUs)\n`);
  console.log('| figure | value | target | result |');
  console.log('|---|---:|---|---|');
  const pass = (ok) => (ok ? 'PASS' : 'FAIL');
  console.log(
    `| one rank, throw to listening, median of ${r.soloMs.length} | ${r.soloMedianMs} ms (${r.soloMs.join(', ')}) | <= ${TARGET_MS} ms | ${pass(r.soloMedianMs <= TARGET_MS)} |`,
  );
  console.log(
    `| ${r.ranks} ranks throwing at once, throw to listening, median | ${r.medianMs} ms | <= ${TARGET_MS} ms | ${pass(r.medianMs <= TARGET_MS)} |`,
  );
  console.log(`| ${r.ranks} ranks throwing at once, slowest rank | ${r.maxMs} ms | (info) | |`);
  console.log(
    `| CPU of a waiting rank over ${r.windowS.toFixed(1)} s, median / max | ${r.cpuMedianPct.toFixed(1)}% / ${r.cpuMaxPct.toFixed(1)}% | ~0% | ${pass(r.cpuMaxPct < 1)} |`,
  );
  const missed = (r.soloMedianMs <= TARGET_MS ? 0 : 1) + (r.medianMs <= TARGET_MS ? 0 : 1) + (r.cpuMaxPct < 1 ? 0 : 1);
  console.log(
    "\n(time from the rank's own timestamp just before its throw to its box arriving on the job's stderr, which comes after the socket listens; the ranks start up first and throw together; CPU from /proc/<pid>/stat, utime + stime)",
  );
  return missed;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  if (built.status !== 0) throw new Error('npm run build failed');
  printSocketWait(await socketWait({ quick: process.argv.includes('--quick') }));
}
