// examples/jest, as its README tells a user to run it: `jest` with ts-jest and the ts-pdb
// transformer in `astTransformers`, IPDB_DEBUG=1. Its one test fails on purpose, through the
// marked orderTotal. With no terminal (CI=true, pipes) the report names orderTotal at its
// TypeScript line with every local and its value, and Jest fails the test with the original error;
// on a real pseudo-terminal a session opens inside the test, and `q` lets Jest go on to the same
// failure.
//
// The example's own node_modules are used (installed by .ci/run); Jest runs in the example's
// folder and writes nothing there (--no-cache: the transform runs every time, never a stale one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnNode } from '../helpers/pty.mjs';
import {
  binOf,
  cleanEnv,
  escapeRegExp,
  installedExample,
  lineOf,
  packageOf,
  ptyEnv,
  runNode,
  scratch,
  seen,
} from '../helpers/examples.mjs';

const TIMEOUT_MS = 120_000;
const MESSAGE = 'no price for scone in order A-17';

/** Where the example throws and calls, read from its source. */
function places(dir) {
  const source = path.join(dir, 'src', 'till.ts');
  return {
    throwLine: lineOf(source, 'if (price === undefined) throw new Error('),
    callLine: lineOf(source, 'const total = orderTotal(order, this.prices);'),
  };
}

test("examples/jest without a terminal: the report shows orderTotal's locals at the TypeScript line, and the test fails with the error", async (t) => {
  const dir = installedExample(t, 'jest');
  if (!dir) return;
  assert.equal(packageOf(dir).scripts.test, 'jest');
  const { throwLine, callLine } = places(dir);
  const r = await runNode(binOf(dir, 'jest', 'jest'), ['--no-cache'], {
    cwd: dir,
    env: cleanEnv({ CI: 'true', IPDB_DEBUG: '1', NO_COLOR: '1', FORCE_COLOR: '0' }),
    timeout: TIMEOUT_MS,
  });
  t.diagnostic(`jest ${r.ms} ms`);
  assert.equal(r.code, 1, `jest fails (one failing test)\n${seen(r)}`);
  const { stderr } = r;
  assert.match(stderr, /^Exception caught in orderTotal:$/m, seen(r));
  // The frame of the throw, in TypeScript: the line, its text, and every local with its value.
  const frame = `\
  File "src/till.ts", line ${throwLine}, in orderTotal
    if (price === undefined) throw new Error(\`no price for \${item.sku} in order \${order.id}\`);
      order = { id: 'A-17', items: [ { sku: 'tea', qty: 2 }, { sku: 'scone', qty: 1 } ] }
      prices = { tea: 4, cake: 3 }
      total = 8
      item = { sku: 'scone', qty: 1 }
      price = undefined
Error: ${MESSAGE}
`;
  const at = stderr.indexOf(frame);
  assert.ok(at >= 0, `orderTotal's frame at src/till.ts:${throwLine} with its locals, then the error\n${seen(r)}`);
  // Its caller, the marked Till.checkout, at the call (older frames come first).
  const caller = stderr.indexOf(
    `  File "src/till.ts", line ${callLine}, in Till.checkout\n    const total = orderTotal(order, this.prices);\n`,
  );
  assert.ok(caller >= 0 && caller < at, `Till.checkout's frame before orderTotal's\n${seen(r)}`);
  // Jest's own verdict, after the report: the test failed with the original error, at its TypeScript line.
  const after = stderr.slice(at + frame.length);
  assert.match(after, new RegExp(`● the till totals an order\\n\\n\\s+${escapeRegExp(MESSAGE)}\\n`), seen(r));
  assert.match(after, new RegExp(`at orderTotal \\(src/till\\.ts:${throwLine}:\\d+\\)`), seen(r));
  assert.match(after, /^Tests:\s+1 failed, 1 total$/m, seen(r));
  assert.doesNotMatch(stderr, /ts-pdb: internal fault/, seen(r));
});

test('examples/jest on a terminal: a session opens inside the failing test, p locals() shows the locals, q lets Jest fail it', async (t) => {
  const dir = installedExample(t, 'jest');
  if (!dir) return;
  const { throwLine } = places(dir);
  const home = scratch(t, 'e2e-examples-jest-');
  const p = spawnNode([binOf(dir, 'jest', 'jest'), '--no-cache'], {
    cwd: dir,
    // IPDB_MODE is left to the rank: Jest's in-band run is rank 0, which gets the console.
    env: ptyEnv({ IPDB_DEBUG: '1', NO_COLOR: '1', TS_PDB_HISTORY: path.join(home, 'history') }),
  });
  t.after(() => p.kill());
  // The prompt of a rank-0 session of a test runner; the program (here Jest itself) waits.
  const PROMPT = /\n(?:ipdb>|\(rank-0-pdb\)) $/;
  const banner = (await p.waitFor(PROMPT, TIMEOUT_MS)).input;
  assert.match(banner, /Exception caught in orderTotal/);
  assert.match(banner, new RegExp(`^> src/till\\.ts\\(${throwLine}\\)orderTotal\\(\\)$`, 'm'));

  p.type('p locals()');
  const locals = (await p.waitFor(new RegExp(`\\n([^]*?)${PROMPT.source}`)))[1];
  assert.match(
    locals,
    /^\{ order: \{ id: 'A-17', items: \[ \{ sku: 'tea', qty: 2 \}, \{ sku: 'scone', qty: 1 \} \] \}, prices: \{ tea: 4, cake: 3 \}, total: 8, item: \{ sku: 'scone', qty: 1 \}, price: undefined \}$/m,
  );

  p.type('q');
  const exit = await p.wait(TIMEOUT_MS);
  assert.equal(exit.exitCode, 1, `jest fails the test\n${p.text}`);
  assert.match(p.rest, new RegExp(`● the till totals an order\\n\\n\\s+${escapeRegExp(MESSAGE)}`));
  assert.match(p.rest, /Tests:\s+1 failed, 1 total/);
  assert.doesNotMatch(p.rest, /(?:ipdb>|\(rank-0-pdb\)) /, 'a session opens once per error');
  assert.doesNotMatch(p.text, /ts-pdb: internal fault/);
});
