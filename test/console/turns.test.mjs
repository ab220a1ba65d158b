// Console mode across ranks (issue #4 item 5, docs/SPEC.md §3): three ranks of one job share the terminal
// of a real pseudo-terminal, and their stdin is taken away by the launcher (read through /dev/tty).
// Rank 0's session comes first; ranks 2 and 1 wait for it (2 starts waiting first), using no CPU;
// when rank 0 quits, the lowest waiting rank (1) gets the terminal, then 2. Each session's prompt
// names its rank, and each rank ends with its own error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { spawnNode } from '../helpers/pty.mjs';
import { linkedProject } from '../helpers/socket.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');

// The primary forks ranks 0..2 with their stdin ignored. Rank 0 throws at once; ranks 1 and 2 throw
// when the test says so, over a control socket, so that the order of waiting is known; the primary
// relays the ranks' stderr and tells the test when a rank says it waits.
const APP = `import { fork } from 'node:child_process';
import net from 'node:net';

// @debuggable
function step(rank: number) {
  const loss = rank === 0 ? NaN : rank * 1.5;
  throw new Error(\`rank \${rank} failed with loss \${loss}\`);
}

if (!process.env.RANK) {
  const ranks = [0, 1, 2].map((r) => fork(__filename, [], {
    env: { ...process.env, RANK: String(r), WORLD_SIZE: '3', IPDB_MODE: 'console' },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  }));
  let control: net.Socket | undefined;
  ranks.forEach((child, r) => {
    child.stderr!.on('data', (d: Buffer) => {
      process.stderr.write(d);
      if (/waits for the terminal/.test(String(d))) control?.write(\`waiting \${r}\\n\`);
    });
  });
  const codes: string[] = [];
  ranks.forEach((child, r) => child.on('exit', (code) => {
    codes.push(\`rank \${r} exit \${code}\`);
    if (codes.length === 3) { console.log(codes.sort().join('; ')); control?.end(); server.close(); }
  }));
  const server = net.createServer((s) => {
    control = s;
    s.setEncoding('utf8').on('data', (d: string) => {
      for (const m of d.matchAll(/go (\\d)/g)) ranks[Number(m[1])].send('go');
    });
  }).listen(process.env.CONTROL!);
} else {
  const rank = Number(process.env.RANK);
  if (rank === 0) step(rank);
  else process.on('message', () => { process.disconnect(); step(rank); });
}
`;

/** utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15). */
function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Voluntary context switches of a process's main thread (/proc/<pid>/status): one per sleep that ended. */
function voluntarySwitches(pid) {
  return Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}

/** Resolves once `condition()` holds, looking every 20 ms; fails with `seen()` after 15 s. */
function until(condition, seen) {
  return new Promise((resolve, reject) => {
    const end = Date.now() + 15_000;
    const look = () => {
      if (condition()) resolve();
      else if (Date.now() > end) reject(new Error(seen()));
      else setTimeout(look, 20);
    };
    look();
  });
}

