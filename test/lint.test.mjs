// The habits that keep the tree as it is (issue #10): ESLint (eslint.config.mjs: type-aware for
// runtime/ and transformer/) finds nothing, and every file Prettier formats (.prettierrc, less
// .prettierignore) is formatted. The same checks by hand: `npm run lint`. Both tools run as the
// CLI runs them, side by side; a failure prints what they found and how to fix it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers/build.mjs';

/** Runs a tool's CLI with this Node in the repository; resolves to its exit code and output. */
function run(bin, args) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'node_modules', bin), ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (error.code ?? 1) : 0, output: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

// Started together: each takes seconds, and they do not wait on each other.
const eslint = run('eslint/bin/eslint.js', ['--max-warnings', '0', '.']);
const prettier = run('prettier/bin/prettier.cjs', ['--check', '--log-level', 'warn', '.']);

test('ESLint finds nothing (eslint.config.mjs)', async () => {
  const r = await eslint;
  assert.equal(r.code, 0, `ESLint found problems (fix them, or \`npx eslint --fix .\` for the fixable ones):\n${r.output}`);
});

test('every file Prettier formats is formatted (.prettierrc, .prettierignore)', async () => {
  const r = await prettier;
  assert.equal(r.code, 0, `files not formatted (\`npx prettier --write <file>\`, or \`npm run format\`):\n${r.output}`);
});
