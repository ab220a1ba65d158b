/**
 * Which rank of a multi-process job this process (or thread) is, in the order of docs/SPEC.md §3.
 */

/** Where the rank came from (`snapshot`: the rank a snapshot file recorded, for `ts-pdb open`; never detected). */
export type RankSource =
  'torchrun' | 'mpi' | 'slurm' | 'pm2' | 'cluster' | 'vitest' | 'worker_threads' | 'test-runner' | 'single' | 'snapshot';

/** The rank of this process, the world size when known, and how it was found. */
export interface RankInfo {
  rank: number;
  localRank: number;
  worldSize: number | undefined;
  source: RankSource;
  /** The launcher's id of the job (see {@link detectJobId}); undefined outside a launcher that gives one. */
  jobId?: string;
}

function int(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Facts about the process besides its environment (for tests: pass others). */
export interface ProcessFacts {
  isWorker?: boolean;
  isMainThread?: boolean;
  threadId?: number;
  clusterWorkerId?: number;
  /** The parent's pid: a cluster worker's primary. */
  ppid?: number;
  pid?: number;
  /** True in a cluster primary that has forked workers. */
  clusterPrimaryWithWorkers?: boolean;
}

/** True when Node says none of these built-in modules is loaded (`process.moduleLoadList`); false when it cannot say. */
function notLoaded(...names: string[]): boolean {
  const loaded = (process as unknown as { moduleLoadList?: string[] }).moduleLoadList;
  return Array.isArray(loaded) && names.every((n) => !loaded.includes(`NativeModule ${n}`));
}

/**
 * Node's `cluster`, when this process can be part of one: a cluster worker (its primary set
 * `NODE_UNIQUE_ID`), or a program that loaded `cluster` (only such a primary has forked workers).
 * Otherwise it is not loaded: with the child_process and dgram modules it pulls in, it costs a rank
 * some 5 ms of CPU between its throw and its session listening (test/bench/socket-wait.mjs).
 */
function clusterIfUsed(): import('node:cluster').Cluster | undefined {
  if (!('NODE_UNIQUE_ID' in process.env) && notLoaded('cluster')) return undefined;
  return require('node:cluster') as import('node:cluster').Cluster;
}

/**
 * `isMainThread` and `threadId` of `node:worker_threads`, without loading it in the main thread:
 * there it costs 4 to 8 ms of CPU on Node 24 (issue #19: a dump and a socket rank pay it before
 * their snapshot or listening; a program that imports ts-pdb, at startup). Every worker thread has
 * loaded it (and `internal/process/worker_thread_only`) by the time its code runs, on Node 20 to 24;
 * a Node without `moduleLoadList`, or with either name in it, is asked.
 */
function threadFacts(): { isMainThread: boolean; threadId: number } {
  if (notLoaded('worker_threads', 'internal/process/worker_thread_only')) {
    return { isMainThread: true, threadId: 0 };
  }
  const { isMainThread, threadId } = require('node:worker_threads') as typeof import('node:worker_threads');
  return { isMainThread, threadId };
}

function processFacts(): ProcessFacts {
  const cluster = clusterIfUsed();
  return {
    isWorker: cluster?.isWorker ?? false,
    ...threadFacts(),
    clusterWorkerId: cluster?.worker?.id,
    ppid: process.ppid,
    pid: process.pid,
    clusterPrimaryWithWorkers: cluster !== undefined && cluster.isPrimary && Object.keys(cluster.workers ?? {}).length > 0,
  };
}

/**
 * The id of the job this process belongs to, from its launcher, so that the snapshots (and, with
 * #13, the registry entries) of one job's ranks group together: `TORCHELASTIC_RUN_ID` (torchrun's
 * `--rdzv-id`; its default `none` is no id), `SLURM_JOB_ID`, Open MPI's `OMPI_MCA_ess_base_jobid`,
 * `PMIX_NAMESPACE`, and under Node's `cluster` `cluster-<the primary's pid>` (for the primary too,
 * once it has forked a worker). Undefined when none of these says.
 */
export function detectJobId(env: NodeJS.ProcessEnv = process.env, facts: ProcessFacts = processFacts()): string | undefined {
  for (const name of ['TORCHELASTIC_RUN_ID', 'SLURM_JOB_ID', 'OMPI_MCA_ess_base_jobid', 'PMIX_NAMESPACE']) {
    const v = env[name]?.trim();
    if (v && !(name === 'TORCHELASTIC_RUN_ID' && v === 'none')) return v;
  }
  if (facts.isWorker && facts.ppid) return `cluster-${facts.ppid}`;
  if (facts.clusterPrimaryWithWorkers && facts.pid) return `cluster-${facts.pid}`;
  return undefined;
}

/** Detects the rank and the job from the environment (pure: pass another env or thread facts to test it). */
export function detectRank(env: NodeJS.ProcessEnv = process.env, facts: ProcessFacts = processFacts()): RankInfo {
  const jobId = detectJobId(env, facts);
  const info = rankOf(env, facts);
  return jobId === undefined ? info : { ...info, jobId };
}

function rankOf(env: NodeJS.ProcessEnv, facts: ProcessFacts): RankInfo {
  const r = int(env.RANK);
  if (r !== undefined) {
    return { rank: r, localRank: int(env.LOCAL_RANK) ?? r, worldSize: int(env.WORLD_SIZE), source: 'torchrun' };
  }
  for (const [name, size] of [
    ['OMPI_COMM_WORLD_RANK', 'OMPI_COMM_WORLD_SIZE'],
    ['PMI_RANK', 'PMI_SIZE'],
    ['PMIX_RANK', 'PMIX_SIZE'],
  ] as const) {
    const v = int(env[name]);
    if (v !== undefined) {
      return { rank: v, localRank: int(env.OMPI_COMM_WORLD_LOCAL_RANK) ?? v, worldSize: int(env[size]), source: 'mpi' };
    }
  }
  const s = int(env.SLURM_PROCID);
  if (s !== undefined) return { rank: s, localRank: int(env.SLURM_LOCALID) ?? s, worldSize: int(env.SLURM_NTASKS), source: 'slurm' };
  const p = int(env.NODE_APP_INSTANCE);
  if (p !== undefined) return { rank: p, localRank: p, worldSize: undefined, source: 'pm2' };
  // cluster workers are numbered from 1; the primary is rank 0.
  if (facts.isWorker && facts.clusterWorkerId !== undefined) {
    return { rank: facts.clusterWorkerId, localRank: facts.clusterWorkerId, worldSize: undefined, source: 'cluster' };
  }
  // A Vitest worker (a thread in the `threads` pool, a process in `forks`) is not a rank of a job: the
  // thread id would make it rank N and send its session to a socket. Its pool slot (1 to maxWorkers)
  // numbers it instead, so that an explicit IPDB_MODE=socket or web gets a path or port per worker,
  // and with IPDB_MODE unset every Vitest worker gets the console (front-ends/open-session.ts).
  const v = int(env.VITEST_POOL_ID);
  if (v !== undefined && v > 0) return { rank: v - 1, localRank: v - 1, worldSize: undefined, source: 'vitest' };
  if (facts.isMainThread === false && facts.threadId !== undefined) {
    return { rank: facts.threadId, localRank: facts.threadId, worldSize: undefined, source: 'worker_threads' };
  }
  // Jest numbers its workers from 1 (it sets JEST_WORKER_ID=1 even when it runs in band): the
  // first worker is rank 0, so a lone test process gets the console.
  const t = int(env.JEST_WORKER_ID);
  if (t !== undefined && t > 0) return { rank: t - 1, localRank: t - 1, worldSize: undefined, source: 'test-runner' };
  return { rank: 0, localRank: 0, worldSize: undefined, source: 'single' };
}
