// The job across hosts (issue #13) started by the real torchrun (Debian's python3-torch, torch 1.13):
// on two hosts made of namespaces (test/helpers/hosts.mjs), each host's torchrun starts its 2 ranks
// with `--no_python node app.js` after a c10d rendezvous over TCP at alpha's address, so the ranks'
// RANK (0-3), WORLD_SIZE and TORCHELASTIC_RUN_ID come from torchrun itself. Rank 3, on beta, fails in
// socket mode over TCP: from alpha, `ts-pdb ls` shows it under the job and host beta, and
// `ts-pdb attach 3` reads a local and quits; then beta's torchrun reports rank 3's failure and exits 1,
// alpha's exits 0. (The notify command, the token and web mode are job.test.mjs's, with the cluster
// launcher.) torchrun's agents wait for each other at an exit barrier (300 s): alpha's stays up, its
// ranks done, while rank 3 waits, and ends when beta's does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { writeBuild } from '../helpers/build.mjs';
import { makeHosts } from '../helpers/hosts.mjs';
import { WAIT_MS } from '../helpers/socket.mjs';
import { APP, JOB, needTorchrun, rankEnv, tcpSocketEnv, torchrunArgs, tsPdb, watchLauncher } from './hosts-job.mjs';

test(
  'torchrun on alpha and beta (c10d rendezvous over TCP): ranks 0-1 on alpha, 2-3 on beta; rank 3 fails in socket mode over TCP, ls on alpha shows it on beta under job-13, attach 3 reads a local and quits, beta’s torchrun reports rank 3 and exits 1',
  { timeout: 8 * WAIT_MS },
  async (t) => {
    if (!needTorchrun(t)) return;
    const net = await makeHosts(t, { names: ['alpha', 'beta'] });
    if (!net) return;
    const [alpha, beta] = net.hosts;
    const program = writeBuild(net.shared, 'app', APP);
    const registry = path.join(net.shared, 'registry');
    const env = tcpSocketEnv(registry);
    const jobs = net.hosts.map((h, i) => {
      const args = torchrunArgs(i, program, { storeAddress: alpha.address, logDir: path.join(net.shared, `torchrun-logs-${h.name}`) });
      return watchLauncher(h.spawn('torchrun', args, { cwd: net.shared, env: rankEnv(env) }), `torchrun on ${h.name}`);
    });
    const [onAlpha, onBeta] = jobs;

    // Rank 3's session box, on beta's torchrun's stderr (torchrun leaves the ranks' stderr alone).
    const [, pid, port] = await onBeta.err.until(
      new RegExp(
        String.raw`\| ts-pdb: rank 3 \(pid (\d+)\) stopped: RangeError: rank 3: loss is NaN at step 2 +\|\n` +
          String.raw`\| connect with: {2}nc 0\.0\.0\.0 (\d+) +\|`,
      ),
    );
    // The others ran with the RANK torchrun gave them, on the host torchrun started them on
    // (their stdout copied by torchrun, prefixed with the local rank).
    await onAlpha.out.until(
      (text) => /^\[default0\]:rank 0 on alpha: 0 samples$/m.test(text) && /^\[default1\]:rank 1 on alpha: 10 samples$/m.test(text),
    );
    await onBeta.out.until(/^\[default0\]:rank 2 on beta: 20 samples$/m);

    // From alpha: rank 3 under job-13 (TORCHELASTIC_RUN_ID) and host beta, at beta's address.
    const ls = await tsPdb(alpha, registry, ['ls']);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(
      ls.stdout,
      new RegExp(
        String.raw`^RANK +PID +HOST +MODE +ADDRESS +AGE +ERROR\njob ${JOB}, host beta:\n` +
          String.raw`3 +${pid} +beta +tcp +${beta.address.replace(/\./g, '\\.')}:${port} +\d+s +RangeError: rank 3: loss is NaN at step 2\n`,
      ),
    );
    const attach = await tsPdb(alpha, registry, ['attach', '3'], { input: 'p shard\nq\n' });
    assert.equal(attach.code, 0, `${attach.stdout}\n${attach.stderr}`);
    assert.match(attach.stdout, /\(rank-3-pdb\) \{ rank: 3, host: 'beta', samples: 30 \}\n\(rank-3-pdb\) /);

    // Rank 3 ends with its error; beta's torchrun names it in its failure summary and exits 1, and
    // alpha's, released from the exit barrier, exits 0.
    assert.equal(await onBeta.exited, 1, onBeta.err.text.slice(-3000));
    assert.match(onBeta.err.text, /RangeError: rank 3: loss is NaN at step 2\n {4}at trainStep \(.*app\.ts:6:\d+\)/);
    assert.match(onBeta.err.text, /rank +: 3 \(local_rank: 1\)\n +exitcode +: 1 /);
    assert.equal(await onAlpha.exited, 0, onAlpha.err.text.slice(-3000));
    const after = await tsPdb(alpha, registry, ['ls', '--json']);
    assert.deepEqual(JSON.parse(after.stdout), []);
  },
);
