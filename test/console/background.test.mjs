// Nothing hangs, whatever the launcher does with the terminal (issue #9 item 2). A process that is
// not in its terminal's foreground process group is stopped (state T, SIGTTIN/SIGTTOU) as soon as
// it reads the terminal or sets raw mode. mpirun runs every rank so, and a shell runs `cmd &` so.
// Such a process must never touch the terminal: its console session becomes a socket session whose
// box (and `ts-pdb ls`) says why, and a client reaches it with `nc -U`.
//
// Both tests run in a real pseudo-terminal, the way a user types the command. Today's code (before
// this change) left the ranks stopped: each wait is bounded and prints the screen and the state of
// every process of the job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { describeTree, killTree, processTree } from '../helpers/process-group.mjs';
import { Pty } from '../helpers/pty.mjs';
import { collect, linkedProject, needMpirun, needNc } from '../helpers/socket.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
/** Three ranks start node and compile app.ts at once, on a small machine shared with other test runs. */
const WAIT_MS = 60_000;

/** Resolves with the match once the whole screen matches `pattern`; after `ms`, fails with the screen and the job's processes. */
function onScreen(p, pattern, ms = WAIT_MS) {
  return new Promise((resolve, reject) => {
    const end = Date.now() + ms;
    const look = () => {
      const m = pattern.exec(p.text);
      if (m) resolve(m);
      else if (Date.now() > end || p.exit)
        reject(
          new Error(
            `no ${pattern} on the screen within ${ms} ms${p.exit ? ` (exited: ${JSON.stringify(p.exit)})` : ''}; screen:\n${p.text}\nprocesses:\n${describeTree(p.proc.pid)}`,
          ),
        );
      else setTimeout(look, 20);
    };
    look();
  });
}

/** The lines of a box joined into one text (a note is wrapped over several lines). */
function boxText(lines) {
  return lines
    .split('\n')
    .map((l) => l.replace(/^\| /, '').replace(/ *\|$/, ''))
    .join(' ')
    .trim();
}

/** A box of rank `rank`: its pid, its note and the socket it waits on. */
function boxOf(rank, error) {
  return new RegExp(
    `\\| ts-pdb: rank ${rank} \\(pid (\\d+)\\) stopped: ${error} +\\|\\n((?:\\| (?!connect with).*\\|\\n)*)\\| connect with: {2}nc -U (\\S+) +\\|`,
  );
}

const MPI_APP = `// @debuggable
function reduceShard(rank: number) {
  const shard = { rank, rows: rank * 100 };
  if (rank > 0) throw new Error(\`rank \${rank}: checksum mismatch in shard of \${shard.rows} rows\`);
  return shard.rows;
}

const rank = Number(process.env.OMPI_COMM_WORLD_RANK);
console.log(\`rank \${rank} of \${process.env.OMPI_COMM_WORLD_SIZE} reduced \${reduceShard(rank)} rows\`);
`;

