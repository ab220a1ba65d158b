// Built with plain tsc (no transform), @attachOnError() still opens a session (here: the report
// without a terminal) with the stack, and says once why locals are missing and how to get them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { scratch, writeBuild } from '../helpers/build.mjs';

const SOURCE = `import { attachOnError } from 'ts-pdb';
class Job {
  @attachOnError()
  step(n: number) {
    const half = n / 2;
    if (half > 1) throw new RangeError('too big: ' + half);
    return half;
  }
}
const job = new Job();
for (const n of [4, 6]) {
  try { job.step(n); } catch (e) { console.log('caught', (e as Error).message); }
}
job.step(8);
`;

for (const [label, compilerOptions] of [['TC39 decorators', {}], ['experimentalDecorators', { experimentalDecorators: true }]]) {
  test(`plain tsc build (${label}): sessions with the stack, one notice on how to get locals, the error goes on`, () => {
    const dir = scratch('no-transform-');
    const js = writeBuild(dir, 'job', SOURCE, { transform: false, compilerOptions });
    const r = spawnSync(process.execPath, ['--enable-source-maps', js], {
      encoding: 'utf8', timeout: 30_000, input: '', env: { ...process.env, IPDB_DEBUG: '1', CI: 'true', IPDB_MODE: '' },
    });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, 'caught too big: 2\ncaught too big: 3\n', 'the program ran as written between sessions');
    // One report per error that left the marked method: three errors.
    assert.equal(r.stderr.match(/Exception caught in/g)?.length, 3, r.stderr);
    // The notice: said once, naming the way to get locals.
    const notices = r.stderr.match(/ts-pdb\/transformer/g) ?? [];
    assert.equal(notices.length, 1, `the notice is given once:\n${r.stderr}`);
    assert.match(r.stderr, /RangeError: too big: 4/);
  });
}
