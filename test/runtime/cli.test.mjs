// The `ts-pdb` command: its help says how to get a session; a wrong command is a clear error; a
// program that cannot be found or does not compile is an error message and an exit code, not a
// session in Node's module loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';
import { spawnNode } from '../helpers/pty.mjs';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const cli = join(ROOT, pkg.bin['ts-pdb']);
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('ts-pdb --version prints the package version', () => {
  const r = run('--version');
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('ts-pdb --help says how to get a session', () => {
  const r = run('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /ts-pdb\/transformer/);
  assert.match(r.stdout, /IPDB_DEBUG=1/);
});

test('an unknown command exits 2 and names it', () => {
  const r = run('frobnicate');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
});

/**
 * Runs `ts-pdb run ...args` in a real terminal in `cwd` and returns what it showed and its exit
 * code; fails as soon as a session prompt appears (there, a session would wait for ever).
 */
async function runWithoutSession(cwd, args) {
  const p = spawnNode([cli, 'run', ...args], { cwd, env: { CI: undefined, NO_COLOR: '1', TS_PDB_HISTORY: '', IPDB_MODE: undefined } });
  try {
    const first = await Promise.race([
      p.wait(30_000).then(() => 'exited'),
      p.waitFor(/ipdb> $/, 30_000).then(
        () => 'session',
        () => 'exited',
      ),
    ]);
    assert.equal(first, 'exited', `no session should open:\n${p.text}`);
    const { exitCode } = await p.wait(30_000);
    return { exitCode, text: p.text };
  } finally {
    p.kill();
  }
}

test('ts-pdb run of a file that is not there: one line saying so, exit code 1, no session', async () => {
  const dir = scratch('cli-missing-');
  const r = await runWithoutSession(dir, ['nonexist.ts']);
  assert.equal(r.exitCode, 1);
  assert.equal(r.text, `ts-pdb run: cannot find nonexist.ts: no such file (in ${dir})\n`);
  // Behind a Node option, node itself looks for it: its own message, still no session.
  const flagged = await runWithoutSession(dir, ['--no-warnings', 'nonexist.ts']);
  assert.equal(flagged.exitCode, 1);
  assert.match(flagged.text, /Cannot find module '.*nonexist\.ts'/);
  assert.doesNotMatch(flagged.text, /Uncaught exception|Traceback/);
});

for (const [kind, file, pkg] of [
  ['CommonJS', 'broken.ts', 'commonjs'],
  ['ES module', 'broken.mts', 'module'],
]) {
  test(`ts-pdb run of a ${kind} file that does not compile: the compiler's message at the TypeScript line, exit code 1, no session`, async () => {
    const dir = scratch('cli-broken-');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: pkg }));
    writeFileSync(join(dir, file), `const ok: number = 1;\nconst total = ok + ;\nconsole.log(total);\n`);
    const r = await runWithoutSession(dir, [file]);
    assert.equal(r.exitCode, 1);
    assert.match(
      r.text,
      new RegExp(
        `^ts-pdb: the program does not compile:\n${file.replace('.', '\\.')}\\(2,20\\): error TS1109: Expression expected\\.$`,
        'm',
      ),
    );
    // The compiler's message alone, as tsc prints it: not Node's report of ts-pdb's loader.
    assert.doesNotMatch(r.text, /compile-error| {4}at |Uncaught exception|Traceback|Entering post-mortem/);
  });
}

test('a program that handles uncaught errors itself goes on after a file it loads does not compile (ts-pdb run changes nothing of that)', async () => {
  const dir = scratch('cli-broken-handled-');
  writeFileSync(join(dir, 'broken.ts'), `const total = 1 + ;\n`);
  writeFileSync(
    join(dir, 'main.ts'),
    `process.on('uncaughtException', (e: any) => console.log('handled', e.code));\nrequire('./broken');\n`,
  );
  const r = await runWithoutSession(dir, ['main.ts']);
  assert.match(r.text, /^handled ERR_TS_PDB_COMPILE$/m);
  assert.doesNotMatch(r.text, /does not compile/);
  assert.equal(r.exitCode, 0);
});