test("mpirun -np 3 -x IPDB_MODE=console in a terminal, ranks 1 and 2 failing: no rank is stopped; each waits on its socket and says why; nc -U reads rank 1's local; the job ends with its error", async (t) => {
  if (!needMpirun(t) || !needNc(t)) return;
  const dir = linkedProject('mpirun-tty-', MPI_APP);
  const prefix = path.join(dir, 'pdb.sock');
  const env = {
    CI: undefined,
    NO_COLOR: '1',
    IPDB_SOCK_PATH: prefix,
    TS_PDB_HOME: path.join(dir, 'home'),
    TS_PDB_HISTORY: '',
    IPDB_MODE: undefined,
    IPDB_DEBUG: undefined,
    RANK: undefined,
    LOCAL_RANK: undefined,
    WORLD_SIZE: undefined,
    // A rank left waiting by a test that failed half-way ends by itself.
    IPDB_TIMEOUT: '300',
    OMPI_ALLOW_RUN_AS_ROOT: '1',
    OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1',
  };
  const p = new Pty(
    'mpirun',
    ['--oversubscribe', '-np', '3', '-x', 'IPDB_MODE=console', '-x', 'IPDB_DEBUG=1', process.execPath, CLI, 'run', 'app.ts'],
    { cwd: dir, env },
  );
  // Each rank leads a process group of its own: killing mpirun's group would leave them behind.
  t.after(() => {
    killTree(p.proc.pid);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const box1 = await onScreen(p, boxOf(1, 'Error: rank 1: checksum mismatch in shard of 100 rows'));
  const box2 = await onScreen(p, boxOf(2, 'Error: rank 2: checksum mismatch in shard of 200 rows'));
  for (const box of [box1, box2]) {
    assert.match(
      boxText(box[2]),
      /^console mode is not possible here: mpirun runs this rank in the background of the terminal, where reading the terminal would stop the rank; so this rank waits on a socket instead$/,
    );
  }
  assert.equal(box1[3], `${prefix}.1`);
  assert.equal(box2[3], `${prefix}.2`);
  await onScreen(p, /^rank 0 of 3 reduced 0 rows$/m);

  // Nothing of the job is stopped, and the waiting ranks are where mpirun put them: in the background.
  const tree = processTree(p.proc.pid);
  assert.deepEqual(
    tree.filter((q) => q.state === 'T'),
    [],
    `no process of the job is stopped\n${describeTree(p.proc.pid)}`,
  );
  for (const box of [box1, box2]) {
    const rank = tree.find((q) => q.pid === Number(box[1]));
    assert.ok(rank, `the waiting rank (pid ${box[1]}) is in the job\n${describeTree(p.proc.pid)}`);
    assert.notEqual(rank.pgrp, rank.tpgid, `the rank is not in the terminal's foreground group\n${describeTree(p.proc.pid)}`);
  }

  // ts-pdb ls shows both, each with the same note.
  const ls = spawnSync(process.execPath, [CLI, 'ls'], { encoding: 'utf8', env: { ...process.env, TS_PDB_HOME: env.TS_PDB_HOME } });
  assert.match(
    ls.stdout,
    new RegExp(
      `^1 +${box1[1]} +\\S+ +socket +${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.1 .*Error: rank 1: checksum mismatch.*\\n +note: console mode is not possible here: mpirun runs this rank in the background of the terminal`,
      'm',
    ),
    ls.stdout,
  );
  assert.match(
    ls.stdout,
    new RegExp(`^2 +${box2[1]} +\\S+ +socket +.*\\n +note: console mode is not possible here: mpirun runs this rank`, 'm'),
    ls.stdout,
  );

  const nc = spawn('nc', ['-U', box1[3]], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => nc.kill());
  const seen = collect(nc.stdout, 'nc', WAIT_MS);
  await seen.until(/\(rank-1-pdb\) $/);
  assert.match(seen.text, /^> app\.ts\(4\)reduceShard\(\)$/m, 'the session is at the throw, in app.ts');
  nc.stdin.write('p shard\n');
  await seen.until(/\{ rank: 1, rows: 100 \}\n\(rank-1-pdb\) $/);
  nc.stdin.write('q\n');

  // Rank 1 ends with its error; mpirun then ends the job (rank 2 too) and names rank 1.
  const { exitCode } = await p.wait(WAIT_MS);
  assert.match(
    p.text,
    /Error: rank 1: checksum mismatch in shard of 100 rows\n {4}at reduceShard \(.*app\.ts:4:\d+\)/,
    "rank 1's original error, at its TypeScript line",
  );
  assert.match(p.text, /Process name: +\[\[\d+,1\],1\]\n\s*Exit code: +1/, `mpirun reports rank 1 as the failed process\n${p.text}`);
  assert.notEqual(exitCode, 0);
});

const SHELL_APP = `// @debuggable
function parse(line: string) {
  const fields = line.split(',');
  if (fields.length < 3) throw new RangeError(\`expected 3 fields, got \${fields.length}\`);
  return fields;
}

console.log('parsing');
parse('a,b');
`;

test('a shell background job (node app.js & in bash -i): not stopped; its box says why it waits on a socket; nc -U reads a local; the job ends with its error', async (t) => {
  if (!needNc(t)) return;
  const dir = linkedProject('bg-job-', SHELL_APP);
  const prefix = path.join(dir, 'pdb.sock');
  const p = new Pty('bash', ['--norc', '--noprofile', '-i'], {
    cwd: dir,
    env: {
      PS1: '$ ',
      HISTFILE: '/dev/null',
      CI: undefined,
      NO_COLOR: '1',
      IPDB_SOCK_PATH: prefix,
      TS_PDB_HOME: path.join(dir, 'home'),
      TS_PDB_HISTORY: '',
      IPDB_MODE: undefined,
      IPDB_DEBUG: undefined,
      IPDB_TIMEOUT: '300',
      RANK: undefined,
      LOCAL_RANK: undefined,
      WORLD_SIZE: undefined,
    },
  });
  t.after(() => {
    killTree(p.proc.pid);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await p.waitFor(/\$ $/);
  // set -b: bash tells at once when a job stops or ends (a stopped job shows as "Stopped" on the screen).
  p.type('set -b');
  await p.waitFor(/\$ $/);
  p.type(`${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} run app.ts &`);

  const box = await onScreen(p, boxOf(0, 'RangeError: expected 3 fields, got 2'));
  assert.match(
    boxText(box[2]),
    /^console mode is not possible here: this process runs in the background of its terminal \(a shell job started with &, or a launcher\), where reading the terminal would stop the process; so this process waits on a socket instead$/,
  );
  assert.equal(box[3], `${prefix}.0`);
  const me = processTree(p.proc.pid).find((q) => q.pid === Number(box[1]));
  assert.ok(me, describeTree(p.proc.pid));
  assert.notEqual(me.state, 'T', `the job is not stopped\n${describeTree(p.proc.pid)}`);
  assert.notEqual(me.pgrp, me.tpgid, 'the job is in the background of the terminal');
  assert.doesNotMatch(p.text, /Stopped/);

  const nc = spawn('nc', ['-U', box[3]], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => nc.kill());
  const seen = collect(nc.stdout, 'nc', WAIT_MS);
  await seen.until(/ipdb> $/);
  nc.stdin.write('p fields\n');
  await seen.until(/\[ 'a', 'b' \]\nipdb> $/);
  nc.stdin.write('q\n');

  await onScreen(p, /RangeError: expected 3 fields, got 2\n {4}at parse \(.*app\.ts:4:\d+\)/);
  // bash reports the job's end; its status is the error's exit code.
  p.type('wait $!; echo "job status $?"');
  await onScreen(p, /^job status 1$/m);
  assert.doesNotMatch(p.text, /Stopped/);
  p.type('exit');
  await p.wait(WAIT_MS);
});
