// The README's IPDB_NOTIFY recipes ("Tell someone: IPDB_NOTIFY"), taken from README.md itself and
// run by a real program in dump mode: the webhook's curl posts the message to a real HTTP server,
// wall runs to its end; notify-send needs a desktop's notification service, and runs where there is
// one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import test from 'node:test';
import { codeBlocks, section } from '../helpers/readme.mjs';
import { startRun } from '../helpers/run-program.mjs';
import { linkedProject } from '../helpers/socket.mjs';
import { outFolder, untilFiles } from './notify-helpers.mjs';

const APP = `// @debuggable
function run(name: string) {
  if (name.length > 3) throw new RangeError(\`name \${name} is too long\`);
  return name.length;
}

console.log(run('abcdef'));
`;

/** The README's recipes: the value of each `export IPDB_NOTIFY='...'` line, by the program it runs. */
const RECIPES = Object.fromEntries(
  codeBlocks(section('### Tell someone: IPDB_NOTIFY'))
    .flatMap((b) => b.code.split('\n'))
    .map((line) => /^export IPDB_NOTIFY='(.*)'$/.exec(line)?.[1])
    .filter(Boolean)
    .map((recipe) => [recipe.split(' ')[0], recipe]),
);

const has = (program) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;

test('the README offers the three recipes', () => {
  assert.deepEqual(Object.keys(RECIPES).sort(), ['curl', 'notify-send', 'wall']);
});

/**
 * Runs the program in dump mode with `recipe`, followed by `&& : > $NOTIFY_OUT/ok` (the recipe ended
 * with exit code 0); resolves when it did, with the program's stderr.
 */
async function runRecipe(t, recipe, env = {}) {
  const dir = linkedProject('notify-recipe-', APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const out = outFolder(dir);
  const run = startRun(dir, { IPDB_MODE: 'dump', IPDB_NOTIFY: `${recipe} && : > "$NOTIFY_OUT/ok"`, NOTIFY_OUT: out, ...env });
  t.after(() => run.kill());
  assert.equal(await run.exited, 1, 'the error goes on');
  await untilFiles(out, (names) => names.includes('ok'), `the recipe ${recipe} ending well`);
  assert.doesNotMatch(run.err.text, /IPDB_NOTIFY/, 'no failure line');
  return { dir, err: run.err.text };
}

test('the curl recipe posts "ts-pdb: rank … stopped on HOST: ERROR. ts-pdb open FILE" to WEBHOOK_URL', async (t) => {
  if (!has('curl')) return t.skip('curl is not installed');
  const bodies = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d) => (body += d));
    req.on('end', () => {
      bodies.push({ method: req.method, type: req.headers['content-type'], body });
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { dir, err } = await runRecipe(t, RECIPES.curl, { WEBHOOK_URL: `http://127.0.0.1:${server.address().port}/hook` });
  const file = /snapshot written: (\S+) \(open it with/.exec(err)[1];
  assert.deepEqual(bodies, [
    {
      method: 'POST',
      type: 'text/plain',
      body: `ts-pdb: rank 0 stopped on ${os.hostname()}: RangeError: name abcdef is too long. ts-pdb open ${dir}/${file}`,
    },
  ]);
});

test('the wall recipe runs to its end', async (t) => {
  if (!has('wall')) return t.skip('wall is not installed');
  await runRecipe(t, RECIPES.wall);
});

test('the notify-send recipe runs to its end on a desktop', async (t) => {
  if (!has('notify-send') || !process.env.DBUS_SESSION_BUS_ADDRESS)
    return t.skip('no desktop here: notify-send needs a session bus with a notification service');
  await runRecipe(t, RECIPES['notify-send']);
});
