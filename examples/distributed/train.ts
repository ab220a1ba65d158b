// A data-parallel "training" job of 3 ranks: each rank trains on its own shard of the data. Rank
// 1's shard has a corrupt sample, so its loss turns NaN at step 3 and trainStep throws. With
// ts-pdb, rank 1 then waits on /tmp/pdb.sock.1 for `nc -U` while ranks 0 and 2 finish.
//
// One file, two launchers (ts-pdb finds the rank the same way, and names the socket after it):
//   npm start     Node cluster: this process is rank 0 and forks ranks 1 and 2 (worker ids 1, 2)
//   npm run mpi   mpirun -np 3: three copies of this file, each with its OMPI_COMM_WORLD_RANK
import cluster from 'node:cluster';

const WORLD_SIZE = 3;
const STEPS = 5;
const mpiRank = process.env.OMPI_COMM_WORLD_RANK;
// This process's rank: mpirun's, or the cluster's (the primary is 0, the workers count from 1).
const rank = mpiRank !== undefined ? Number(mpiRank) : cluster.isWorker ? cluster.worker!.id : 0;

/** This rank's batch of step `step`: its shard of the data (rank 1's has a corrupt sample at step 3). */
function loadBatch(step: number): number[] {
  const batch = [1, 2, 3, 4].map((i) => i + rank * 4 + step / 10);
  if (rank === 1 && step === 3) batch[2] = NaN;
  return batch;
}

// @debuggable
function trainStep(step: number, weight: number): number {
  const batch = loadBatch(step);
  // Fit y = 2x: mean squared error and its gradient.
  const errors = batch.map((x) => weight * x - 2 * x);
  const loss = errors.reduce((sum, e) => sum + e * e, 0) / batch.length;
  if (Number.isNaN(loss)) throw new RangeError(`loss is NaN at step ${step}`);
  const gradient = errors.reduce((sum, e, i) => sum + 2 * e * batch[i], 0) / batch.length;
  return weight - 0.001 * gradient;
}

if (cluster.isPrimary && mpiRank === undefined) {
  // The cluster launcher: rank 0 starts the other ranks, then trains too, as torchrun's rank 0 would.
  for (let i = 1; i < WORLD_SIZE; i++) cluster.fork();
  cluster.on('exit', (worker, code) => {
    console.log(`rank ${worker.id} exited with code ${code}`);
    if (code !== 0) process.exitCode = 1;
  });
}

let weight = 0.5;
for (let step = 1; step <= STEPS; step++) weight = trainStep(step, weight);
console.log(`rank ${rank}: finished ${STEPS} steps, weight ${weight.toFixed(3)}`);
// A cluster worker stays alive while it is connected to the primary: done, it lets go.
cluster.worker?.disconnect();
