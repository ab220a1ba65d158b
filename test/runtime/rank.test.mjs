// Rank detection in the order of docs/SPEC.md §3, with the environment a launcher sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { detectRank } = require('../../dist/runtime/rank.js');
const main = { isWorker: false, isMainThread: true, threadId: 0, clusterWorkerId: undefined };
const rank = (env, facts = main) => detectRank(env, facts);

test('torchrun-style RANK / LOCAL_RANK / WORLD_SIZE come first', () => {
  assert.deepEqual(rank({ RANK: '3', LOCAL_RANK: '1', WORLD_SIZE: '8', OMPI_COMM_WORLD_RANK: '5' }), {
    rank: 3,
    localRank: 1,
    worldSize: 8,
    source: 'torchrun',
  });
});

test('MPI (Open MPI, PMI, PMIx), then Slurm, then pm2', () => {
  assert.deepEqual(rank({ OMPI_COMM_WORLD_RANK: '2', OMPI_COMM_WORLD_SIZE: '3' }), { rank: 2, localRank: 2, worldSize: 3, source: 'mpi' });
  assert.equal(rank({ PMI_RANK: '4' }).rank, 4);
  assert.equal(rank({ PMIX_RANK: '6' }).source, 'mpi');
  assert.deepEqual(rank({ SLURM_PROCID: '7', SLURM_NTASKS: '9' }), { rank: 7, localRank: 7, worldSize: 9, source: 'slurm' });
  assert.deepEqual(rank({ NODE_APP_INSTANCE: '1' }), { rank: 1, localRank: 1, worldSize: undefined, source: 'pm2' });
});

test('cluster workers are ranks 1..n; worker threads by thread id', () => {
  assert.deepEqual(rank({}, { ...main, isWorker: true, clusterWorkerId: 2 }), {
    rank: 2,
    localRank: 2,
    worldSize: undefined,
    source: 'cluster',
  });
  assert.deepEqual(rank({}, { ...main, isMainThread: false, threadId: 5 }), {
    rank: 5,
    localRank: 5,
    worldSize: undefined,
    source: 'worker_threads',
  });
});

test('test runners number workers from 1: the first one (and an in-band run) is rank 0', () => {
  assert.equal(rank({ JEST_WORKER_ID: '1' }).rank, 0);
  assert.equal(rank({ JEST_WORKER_ID: '3' }).rank, 2);
  assert.equal(rank({ VITEST_POOL_ID: '2' }).rank, 1);
  assert.equal(rank({ JEST_WORKER_ID: '1' }).source, 'test-runner');
});

test('a Vitest worker is no rank of a job: its pool slot numbers it, in the forks pool and as a thread of the threads pool (not its thread id)', () => {
  const vitest = { rank: 1, localRank: 1, worldSize: undefined, source: 'vitest' };
  // forks: a process of its own.
  assert.deepEqual(rank({ VITEST_POOL_ID: '2', VITEST_WORKER_ID: '5' }), vitest);
  // threads: a worker thread whose thread id would otherwise make it rank 7.
  assert.deepEqual(rank({ VITEST_POOL_ID: '2', VITEST_WORKER_ID: '5' }, { ...main, isMainThread: false, threadId: 7 }), vitest);
  assert.equal(rank({ VITEST_POOL_ID: '1' }, { ...main, isMainThread: false, threadId: 3 }).rank, 0);
  // A launcher's rank still comes first (a Vitest run under torchrun or mpirun is that rank).
  assert.equal(rank({ VITEST_POOL_ID: '2', OMPI_COMM_WORLD_RANK: '4' }).source, 'mpi');
});

test('nothing set: a single process, rank 0; garbage is ignored', () => {
  assert.deepEqual(rank({}), { rank: 0, localRank: 0, worldSize: undefined, source: 'single' });
  assert.deepEqual(rank({ RANK: 'abc', SLURM_PROCID: '-1' }), { rank: 0, localRank: 0, worldSize: undefined, source: 'single' });
});

test("the job id comes from the launcher (torchrun, Slurm, Open MPI, PMIx, cluster's primary), else none", () => {
  const { detectJobId } = require('../../dist/runtime/rank.js');
  assert.equal(detectJobId({ TORCHELASTIC_RUN_ID: 'train-7', SLURM_JOB_ID: '42' }, main), 'train-7');
  assert.equal(detectJobId({ TORCHELASTIC_RUN_ID: 'none', SLURM_JOB_ID: '42' }, main), '42', "torchrun's default rdzv id is no id");
  assert.equal(detectJobId({ OMPI_MCA_ess_base_jobid: '1506082817', PMIX_NAMESPACE: '1506082817' }, main), '1506082817');
  assert.equal(detectJobId({ PMIX_NAMESPACE: 'prterun-a-12@1' }, main), 'prterun-a-12@1');
  assert.equal(detectJobId({}, { ...main, isWorker: true, clusterWorkerId: 2, ppid: 4100 }), 'cluster-4100');
  assert.equal(detectJobId({}, { ...main, pid: 4100, clusterPrimaryWithWorkers: true }), 'cluster-4100');
  assert.equal(detectJobId({}, { ...main, pid: 4100 }), undefined);
  assert.equal(rank({ SLURM_PROCID: '1', SLURM_JOB_ID: '42' }).jobId, '42', 'detectRank carries it');
  assert.equal('jobId' in rank({ SLURM_PROCID: '1' }), false);
});

test('the real facts: the main thread is rank 0 without loading node:worker_threads; a real worker thread is its thread id', async () => {
  const { spawnSync } = await import('node:child_process');
  const rankJs = require.resolve('../../dist/runtime/rank.js');
  // A fresh process, so that nothing else loaded worker_threads first.
  const program = `
    const { detectRank } = require(${JSON.stringify(rankJs)});
    const inMain = detectRank({});
    const loaded = process.moduleLoadList.includes('NativeModule worker_threads');
    const { Worker } = require('node:worker_threads');
    const w = new Worker(\`const { parentPort, threadId } = require('node:worker_threads');
      parentPort.postMessage({ info: require(\${JSON.stringify(${JSON.stringify(rankJs)})}).detectRank({}), threadId });\`, { eval: true });
    w.once('message', (m) => { console.log(JSON.stringify({ inMain, loaded, inWorker: m.info, threadId: m.threadId })); w.terminate(); });
  `;
  const r = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.equal(r.status, 0, r.stderr);
  const seen = JSON.parse(r.stdout);
  // (JSON leaves out worldSize: undefined.)
  assert.deepEqual(seen.inMain, { rank: 0, localRank: 0, source: 'single' });
  assert.equal(seen.loaded, false, 'detectRank in the main thread did not load node:worker_threads');
  assert.ok(seen.threadId > 0);
  assert.deepEqual(seen.inWorker, { rank: seen.threadId, localRank: seen.threadId, source: 'worker_threads' });
});
