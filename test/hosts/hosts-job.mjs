// Shared by the tests of jobs across hosts (test/hosts/): the launchers (fixtures/launch-job.cjs, and
// the real torchrun's arguments) and the job's program, the ranks' environment, `ts-pdb` run on a host with the job's shared registry,
// and a wait that polls. It starts processes only through a host of test/helpers/hosts.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { collect, WAIT_MS } from '../helpers/socket.mjs';

/** The launcher: starts a host's ranks as torchrun's agent does (fixtures/launch-job.cjs). */
export const LAUNCHER = path.join(import.meta.dirname, 'fixtures', 'launch-job.cjs');
/** The job's id, as the launcher's `--rdzv-id` gives it (TORCHELASTIC_RUN_ID). */
export const JOB = 'job-13';
/** The built bin. */
export const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
export const node = process.execPath;

/** A training step per rank; rank 3's throws. */
export const APP = `import * as os from 'node:os';

// @debuggable
function trainStep(rank: number, step: number) {
  const shard = { rank, host: os.hostname(), samples: rank * 10 };
  if (rank === 3) throw new RangeError(\`rank \${rank}: loss is NaN at step \${step}\`);
  return shard.samples;
}

const rank = Number(process.env.RANK);
console.log(\`rank \${rank} on \${os.hostname()}: \${trainStep(rank, 2)} samples\`);
`;

/** Ranks 1 (alpha) and 3 (beta) throw; 0 and 2 finish. */
export const APP_ODD = APP.replace('if (rank === 3)', 'if (rank % 2 === 1)');

/**
 * The ranks' environment: the test's, without any ts-pdb switch or launcher variable it may carry,
 * plus `env`. The private registry is each host's own (its /tmp).
 */
export function rankEnv(env) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(IPDB_|TS_PDB_|TORCHELASTIC_|OMPI_|PMIX_|PMI_|SLURM_|NODE_UNIQUE_ID$|RANK$|LOCAL_RANK$|WORLD_SIZE$)/.test(k),
    ),
  );
  return { ...base, CI: 'true', NO_COLOR: '1', TS_PDB_HOME: '/tmp/ts-pdb-home', ...env };
}

/** The ranks' switches for socket mode over TCP on every interface (reachable from the other host), registered in `registry`. */
export function tcpSocketEnv(registry) {
  return {
    IPDB_DEBUG: '1',
    IPDB_MODE: 'socket',
    IPDB_CONNECTION_TYPE: 'tcp',
    IPDB_HOST: '0.0.0.0',
    IPDB_PORT: '0',
    IPDB_REGISTRY: registry,
  };
}

/** `ts-pdb ARGS` run on `host` with the job's shared `registry` and the host's own TS_PDB_HOME; `opts` as host.run's. */
export function tsPdb(host, registry, args, opts = {}) {
  return host.run(node, [CLI, ...args], { env: rankEnv({ IPDB_REGISTRY: registry }), ...opts });
}

/**
 * Resolves to `check()`'s value once it is truthy; fails after `ms` with `what` (or what it returns).
 * With `watch` (a folder), `check` runs again on each change in that folder (an entry written, a
 * file renamed in): the event is the wait. Without it, only the passing of time can change the
 * answer (a heartbeat growing old: nothing is written when a host dies), and `check` runs every 100 ms.
 */
export async function until(check, what, ms = WAIT_MS, watch = undefined) {
  const deadline = Date.now() + ms;
  let changed;
  let wake;
  const watcher = watch
    ? fs.watch(watch, () => {
        changed = true;
        wake?.();
      })
    : undefined;
  try {
    for (;;) {
      changed = false;
      const value = await check();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`still waiting after ${ms} ms for ${typeof what === 'function' ? what() : what}`);
      if (changed) continue;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, watch ? left : Math.min(100, left));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    watcher?.close();
  }
}

/**
 * The launcher's arguments for this host's 2 ranks of the 4-rank job `job` (node `nodeRank` of 2),
 * each running `program`.
 */
export function launchArgs(nodeRank, program, job = JOB) {
  // --enable-source-maps reaches the ranks (cluster forks them with the launcher's execArgv): stacks name app.ts.
  return [
    '--enable-source-maps',
    LAUNCHER,
    '--nproc-per-node',
    '2',
    '--nnodes',
    '2',
    '--node-rank',
    String(nodeRank),
    '--rdzv-id',
    job,
    '--',
    program,
  ];
}

/**
 * This host's 2 ranks of the 4-rank job (node `nodeRank` of 2), each running `program`; `run`: wait
 * for the launcher's end (host.run's result), else its process (host.spawn's).
 */
export function launch(host, nodeRank, program, { cwd, env = {}, run = false, job = JOB }) {
  const opts = { cwd, env: rankEnv(env) };
  const args = launchArgs(nodeRank, program, job);
  return run ? host.run(node, args, opts) : host.spawn(node, args, opts);
}

/** A started launcher's output as it arrives (`out`, `err`: collect()'s) and its exit code (`exited`). */
export function watchLauncher(child, what) {
  return {
    out: collect(child.stdout, `${what} (stdout)`),
    err: collect(child.stderr, `${what} (stderr)`),
    exited: new Promise((resolve) => child.on('close', (code) => resolve(code))),
  };
}

const HAS_TORCHRUN = spawnSync('sh', ['-c', 'command -v torchrun'], { encoding: 'utf8' }).status === 0;

/** True when `torchrun` is installed; otherwise fails under CI (.ci/run installs python3-torch) or skips the test. */
export function needTorchrun(t) {
  if (HAS_TORCHRUN) return true;
  if (process.env.CI) assert.fail('torchrun (python3-torch) is not installed: .ci/run installs it');
  t.skip('torchrun (python3-torch) is not installed');
  return false;
}

/**
 * torchrun's arguments for this host's 2 ranks of the 4-rank job `job` (node `nodeRank` of 2, the
 * rendezvous at alpha's `storeAddress`:29400, over TCP), each running `program` with node; torchrun's
 * logs go under `logDir`.
 */
export function torchrunArgs(nodeRank, program, { storeAddress, logDir, job = JOB }) {
  return [
    '--nnodes',
    '2',
    '--nproc_per_node',
    '2',
    '--node_rank',
    String(nodeRank),
    '--rdzv_backend',
    'c10d',
    '--rdzv_endpoint',
    `${storeAddress}:29400`,
    '--rdzv_id',
    job,
    // Which node runs the rendezvous store: torchrun would find out by resolving its host name,
    // which these hosts cannot (no DNS, no /etc/hosts entry): it is said outright.
    '--rdzv_conf',
    `is_host=${nodeRank === 0 ? 1 : 0}`,
    // Debian 12's torch 1.13 under Python 3.11 cannot parse the default `-r 0` (its Std flag
    // lookup finds no member for 0 or 3 and torchrun fails with "'NoneType' object has no attribute
    // 'get'"): each rank's stdout goes to a log file and is copied to torchrun's stdout, prefixed
    // `[default<local rank>]:`; stderr is left alone.
    '-r',
    '1',
    '-t',
    '1',
    '--log_dir',
    logDir,
    '--no_python',
    node,
    '--enable-source-maps',
    program,
  ];
}
