// The README's "Use it in your project", followed word for word by a new user (issue #9): the
// checkout packed with `npm pack`, the tarball installed into new projects outside the checkout (no
// link to it), every command, file and expected session read from README.md itself, run in a real
// shell, the session in a real pseudo-terminal.
//
// Rows: the README's tsconfig (`module: nodenext`, the `"type": "commonjs"` that `npm init -y`
// writes), then `module` unset (no `"type"`), `commonjs`, `nodenext` with `"type": "module"`,
// `esnext` with `"type": "module"`; `ts-pdb run` and `--import ts-pdb/register` in a CommonJS and an
// ES-module project; Babel 8 and Babel 7, each in a CommonJS and an ES-module project. npm's
// warnings are only those the README explains.
//
// Exact versions: every install runs with npm's `before` set to a fixed day, so npm picks what the
// registry had then (ts-pdb's own dependencies, TypeScript, ts-patch, Babel and all they pull in):
// a release elsewhere cannot turn this test red overnight. Move the day forward on purpose.
//
// One deviation, said here: the README's `cd ts-pdb && npm pack` runs here with `--ignore-scripts
// --pack-destination`, because `npm test` has just built dist/ (what `prepack` would do again) and
// the tarball belongs in the scratch folder, not in the checkout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { cleanEnv } from '../helpers/examples.mjs';
import { Pty } from '../helpers/pty.mjs';
import { Screen } from '../helpers/screen.mjs';
import { block, commands, section } from '../helpers/readme.mjs';

/** npm installs what the registry had at the end of this day (npm's `before`). */
const REGISTRY_DAY = '2026-12-01';
/** Installs and builds of a whole project, on a loaded machine. */
const COMMAND_MS = 240_000;

const USE = section('## Use it in your project');
const PACK = block(USE, 'sh', /npm pack/);
const INSTALL = block(USE, 'sh', /npm init/);
const APP = block(USE, 'ts', /^\/\/ src\/app\.ts\n/);
const TSCONFIG = block(USE, 'jsonc', /"plugins": \[\{ "transform": "ts-pdb\/transformer" \}\]/);
const BUILD_AND_RUN = commands(block(USE, 'sh', /npx tspc/));
const SESSION = block(USE, 'text', /^Exception caught in parsePort:[^]*> src\/app\.ts/);
const BABEL_INSTALL = commands(block(USE, 'sh', /@babel\/cli/));
const BABEL_CONFIG = block(USE, 'jsonc', /^\/\/ babel\.config\.json\n/);
const BABEL_BUILD_AND_RUN = commands(block(USE, 'sh', /npx babel src/));
const NO_BUILD = commands(block(USE, 'sh', /ts-pdb run src\/app\.ts/));
/** The CommonJS plugin a CommonJS package adds to Babel, as the README's prose names it. */
const BABEL_CJS = /`npm install\s+--save-dev (@babel\/plugin-transform-modules-commonjs)`/.exec(USE);

/** The line of the README's app that throws (1-based). */
const THROW_LINE = APP.split('\n').findIndex((l) => l.includes('throw new TypeError')) + 1;
const ERROR = 'TypeError: not a port: 80a';

let tmp;
let app;

