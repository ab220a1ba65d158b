// The product's example, end to end: examples/ts-patch/your-script.ts built with tspc and the
// ts-pdb transformer exactly as examples/ts-patch/tsconfig.json says, run with IPDB_DEBUG=1
// IPDB_MODE=console in a real pseudo-terminal, debugged with `p locals()`, `w`, `u`, `l`, `q`, and
// ending with its error (what `npm start` at the root shows). The README's demo is checked against
// what the session really prints, line for line; and the same example built without `sourceMap`
// shows the JavaScript lines and says why.
//
// The build goes to a scratch copy under .tmp/ (git-ignored) with `node_modules/ts-pdb` linked to
// this checkout, which is what `npm --prefix examples/ts-patch install` makes (`"ts-pdb":
// "file:../.."`), and the root's ts-patch and TypeScript (the versions the example asks for): the
// test writes nothing into examples/ and needs no npm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnNode } from '../helpers/pty.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROMPT = /ipdb> $/;
const EXAMPLE = path.join(ROOT, 'examples', 'ts-patch');
const ORIGINAL = /TypeError: Cannot read properties of undefined \(reading 'value'\)/;

let dir;
/** A second build of the example with `"sourceMap": false`. */
let unmappedDir;
/** 1-based line of the first source line containing `text` (the example may be edited; the test follows). */
function lineOf(text) {
  const lines = fs.readFileSync(path.join(EXAMPLE, 'your-script.ts'), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `the example contains ${text}`);
  return i + 1;
}

