// The committed transcript fixtures (fixtures/shop.mjs, its map, shop.cjs) are what the transform
// emits today: build-fixtures.mjs, run as a developer runs it, rebuilds them into a scratch folder
// with today's dist/transformer, and each file must match the committed one byte for byte. A
// transform change that alters the output fails here until the fixtures are rebuilt and committed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';

const FIXTURES = join(ROOT, 'test', 'transcripts', 'fixtures');
const SCRIPT = join(FIXTURES, 'build-fixtures.mjs');
const REBUILD = `npm run build && node ${relative(ROOT, SCRIPT)} --write`;

const out = scratch('transcript-fixtures-');
after(() => rmSync(out, { recursive: true, force: true }));

/** Where two texts first differ: line, column, and both texts around it, for the failure message. */
function firstDifference(committed, today) {
  const a = committed.split('\n');
  const b = today.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const [x, y] = [a[i] ?? '', b[i] ?? ''];
  let col = 0;
  while (col < x.length && col < y.length && x[col] === y[col]) col++;
  const around = (line) => line.slice(Math.max(0, col - 40), col + 80);
  return `line ${i + 1}, column ${col + 1}:\n  committed: ${around(x)}\n  today:     ${around(y)}`;
}

test('build-fixtures.mjs rebuilds the committed transcript fixtures byte for byte', () => {
  execFileSync(process.execPath, [SCRIPT, '--write', '--out', out], { cwd: ROOT, stdio: 'pipe' });
  const built = readdirSync(out).sort();
  // Everything in fixtures/ but the script and the sources is its output.
  const committed = readdirSync(FIXTURES)
    .filter((f) => f !== 'build-fixtures.mjs' && f !== 'src')
    .sort();
  assert.deepEqual(built, committed, `build-fixtures.mjs writes the files that are committed; rebuild with: ${REBUILD}`);
  const stale = [];
  for (const file of built) {
    const today = readFileSync(join(out, file));
    const was = readFileSync(join(FIXTURES, file));
    if (!today.equals(was)) {
      stale.push(`test/transcripts/fixtures/${file} differs from today's transform output at ${firstDifference(`${was}`, `${today}`)}`);
    }
  }
  assert.ok(
    stale.length === 0,
    `the committed transcript fixtures are not what the transform emits today; rebuild them with \`${REBUILD}\`, ` +
      `check the transcript tests, and commit them:\n${stale.join('\n')}`,
  );
});