/** The environment of a user's shell: none of the test's own switches, npm pinned to REGISTRY_DAY, this Node first on PATH. */
function userEnv(extra = {}) {
  const env = cleanEnv({
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
    npm_config_before: REGISTRY_DAY,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
    TS_PDB_HISTORY: '',
    ...extra,
  });
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** Runs `script` with bash (stop at the first failure) in `cwd`; returns its result, failing with its output unless `allowFailure`. */
function sh(script, cwd, { env = {}, allowFailure = false } = {}) {
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
    cwd,
    env: userEnv(env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: COMMAND_MS,
  });
  if (!allowFailure) assert.equal(r.status, 0, `\`${script}\` in ${cwd} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Sets package.json's "type" (`undefined` removes it). */
function setType(dir, type) {
  const file = path.join(dir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (type === undefined) delete pkg.type;
  else pkg.type = type;
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
}

/** The report a run without a terminal prints: the throwing frame at its TypeScript line, its locals, the original error. */
function assertReport(r, row) {
  const seen = `${row}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
  assert.match(r.stderr, new RegExp(`File "src/app\\.ts", line ${THROW_LINE}, in parsePort`), `the frame at its TypeScript line: ${seen}`);
  assert.match(r.stderr, /^ +text = '80a'$/m, `its locals: ${seen}`);
  assert.match(r.stderr, /^ +port = NaN$/m, `its locals: ${seen}`);
  assert.match(r.stderr, new RegExp(`^${ERROR}$`, 'm'), `the original error goes on: ${seen}`);
  assert.equal(r.status, 1, `the program ends as without ts-pdb: ${seen}`);
}

/**
 * Every warning npm printed is one the README explains: on Node 20 (out of support), EBADENGINE
 * for packages that declare Node 22 (ts-patch 4, Babel 8); on Node 22 and 24 none at all.
 */
function assertExplainedWarnings(r, what) {
  const warnings = r.stderr.split('\n').filter((l) => /^npm warn /.test(l));
  const major = Number(process.versions.node.split('.')[0]);
  const unexplained = warnings.filter((l) => !(major < 22 && /^npm warn EBADENGINE /.test(l)));
  assert.deepEqual(unexplained, [], `${what}: npm warned of something the README does not explain:\n${r.stderr}`);
}

/**
 * Checks that the lines of `expected` (a README transcript; `...` lines stand for anything) appear
 * in `text`, whole and in order.
 */
function assertLinesInOrder(text, expected, what) {
  const lines = text.split('\n').map((l) => l.trimEnd());
  let at = 0;
  for (const want of expected.split('\n').map((l) => l.trimEnd())) {
    if (want === '' || want.trim() === '...') continue;
    const i = lines.indexOf(want, at);
    assert.ok(i >= 0, `${what}: the README's line\n  ${want}\nwas not printed (after line ${at}); the session showed:\n${text}`);
    at = i + 1;
  }
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-pdb-readme-'));
  // `cd ts-pdb && npm pack`: the README's step, with the tarball written beside the new project.
  assert.deepEqual(commands(PACK), ['cd ts-pdb && npm pack'], 'the README packs the checkout');
  fs.mkdirSync(path.join(tmp, 'ts-pdb'));
  sh(`npm pack --ignore-scripts --pack-destination ${JSON.stringify(path.join(tmp, 'ts-pdb'))}`, ROOT);
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.ok(fs.existsSync(path.join(tmp, 'ts-pdb', `ts-pdb-${version}.tgz`)), 'npm pack wrote the tarball');
  assert.match(
    INSTALL,
    new RegExp(`npm install \\.\\./ts-pdb/ts-pdb-${version.replace(/\./g, '\\.')}\\.tgz`),
    'the README installs the tarball npm pack writes',
  );
  // The README's install block, as it stands: a new project, ts-pdb from the tarball, TypeScript.
  assertExplainedWarnings(sh(commands(INSTALL).join('\n'), tmp), 'the README install');
  app = path.join(tmp, 'my-app');
  assert.ok(!fs.lstatSync(path.join(app, 'node_modules', 'ts-pdb')).isSymbolicLink(), 'ts-pdb is installed, not linked');
  fs.mkdirSync(path.join(app, 'src'));
  fs.writeFileSync(path.join(app, 'src', 'app.ts'), APP);
  fs.writeFileSync(path.join(app, 'tsconfig.json'), TSCONFIG);
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test(
  'the README project: npm init, the tarball, tspc with the README tsconfig, and the console session the README shows',
  { timeout: 300_000 },
  async () => {
    assert.equal(
      JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')).type,
      'commonjs',
      'npm init -y writes "type": "commonjs"',
    );
    assert.equal(BUILD_AND_RUN.length, 1);
    const p = new Pty('bash', ['-c', BUILD_AND_RUN[0]], { cwd: app, env: { ...userEnv(), CI: undefined }, cols: 120, rows: 40 });
    // The screen as the user sees it (npx's spinner, redrawn in place, is gone from it).
    const screen = new Screen(p);
    const prompts = () => screen.lines().filter((l) => l.startsWith('ipdb>')).length;
    try {
      // The transcript in parts: before the first prompt, then each command with what follows it;
      // after each, every line of the transcript so far is on the screen, whole and in order.
      const parts = SESSION.split(/^(?=ipdb> )/m);
      await screen.waitFor((s) => s.lines().at(-1) === 'ipdb>', COMMAND_MS);
      assertLinesInOrder(screen.text, parts[0], 'before the first prompt');
      for (let i = 1; i < parts.length; i++) {
        const command = /^ipdb> (.*)$/m.exec(parts[i])[1];
        const before = prompts();
        p.type(command);
        if (command === 'q') await p.wait(30_000);
        await screen.waitFor((s) => (command === 'q' ? s.parsing === 0 : prompts() > before && s.lines().at(-1) === 'ipdb>'), 30_000);
        assertLinesInOrder(screen.text, parts.slice(0, i + 1).join(''), `after "${command}"`);
      }
      assert.equal((await p.exited).exitCode, 1, 'the error ends the program as it would have without ts-pdb');
    } finally {
      p.kill();
    }
  },
);

test(
  'every module setting, with the package type it needs: tspc builds, node runs it, the report shows the TypeScript frame and its locals',
  { timeout: 600_000 },
  () => {
    const rows = [
      ['module unset, no "type"', undefined, undefined],
      ['module commonjs, "type": "commonjs"', 'commonjs', 'commonjs'],
      ['module nodenext, "type": "module"', 'nodenext', 'module'],
      ['module esnext, "type": "module"', 'esnext', 'module'],
    ];
    const [line] = /^ *"module": "nodenext",.*\n/m.exec(TSCONFIG);
    try {
      for (const [row, module, type] of rows) {
        const config = module ? TSCONFIG.replace(line, line.replace('nodenext', module)) : TSCONFIG.replace(line, '');
        fs.writeFileSync(path.join(app, 'tsconfig.json'), config);
        setType(app, type);
        fs.rmSync(path.join(app, 'dist'), { recursive: true, force: true });
        sh('npx tspc', app);
        const js = fs.readFileSync(path.join(app, 'dist', 'app.js'), 'utf8');
        assert.equal(
          /^import \* as __tsPdb/m.test(js),
          type === 'module' || module === undefined,
          `${row}: the capture import in the module format TypeScript emits`,
        );
        assertReport(sh('node dist/app.js', app, { env: { IPDB_DEBUG: '1', CI: 'true' }, allowFailure: true }), row);
      }
    } finally {
      fs.writeFileSync(path.join(app, 'tsconfig.json'), TSCONFIG);
      setType(app, 'commonjs');
    }
  },
);

test('no build step: ts-pdb run and node --import ts-pdb/register, in a CommonJS and an ES-module project', { timeout: 300_000 }, () => {
  assert.equal(NO_BUILD.length, 3, 'the README shows three ways');
  try {
    for (const type of ['commonjs', 'module']) {
      setType(app, type);
      for (const command of NO_BUILD) {
        const line = command.replace(' [args]', '');
        assertReport(sh(line, app, { env: { CI: 'true' }, allowFailure: true }), `"type": "${type}": ${line}`);
      }
    }
  } finally {
    setType(app, 'commonjs');
  }
});

for (const babel of [8, 7]) {
  test(
    `Babel ${babel}: the README's install, babel.config.json and build; an ES-module project as it is, a CommonJS one with the CommonJS plugin`,
    { timeout: 600_000 },
    () => {
      assert.equal(BABEL_INSTALL.length, 1);
      assert.ok(BABEL_CJS, 'the README names the CommonJS plugin to install');
      const dir = path.join(tmp, `babel-${babel}`);
      fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
      // A new project as the README makes one, then Babel instead of TypeScript (Babel 7: each package @7, as the README says).
      const [, tarball] = /^(npm install \.\.\/ts-pdb\/\S+)$/m.exec(commands(INSTALL).join('\n'));
      // npm picks the newest Babel whose engines the running Node satisfies (7 on Node 20): each
      // row names its line, as the README says to choose one.
      const install = BABEL_INSTALL[0].replace(/(@babel\/[\w-]+)/g, `$1@${babel}`);
      const cjsPlugin = `${BABEL_CJS[1]}@${babel}`;
      assertExplainedWarnings(
        sh(['npm init -y', tarball, install, `npm install --save-dev ${cjsPlugin}`].join('\n'), dir),
        `Babel ${babel}`,
      );
      const core = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', '@babel', 'core', 'package.json'), 'utf8'));
      assert.equal(Number(core.version.split('.')[0]), babel, `@babel/core ${core.version}`);
      fs.writeFileSync(path.join(dir, 'src', 'app.ts'), APP);
      const config = JSON.parse(BABEL_CONFIG.replace(/^\/\/.*\n/, ''));
      for (const type of ['module', 'commonjs']) {
        setType(dir, type);
        const withCjs = type === 'commonjs' ? { ...config, plugins: [...config.plugins, BABEL_CJS[1]] } : config;
        fs.writeFileSync(path.join(dir, 'babel.config.json'), JSON.stringify(withCjs, null, 2));
        fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
        const [build, run] = BABEL_BUILD_AND_RUN[0].split(' && ');
        sh(build, dir);
        assertReport(
          sh(run.replace('IPDB_MODE=console ', ''), dir, { env: { CI: 'true' }, allowFailure: true }),
          `Babel ${babel}, "type": "${type}"`,
        );
      }
    },
  );
}

const SNAPSHOTS = section('## After the process is gone: snapshots');
const SNAPSHOT_COMMANDS = commands(block(SNAPSHOTS, 'sh', /IPDB_MODE=dump/));
const SNAPSHOT_SESSION = block(SNAPSHOTS, 'text', /^ipdb> p locals\(\)$/m);
const CI_RECIPE = block(SNAPSHOTS, 'yaml', /upload-artifact/);
const GITIGNORE = commands(block(SNAPSHOTS, 'sh', /\.gitignore/));

test(
  "snapshots: the README's dump run, the folder's listing, the session over rank 0's snapshot in a terminal; its CI recipe keeps that folder",
  { timeout: 300_000 },
  async () => {
    assert.equal(SNAPSHOT_COMMANDS.length, 3, 'the README runs, lists, opens');
    const [dump, list, open] = SNAPSHOT_COMMANDS;
    // The project as "Use it in your project" built it (another row may have rebuilt dist/).
    sh(BUILD_AND_RUN[0].split(' && ')[0], app);
    fs.rmSync(path.join(app, 'ts-pdb-dumps'), { recursive: true, force: true });

    const r = sh(dump, app, { allowFailure: true });
    assert.equal(r.status, 1, `the error goes on: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^${ERROR}$`, 'm'));
    assert.match(r.stderr, /^ts-pdb: rank 0: snapshot written: ts-pdb-dumps\/nojob-rank00000-\S+\.tspdb\.json\.gz/m);
    assert.doesNotMatch(r.stderr, /Traceback|ipdb>/, 'dump mode opens no session and prints no report');

    const listing = sh(list, app);
    assert.match(listing.stdout, /^JOB +RANK +HOST +PID +TIME +ERROR +FILE$/m);
    assert.match(listing.stdout, new RegExp(`^- +0 +\\S+ +\\d+ +\\S+ +${ERROR} +nojob-rank00000-`, 'm'));

    // The README's session, line by line, on the screen of a real terminal.
    const p = new Pty('bash', ['-c', open], { cwd: app, env: { ...userEnv(), CI: undefined }, cols: 120, rows: 40 });
    const screen = new Screen(p);
    const prompts = () => screen.lines().filter((l) => l.startsWith('ipdb>')).length;
    try {
      const parts = SNAPSHOT_SESSION.split(/^(?=ipdb> )/m);
      await screen.waitFor((s) => s.lines().at(-1) === 'ipdb>', COMMAND_MS);
      assertLinesInOrder(screen.text, parts[0], 'before the first prompt');
      for (let i = 1; i < parts.length; i++) {
        const command = /^ipdb> (.*)$/m.exec(parts[i])[1];
        const before = prompts();
        p.type(command);
        const ends = command === 'c' || command === 'q';
        if (ends) await p.wait(30_000);
        await screen.waitFor((s) => (ends ? s.parsing === 0 : prompts() > before && s.lines().at(-1) === 'ipdb>'), 30_000);
        assertLinesInOrder(screen.text, parts.slice(0, i + 1).join(''), `after "${command}"`);
      }
      assert.equal((await p.exited).exitCode, 0, 'a session over a snapshot ends with exit code 0');
    } finally {
      p.kill();
    }

    // The CI recipe: its step's environment, in the project, leaves the folder its upload keeps.
    const env = Object.fromEntries([...CI_RECIPE.matchAll(/(IPDB_\w+): "?(\w+)"?/g)].map((m) => [m[1], m[2]]));
    assert.deepEqual(env, { IPDB_DEBUG: '1', IPDB_MODE: 'dump' });
    const kept = /path: (\S+?)\/? \}/.exec(CI_RECIPE)[1];
    fs.rmSync(path.join(app, kept), { recursive: true, force: true });
    const run = /- run: (.*)$/m.exec(CI_RECIPE)[1];
    assert.equal(sh(run, app, { env: { ...env, CI: 'true' }, allowFailure: true }).status, 1);
    assert.equal(
      fs.readdirSync(path.join(app, kept)).filter((n) => n.endsWith('.tspdb.json.gz')).length,
      1,
      `the step leaves one snapshot in ${kept}`,
    );
    // And git leaves it out.
    sh(['git init -q', ...GITIGNORE].join('\n'), app);
    assert.equal(sh(`git check-ignore ${kept}/x.tspdb.json.gz`, app, { allowFailure: true }).status, 0, `${kept}/ is ignored`);
  },
);

