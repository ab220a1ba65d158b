// No build step: `node --import ts-pdb/register app.ts` and `ts-pdb run app.ts` compile TypeScript
// at load time with the transform, CommonJS and ES modules alike; sessions (here: the report
// printed without a terminal) show the original lines and the locals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';

const APP = `import { helper } from './helper{EXT}';
interface Cfg { divisor?: { value: number } }
// @debuggable
function risky(cfg: Cfg, label: string) {
  const numerator = helper(5);
  const result = numerator / cfg.divisor!.value;
  return result + label;
}
console.log(risky({}, 'x'));
`;
const HELPER = 'export function helper(n: number): number { const doubled = n * 2; return doubled; }\n';
const CLI = join(ROOT, 'dist/runtime/cli/cli.js');

/** A project folder with app.ts and helper.ts; ESM ones import './helper.js' as TypeScript code does. */
function project(kind) {
  const dir = scratch(`register-${kind}-`);
  writeFileSync(join(dir, 'app.ts'), APP.replace('{EXT}', kind === 'esm' ? '.js' : ''));
  writeFileSync(join(dir, 'helper.ts'), HELPER);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `app-${kind}`, type: kind === 'esm' ? 'module' : 'commonjs' }));
  // As a user's project has it: ts-pdb installed in node_modules.
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'ts-pdb'), 'dir');
  return dir;
}

function run(dir, args, env = {}) {
  const r = spawnSync(process.execPath, args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    input: '',
    env: { ...process.env, CI: 'true', IPDB_MODE: '', TS_PDB_INSTRUMENT: '', ...env },
  });
  assert.equal(r.error, undefined, `the program ran: ${r.error}\n${r.stderr}`);
  return r;
}

