// Built with plain tsc (no transform), @attachOnError() still opens a session (the report without
// a terminal, a console session in one) with the stack, and says once why locals are missing and
// how to get them; in the session, a, p locals() and a local's name say the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { scratch, writeBuild } from '../helpers/build.mjs';
import { spawnNode } from '../helpers/pty.mjs';

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

for (const [label, compilerOptions] of [
  ['TC39 decorators', {}],
  ['experimentalDecorators', { experimentalDecorators: true }],
]) {
  test(`plain tsc build (${label}): sessions with the stack, one notice on how to get locals, the error goes on`, () => {
    const dir = scratch('no-transform-');
    const js = writeBuild(dir, 'job', SOURCE, { transform: false, compilerOptions });
    const r = spawnSync(process.execPath, ['--enable-source-maps', js], {
      // Its scratch folder, not the checkout: the reports leave their snapshots in the working folder.
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
      input: '',
      env: { ...process.env, IPDB_DEBUG: '1', CI: 'true', IPDB_MODE: '' },
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

test('plain tsc build in a terminal: a, p locals() and a name say that the transform is missing, not to mark the marked method', async () => {
  const dir = scratch('no-transform-');
  const js = writeBuild(dir, 'job', SOURCE, { transform: false });
  const p = spawnNode(['--enable-source-maps', js], {
    env: { IPDB_DEBUG: '1', IPDB_MODE: 'console', CI: undefined, NO_COLOR: '1', TS_PDB_HISTORY: '' },
  });
  try {
    await p.waitFor(/> \S*job\.ts\(6\)Job\.step\(\)[^]*ipdb> $/);
    p.type('a');
    const args = (await p.waitFor(/\n([^]*?)ipdb> $/))[1];
    assert.match(
      args,
      /^\*\*\* No locals for Job\.step: this code was built without the ts-pdb transformer \(build with it: tspc with "plugins": \[\{ "transform": "ts-pdb\/transformer" \}\] in tsconfig\.json, or run the TypeScript with npx ts-pdb run app\.ts\)\n$/,
    );
    assert.doesNotMatch(args, /mark the function/);
    p.type('p locals()');
    assert.equal(
      (await p.waitFor(/\n([^]*?)ipdb> $/))[1],
      '*** No locals for Job.step: this code was built without the ts-pdb transformer\n',
    );
    p.type('p half');
    assert.equal(
      (await p.waitFor(/\n([^]*?)ipdb> $/))[1],
      '*** ReferenceError: half is not defined (no locals for Job.step: this code was built without the ts-pdb transformer)\n',
    );
    p.type('p 2 ** 3');
    assert.equal((await p.waitFor(/\n([^]*?)ipdb> $/))[1], '8\n');
    p.type('q');
    await p.waitFor(/ipdb> $/); // the next error's session (the loop's second step)
  } finally {
    p.kill();
  }
});