/** Copies the example to a scratch folder under .tmp/ and builds it with tspc (and `extra` arguments); returns the folder. */
function buildExample(extra = []) {
  const base = path.join(ROOT, '.tmp');
  fs.mkdirSync(base, { recursive: true });
  const to = fs.mkdtempSync(path.join(base, 'e2e-example-'));
  for (const f of ['your-script.ts', 'tsconfig.json']) fs.copyFileSync(path.join(EXAMPLE, f), path.join(to, f));
  fs.mkdirSync(path.join(to, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(to, 'node_modules', 'ts-pdb'), 'dir');
  // ts-patch's package exports do not list its bin; take the path the bin link points to.
  const tspc = path.join(path.dirname(require.resolve('ts-patch/package.json')), 'bin', 'tspc.js');
  try {
    execFileSync(process.execPath, [tspc, '-p', path.join(to, 'tsconfig.json'), ...extra], { cwd: to, stdio: 'pipe' });
  } catch (e) {
    throw new Error(`building the example failed:\n${e.stdout}\n${e.stderr}`, { cause: e });
  }
  assert.ok(fs.existsSync(path.join(to, 'out', 'your-script.js')), 'the example was built');
  return to;
}

before(() => {
  dir = buildExample();
  unmappedDir = buildExample(['--sourceMap', 'false']);
});

after(() => {
  for (const d of [dir, unmappedDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

/** Runs the built example in `cwd` in a pseudo-terminal, as `npm start` does. */
function startExample(cwd) {
  return spawnNode([path.join(cwd, 'out', 'your-script.js')], {
    cwd,
    // History goes to the scratch folder, never to the real ~/.ts_pdb_history.
    env: { IPDB_DEBUG: '1', IPDB_MODE: 'console', CI: undefined, NO_COLOR: '1', TS_PDB_HISTORY: path.join(cwd, 'history') },
  });
}

/** Types a command and waits for its output and the next prompt; returns the output. */
async function run(p, command) {
  p.type(command);
  const m = await p.waitFor(/\n([^]*?)ipdb> $/);
  return m[1];
}

test('the example opens a console session at riskyOperation, walks the stack in TypeScript, and ends with its error', async (t) => {
  const p = startExample(dir);
  t.after(() => p.kill());
  const raiseLine = lineOf('config.divisor!.value');
  const callLine = lineOf('results.push(riskyOperation(config))');
  const banner = (await p.waitFor(PROMPT)).input;
  // The session opens where the error was raised, located in the TypeScript source.
  assert.match(banner, /Exception caught in riskyOperation/);
  assert.match(banner, new RegExp(`^> \\S*your-script\\.ts\\(${raiseLine}\\)riskyOperation\\(\\)$`, 'm'));
  assert.match(banner, new RegExp(`^-*> +${raiseLine} +const result = numerator / config\\.divisor!\\.value;`, 'm'));

  const locals = await run(p, 'p locals()');
  assert.match(locals, /config\W+\{[^}]*name\W+broken/);
  assert.match(locals, /numerator\W+10/);
  assert.match(locals, /result\W+<uninitialized>/);

  // pdb's order: oldest frame first, the selected (newest) one last, marked with `>`.
  const where = await run(p, 'w');
  const order = ['main()', 'Job.run()', 'riskyOperation()'].map((name) => where.indexOf(name));
  assert.ok(
    order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])),
    `main, Job.run, riskyOperation in order:\n${where}`,
  );
  assert.match(where, new RegExp(`^> \\S*your-script\\.ts\\(${raiseLine}\\)riskyOperation\\(\\)$`, 'm'));
  assert.doesNotMatch(where, /your-script\.js/);

  const up = await run(p, 'u');
  assert.match(up, new RegExp(`^> \\S*your-script\\.ts\\(${callLine}\\)Job\\.run\\(\\)$`, 'm'));

  const list = await run(p, 'l');
  assert.match(list, new RegExp(`^-*> +${callLine} +results\\.push\\(riskyOperation\\(config\\)\\);`, 'm'));
  assert.match(list, /for \(const config of this\.configs\)/);

  // Job.run is marked too, but the session opened in riskyOperation before the error left it.
  const args = await run(p, 'a');
  assert.match(args, /No locals for Job\.run: the session opened before the error left it/);

  p.type('q');
  const exit = await p.wait();
  assert.equal(exit.exitCode, 1);
  assert.match(p.rest, ORIGINAL);
  // Job.run is a boundary too, but a session opens once per error.
  assert.doesNotMatch(p.rest, /ipdb> /);
});

/**
 * The demo block of README.md's "Try it": the lines it shows, and the commands typed in it (lines
 * after the prompt). A line `...` stands for lines cut from the real output.
 */
function readmeDemo() {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const tryIt = readme.slice(readme.indexOf('## Try it'));
  const block = /```text\n([^]*?)```/.exec(tryIt)[1];
  const lines = block.replace(/\n$/, '').split('\n');
  return { lines, commands: lines.filter((l) => l.startsWith('ipdb> ')).map((l) => l.slice('ipdb> '.length)) };
}

/** A pattern of the demo's lines: each line as it is, `...` any number of lines. */
function demoPattern(lines) {
  const esc = (l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(lines.map((l) => (l.trim() === '...' ? '(?:[^\\n]*\\n)*?' : `${esc(l)}\\n`)).join(''));
}

test("the README's demo is what the session prints, line for line (npm start runs it from examples/ts-patch)", async (t) => {
  const { lines, commands } = readmeDemo();
  assert.ok(commands.includes('p locals()') && commands.at(-1) === 'q', `the demo types p locals() and ends with q: ${commands}`);
  // On Job.run, the frame the session opened before the error left: the demo shows what p locals() says there.
  const afterUp = lines.slice(lines.indexOf('ipdb> u'));
  assert.ok(afterUp.includes('ipdb> p locals()'), 'the demo shows p locals() on Job.run');
  const p = startExample(dir);
  t.after(() => p.kill());
  await p.waitFor(PROMPT);
  for (const command of commands.slice(0, -1)) {
    p.type(command);
    await p.waitFor(PROMPT);
  }
  p.type('q');
  await p.wait();
  // The README names the files as a user sees them from the root of the checkout.
  const shown = p.text.replaceAll(dir + path.sep, 'examples/ts-patch/').replace(/\r/g, '');
  const at = shown.indexOf(lines[0]);
  assert.ok(at >= 0, `the session starts with ${lines[0]}:\n${shown}`);
  assert.match(shown.slice(at), demoPattern(lines), `README.md's demo, line for line, in what the session printed:\n${shown.slice(at)}`);
});

test('built without "sourceMap": the session shows the JavaScript lines, says once why, and finds every frame', async (t) => {
  const js = fs.readFileSync(path.join(unmappedDir, 'out', 'your-script.js'), 'utf8').split('\n');
  const jsLine = (text) => js.findIndex((l) => l.includes(text)) + 1;
  const raise = jsLine('config.divisor.value');
  const call = jsLine('results.push(riskyOperation(config))');
  assert.ok(raise > 0 && call > 0, 'the compiled example has both lines');
  const p = startExample(unmappedDir);
  t.after(() => p.kill());
  const banner = (await p.waitFor(PROMPT)).input;
  const why =
    '(out/your-script.js has no source map: locations are in the JavaScript; build with "sourceMap": true to see them in your-script.ts)';
  assert.ok(banner.includes(why), `the banner says why:\n${banner}`);
  // The line where the error was raised, in the JavaScript: not the function's first TypeScript line.
  assert.match(banner, new RegExp(`^> out/your-script\\.js\\(${raise}\\)riskyOperation\\(\\)$`, 'm'));
  assert.match(banner, new RegExp(`^-*> +${raise} +.*config\\.divisor\\.value;`, 'm'));
  assert.doesNotMatch(banner, /your-script\.ts\(\d+\)|@attachOnError|\/\/ @debuggable/);
  const locals = await run(p, 'p locals()');
  assert.match(locals, /config\W+\{[^}]*name\W+broken/);
  assert.match(locals, /numerator\W+10/);
  // Oldest first, each frame once, in the JavaScript.
  const where = await run(p, 'w');
  const order = ['main()', 'Job.run()', 'riskyOperation()'].map((name) => where.indexOf(name));
  assert.ok(
    order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])),
    `main, Job.run, riskyOperation in order:\n${where}`,
  );
  assert.equal(where.match(/riskyOperation\(\)/g).length, 1, where);
  const up = await run(p, 'u');
  assert.match(up, new RegExp(`^> out/your-script\\.js\\(${call}\\)Job\\.run\\(\\)$`, 'm'));
  assert.equal(await run(p, 'p locals()'), '*** No locals for Job.run: the session opened before the error left it\n');
  p.type('q');
  await p.wait();
  assert.equal(p.text.split(why).length - 1, 1, 'said once');
  // Without a terminal, the report says the same and is located the same way.
  const r = spawnSync(process.execPath, [path.join(unmappedDir, 'out', 'your-script.js')], {
    cwd: unmappedDir,
    encoding: 'utf8',
    input: '',
    env: { ...process.env, IPDB_DEBUG: '1', IPDB_MODE: '', CI: 'true' },
  });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr.split(why).length - 1, 1, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `File "out/your-script\\.js", line ${raise}, in riskyOperation\n.*config\\.divisor\\.value;\n {6}config = \\{ name: 'broken' \\}`,
    ),
  );
});