const VITEST = section('### Vitest and Vite');
const VITEST_INSTALL = commands(block(VITEST, 'sh', /vitest@/));
const VITEST_FILES = [/^\/\/ vitest\.config\.m?ts\n/, /^\/\/ src\/port\.ts\n/, /^\/\/ test\/port\.test\.ts\n/].map((re) =>
  block(VITEST, 'ts', re),
);
const VITEST_RUN = commands(block(VITEST, 'sh', /vitest run/));
const VITEST_SESSION = block(VITEST, 'text', /^ipdb> p locals\(\)$/m);

test(
  "Vitest: the README's install, vitest.config, module and test in the README's project; the session it shows on a terminal, then the test fails; without one, the report, a snapshot and the failure's exit code",
  { timeout: 300_000 },
  async () => {
    assert.equal(VITEST_INSTALL.length, 1);
    assert.equal(VITEST_RUN.length, 1);
    assertExplainedWarnings(sh(VITEST_INSTALL[0], app), 'the Vitest install');
    // Each file where its first line says, as the user saves it.
    for (const text of VITEST_FILES) {
      const file = path.join(app, /^\/\/ (\S+)\n/.exec(text)[1]);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    // The README's build still builds the program alone (the tsconfig's `include`), tests and config beside it.
    sh(BUILD_AND_RUN[0].split(' && ')[0], app);
    const portTs = VITEST_FILES[1].split('\n');
    const throwLine = portTs.findIndex((l) => l.includes('throw new TypeError')) + 1;

    const p = new Pty('bash', ['-c', VITEST_RUN[0]], { cwd: app, env: { ...userEnv(), CI: undefined }, cols: 120, rows: 40 });
    const screen = new Screen(p);
    const prompts = () => screen.lines().filter((l) => l.startsWith('ipdb>')).length;
    try {
      const parts = VITEST_SESSION.split(/^(?=ipdb> )/m);
      await screen.waitFor((s) => s.lines().at(-1) === 'ipdb>', COMMAND_MS);
      assertLinesInOrder(screen.text, parts[0], 'Vitest, before the first prompt');
      for (let i = 1; i < parts.length; i++) {
        const command = /^ipdb> (.*)$/m.exec(parts[i])[1];
        const before = prompts();
        p.type(command);
        if (command === 'q') await p.wait(60_000);
        await screen.waitFor((s) => (command === 'q' ? s.parsing === 0 : prompts() > before && s.lines().at(-1) === 'ipdb>'), 30_000);
        assertLinesInOrder(screen.text, parts.slice(0, i + 1).join(''), `Vitest, after "${command}"`);
      }
      assert.equal((await p.exited).exitCode, 1, 'vitest run fails as it would have without ts-pdb');
    } finally {
      p.kill();
    }

    // No terminal (CI): the report at the TypeScript line, a snapshot, and Vitest's failure.
    fs.rmSync(path.join(app, 'ts-pdb-dumps'), { recursive: true, force: true });
    const r = sh(VITEST_RUN[0], app, { env: { CI: 'true' }, allowFailure: true });
    const seen = `--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
    const out = r.stdout + r.stderr;
    assert.match(out, new RegExp(`File "src/port\\.ts", line ${throwLine}, in parsePort`), seen);
    assert.match(out, /^ +text = '80a'$/m, seen);
    assert.match(out, /^ +port = NaN$/m, seen);
    assert.match(out, /snapshot written: ts-pdb-dumps\/\S+\.tspdb\.json\.gz/, seen);
    assert.match(out, /FAIL +test\/port\.test\.ts > the port of a config/, seen);
    assert.equal(r.status, 1, seen);
    assert.equal(fs.readdirSync(path.join(app, 'ts-pdb-dumps')).filter((n) => n.endsWith('.tspdb.json.gz')).length, 1);
  },
);