for (const kind of ['cjs', 'esm']) {
  test(`node --import ts-pdb/register runs a ${kind} TypeScript program; the report shows TypeScript lines and locals`, () => {
    const dir = project(kind);
    const r = run(dir, ['--import', 'ts-pdb/register', 'app.ts'], { IPDB_DEBUG: '1' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /File "app\.ts", line 6, in risky\n {4}const result = numerator \/ cfg\.divisor!\.value;/);
    assert.match(r.stderr, /^ {6}numerator = 10$/m);
    assert.match(r.stderr, /^ {6}result = <uninitialized>$/m);
    assert.match(r.stderr, /^ {6}label = 'x'$/m);
    // The error goes on, located in the TypeScript source (Node maps the stack through the inline map).
    assert.match(r.stderr, /TypeError: Cannot read properties of undefined \(reading 'value'\)\n {4}at risky \(.*app\.ts:6:\d+\)/);
    // ts-pdb's own loader frames are folded away.
    assert.doesNotMatch(r.stderr, /File ".*runtime\/register/);
  });
}

test('without IPDB_DEBUG the program runs as it would: no report, the error as usual', () => {
  const dir = project('cjs');
  const r = run(dir, ['--import', 'ts-pdb/register', 'app.ts'], { IPDB_DEBUG: '' });
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stderr, /Traceback/);
  assert.match(r.stderr, /TypeError: Cannot read properties of undefined/);
});

test('TS_PDB_INSTRUMENT=all captures the locals of unmarked functions too', () => {
  const dir = project('esm');
  writeFileSync(
    join(dir, 'helper.ts'),
    'export function helper(n: number): number { const doubled = n * 2; if (doubled > 5) throw new RangeError("too big " + doubled); return doubled; }\n',
  );
  const r = run(dir, ['--import', 'ts-pdb/register', 'app.ts'], { IPDB_DEBUG: '1', TS_PDB_INSTRUMENT: 'all' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /File "helper\.ts", line 1, in helper[^]*^ {6}doubled = 10$/m);
  assert.match(r.stderr, /RangeError: too big 10/);
});

test('ts-pdb run passes arguments and the exit code through, with debugging on by default', () => {
  const dir = project('cjs');
  writeFileSync(
    join(dir, 'exits.ts'),
    'const code: number = Number(process.argv[2]);\nconsole.log(`args=${process.argv.slice(2).join(",")} debug=${process.env.IPDB_DEBUG}`);\nprocess.exit(code);\n',
  );
  const r = run(dir, [CLI, 'run', 'exits.ts', '3', 'a b'], { IPDB_DEBUG: undefined });
  assert.equal(r.stdout.trim(), 'args=3,a b debug=1');
  assert.equal(r.status, 3);
  const d = run(dir, [CLI, 'run', 'app.ts'], { IPDB_DEBUG: undefined });
  assert.equal(d.status, 1);
  assert.match(d.stderr, /^ {6}numerator = 10$/m);
});

test('ts-pdb run without a program says what it needs', () => {
  const r = run(ROOT, [CLI, 'run']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /which program\?/);
});

// The program's own JavaScript: files with a marker are instrumented at load time, CommonJS and ES
// modules; files without one (and packages) are loaded by Node exactly as written.
const JS_APP = `{IMPORT}
// @debuggable
function risky(cfg, label) {
  const numerator = helper(5);
  const result = numerator / cfg.divisor.value;
  return result + label;
}
{CHECK}
console.log(risky({}, 'x'));
`;
const JS_HELPER = 'function helper(n) { const doubled = n * 2; return doubled; }\n';

for (const [kind, app, helperFile, imports, exports] of [
  ['CommonJS', 'app.js', 'helper.js', "const { helper } = require('./helper.js');", 'module.exports = { helper };\n'],
  ['ES module', 'app.mjs', 'helper.mjs', "import { helper } from './helper.mjs';", 'export { helper };\n'],
]) {
  test(`ts-pdb run instruments the program's own marked JavaScript (${kind}); unmarked files load as written`, () => {
    const dir = project('cjs');
    // The unmarked helper's source text, as Function.prototype.toString shows it, proves it was not compiled.
    const check =
      "if (helper.toString() !== 'function helper(n) { const doubled = n * 2; return doubled; }') throw new Error('helper was rewritten');";
    writeFileSync(join(dir, app), JS_APP.replace('{IMPORT}', imports).replace('{CHECK}', check));
    writeFileSync(join(dir, helperFile), JS_HELPER + exports);
    const r = run(dir, [CLI, 'run', app], { IPDB_DEBUG: undefined });
    assert.equal(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /helper was rewritten/);
    assert.match(
      r.stderr,
      new RegExp(`File "${app.replace('.', '\\.')}", line 5, in risky\\n {4}const result = numerator / cfg\\.divisor\\.value;`),
    );
    assert.match(r.stderr, /^ {6}numerator = 10$/m);
    assert.match(r.stderr, /^ {6}label = 'x'$/m);
    assert.match(r.stderr, /TypeError: Cannot read properties of undefined \(reading 'value'\)/);
  });
}

test('ts-pdb run loads the .cjs files a program requires, marked ones instrumented', () => {
  // Node has no '.cjs' loader of its own in require.extensions (it loads them with the '.js' one);
  // the register hook once called that missing loader and crashed every program requiring a .cjs file.
  const dir = project('cjs');
  writeFileSync(join(dir, 'plain.cjs'), 'module.exports = { base: 40 };\n');
  writeFileSync(
    join(dir, 'marked.cjs'),
    '// @debuggable\nfunction twice(n) {\n  const shown = n * 2;\n  if (shown > 80) throw new RangeError("over " + shown);\n  return shown;\n}\nmodule.exports = { twice };\n',
  );
  writeFileSync(
    join(dir, 'main.ts'),
    "const { base } = require('./plain.cjs');\nconst { twice } = require('./marked.cjs');\nconsole.log('sum', twice(base + 1));\n",
  );
  const r = run(dir, [CLI, 'run', 'main.ts'], { IPDB_DEBUG: '1' });
  assert.doesNotMatch(r.stderr, /is not a function/);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /File "marked\.cjs", line 4, in twice[^]*^ {6}shown = 82$/m);
  assert.match(r.stderr, /RangeError: over 82/);
});
