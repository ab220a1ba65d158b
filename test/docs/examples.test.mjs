// The example projects (examples/<name>/) are what their READMEs say: each has its README, a
// package.json and a package-lock.json that agree and depend on this checkout, the configuration
// a README shows is the one the folder uses (a user copies it), and both top-level READMEs link
// every example. Whether the examples run is test/e2e/example*.test.mjs's business.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/build.mjs';

const EXAMPLES = join(ROOT, 'examples');
const NAMES = ['babel', 'distributed', 'jest', 'ts-patch', 'vitest'];
const read = (...parts) => readFileSync(join(EXAMPLES, ...parts), 'utf8');

/** The first fenced block of `lang` after `marker` in `text`. */
function blockAfter(text, marker, lang) {
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `the README has ${marker}`);
  const m = new RegExp('```' + lang + '\\n([^]*?)```').exec(text.slice(at));
  assert.ok(m, `a \`\`\`${lang} block follows ${marker}`);
  return m[1];
}

test('the examples are ts-patch, babel, jest, distributed and vitest', () => {
  const dirs = readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  assert.deepEqual(dirs, NAMES);
});

for (const name of NAMES) {
  test(`examples/${name}: a README, and a package.json and package-lock.json that agree and link this checkout`, () => {
    assert.match(read(name, 'README.md'), /^# Example: /);
    const pkg = JSON.parse(read(name, 'package.json'));
    assert.equal(pkg.private, true);
    assert.equal(pkg.dependencies['ts-pdb'], 'file:../..');
    const lock = JSON.parse(read(name, 'package-lock.json'));
    const root = lock.packages[''];
    assert.equal(root.name, pkg.name);
    assert.deepEqual(root.dependencies, pkg.dependencies, 'package-lock.json is up to date (npm install)');
    assert.deepEqual(root.devDependencies, pkg.devDependencies, 'package-lock.json is up to date (npm install)');
    assert.deepEqual(lock.packages['node_modules/ts-pdb'], { resolved: '../..', link: true }, 'ts-pdb is a link to the checkout');
  });
}

test('examples/ts-patch: the README shows its tsconfig.json', () => {
  const shown = blockAfter(read('ts-patch', 'README.md'), '[`tsconfig.json`](tsconfig.json):', 'json');
  assert.deepEqual(JSON.parse(shown), JSON.parse(read('ts-patch', 'tsconfig.json')));
});

test("examples/babel: the README shows its babel.config.json, which is README.md's Babel configuration", () => {
  const config = JSON.parse(read('babel', 'babel.config.json'));
  assert.deepEqual(JSON.parse(blockAfter(read('babel', 'README.md'), '[`babel.config.json`](babel.config.json):', 'json')), config);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = /```jsonc\n\/\/ babel\.config\.json\n([^]*?)```/.exec(readme);
  assert.ok(m, 'README.md shows a babel.config.json');
  assert.deepEqual(JSON.parse(m[1]), config);
});

test('examples/jest: the README shows its jest.config.js transform', () => {
  const load = (code) => {
    const module = { exports: {} };
    new Function('module', 'exports', code)(module, module.exports);
    return module.exports;
  };
  const shown = load(blockAfter(read('jest', 'README.md'), '[`jest.config.js`](jest.config.js):', 'js'));
  const actual = load(read('jest', 'jest.config.js'));
  assert.deepEqual(shown, actual);
});

test('examples/vitest: the README shows its vitest.config.ts', () => {
  const shown = blockAfter(read('vitest', 'README.md'), '[`vitest.config.ts`](vitest.config.ts):', 'ts');
  assert.equal(shown, read('vitest', 'vitest.config.ts'));
});

test('examples/distributed: the README shows its npm scripts as npm prints them', () => {
  const { scripts } = JSON.parse(read('distributed', 'package.json'));
  const readme = read('distributed', 'README.md');
  for (const name of ['start', 'mpi']) {
    assert.ok(
      readme.includes(`> ${name}\n> ${scripts[name]}\n`),
      `the README shows npm's header for \`npm ${name === 'start' ? 'start' : 'run ' + name}\`: ${scripts[name]}`,
    );
  }
});

test('README.md and README.zh-CN.md link every example folder', () => {
  for (const file of ['README.md', 'README.zh-CN.md']) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const name of NAMES) assert.ok(text.includes(`](examples/${name})`), `${file} links examples/${name}`);
  }
});