test('console turns: rank 0 first, then the lowest waiting rank; waiting ranks use no CPU; each ends with its own error', async () => {
  const dir = linkedProject('turns-', APP);
  const control = path.join(dir, 'control.sock');
  const p = spawnNode([CLI, 'run', 'app.ts'], {
    cwd: dir,
    env: {
      CONTROL: control,
      TS_PDB_HOME: path.join(dir, 'home'),
      TS_PDB_HISTORY: path.join(dir, 'history'),
      NO_COLOR: '1',
      CI: undefined,
      RANK: undefined,
      WORLD_SIZE: undefined,
      IPDB_MODE: undefined,
    },
  });
  try {
    await p.waitFor(/\(rank-0-pdb\) $/);
    // The control socket listens before rank 0 can throw; connect and let rank 2, then rank 1, wait.
    const ctl = net.connect(control);
    ctl.setEncoding('utf8');
    const said = [];
    const saw = (what) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (said.join('').includes(what)) {
            ctl.off('data', on);
            clearTimeout(t);
            resolve();
          }
        };
        const on = (d) => {
          said.push(d);
          check();
        };
        const t = setTimeout(
          () => reject(new Error(`the job did not say ${JSON.stringify(what)}; said: ${said.join('')}\nterminal:\n${p.text}`)),
          15_000,
        );
        ctl.on('data', on);
        check();
      });
    ctl.write('go 2\n');
    await saw('waiting 2');
    ctl.write('go 1\n');
    await saw('waiting 1');
    const waiting = p.text.match(/ts-pdb: rank 2 \(pid (\d+)\) stopped: Error: rank 2 failed with loss 3\n/);
    assert.ok(waiting, p.text);
    assert.match(p.text, /ts-pdb: rank 2 waits for the terminal \(rank 0, pid \d+, has it\)/);

    // A waiting rank sleeps: its CPU over ten of its looks at the lock, about one second (py_debug's
    // loop would use 100%). Each look ends a sleep in Atomics.wait: a voluntary context switch of
    // its main thread, so the window is counted in looks, not timed by the test.
    const pid = Number(waiting[1]);
    const before = cpuTicks(pid);
    const sleeps = voluntarySwitches(pid);
    await until(
      () => voluntarySwitches(pid) - sleeps >= 10,
      () => `rank 2 (pid ${pid}) did not look at the lock 10 times ` + `(${voluntarySwitches(pid) - sleeps} sleeps)`,
    );
    const used = cpuTicks(pid) - before;
    assert.ok(used <= 3, `rank 2 used ${used * 10} ms of CPU in ten looks at the lock (about one second of waiting)`);

    p.type('p loss');
    await p.waitFor(/\nNaN\n\(rank-0-pdb\) $/);
    p.type('q');
    // Rank 1 waited second but has the lower rank: it goes next.
    await p.waitFor(/\(rank-1-pdb\) $/);
    p.type('p [rank, loss]');
    await p.waitFor(/\[ 1, 1\.5 \]\n\(rank-1-pdb\) $/);
    p.type('q');
    await p.waitFor(/\(rank-2-pdb\) $/);
    p.type('p rank');
    await p.waitFor(/\n2\n\(rank-2-pdb\) $/);
    p.type('q');
    await p.waitFor(/rank 0 exit 1; rank 1 exit 1; rank 2 exit 1/);
    for (const r of [0, 1, 2])
      assert.match(p.text, new RegExp(`Error: rank ${r} failed with loss \\S+\\n {4}at step \\(.*app\\.ts:7:\\d+\\)`));
    ctl.destroy();
    assert.equal((await p.wait()).exitCode, 0);
  } finally {
    p.kill();
  }
});

// Node's cluster keeps its workers in the terminal's foreground process group (they are forked
// into the primary's group), so IPDB_MODE=console workers take turns on the terminal, as the
// README says; under mpirun they cannot (test/console/background.test.mjs).
const CLUSTER_APP = `import cluster from 'node:cluster';

// @debuggable
function work(id: number) {
  const shard = { id, items: id * 10 };
  if (id > 1) throw new Error(\`worker \${id} failed on shard \${shard.items}\`);
  return shard.items;
}

if (cluster.isPrimary) {
  const results: string[] = [];
  for (let i = 0; i < 3; i++) cluster.fork();
  cluster.on('exit', (w, code) => {
    results.push(\`worker \${w.id} exit \${code}\`);
    if (results.length === 3) console.log(results.sort().join('; '));
  });
} else {
  console.log(\`worker \${cluster.worker!.id} did \${work(cluster.worker!.id)}\`);
  process.exit(0);
}
`;

test('cluster, IPDB_MODE=console, workers 2 and 3 failing: they take turns on the terminal, one session after the other', async () => {
  const dir = linkedProject('turns-cluster-', CLUSTER_APP);
  const p = spawnNode([CLI, 'run', 'app.ts'], {
    cwd: dir,
    env: {
      IPDB_MODE: 'console',
      TS_PDB_HOME: path.join(dir, 'home'),
      TS_PDB_HISTORY: '',
      NO_COLOR: '1',
      CI: undefined,
      RANK: undefined,
      WORLD_SIZE: undefined,
      LOCAL_RANK: undefined,
    },
  });
  try {
    // The first session's prompts need not be last on the screen, nor right after the answer: the
    // other processes write to the same terminal meanwhile (worker 1's result, the other rank's
    // "waits for the terminal" and its snapshot line).
    const first = (await p.waitFor(/\(rank-([23])-pdb\) /, 60_000))[1];
    const second = first === '2' ? '3' : '2';
    p.type('p shard');
    await p.waitFor(new RegExp(`\\{ id: ${first}, items: ${first}0 \\}\\n(?:.*\\n)*?\\(rank-${first}-pdb\\) `));
    p.type('q');
    await p.waitFor(new RegExp(`\\(rank-${second}-pdb\\) $`));
    p.type('p shard');
    await p.waitFor(new RegExp(`\\{ id: ${second}, items: ${second}0 \\}\\n\\(rank-${second}-pdb\\) $`));
    p.type('q');
    await p.waitFor(/worker 1 exit 0; worker 2 exit 1; worker 3 exit 1/);
    assert.match(p.text, /worker 1 did 10/);
    assert.doesNotMatch(p.text, /console mode is not possible/);
    assert.equal((await p.wait()).exitCode, 0);
  } finally {
    p.kill();
  }
});
