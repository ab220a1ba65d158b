// The Vite plugin `ts-pdb/vite` in a real Vite (the checkout's): the package export, its options,
// the transform inside Vite's pipeline (which files, what is left alone, a file that does not
// compile), the source map Vite ends with (the plugin's, chained with Vite's own TypeScript pass:
// the throw at its TypeScript line), and Vite's SSR dev server (a session's report at the TypeScript
// lines, for modules run by `ssrLoadModule` and by the environment API's module runner).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { cleanEnv } from '../helpers/examples.mjs';
import { ROOT } from '../helpers/build.mjs';
import { failingTest, STOCK_TS, VITEST, vitestProject } from '../helpers/vitest-project.mjs';

const require = createRequire(import.meta.url);
const { createServer } = await import('vite');

/** 1-based line of the first line of `text` containing `what`. */
function lineIn(text, what) {
  const i = text.split('\n').findIndex((l) => l.includes(what));
  assert.ok(i >= 0, `${what} in\n${text}`);
  return i + 1;
}

/** A Vite dev server for SSR in `dir` (no HTTP server), with `plugins`, closed when the test ends. */
async function viteServer(t, dir, plugins) {
  const server = await createServer({
    configFile: false,
    root: dir,
    logLevel: 'silent',
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: 'custom',
    plugins,
  });
  t.after(() => server.close());
  return server;
}

test('ts-pdb/vite is the plugin for import and require; bad options are said at once', async () => {
  const viaRequire = require('ts-pdb/vite');
  const viaImport = (await import('ts-pdb/vite')).default;
  assert.equal(typeof viaRequire, 'function');
  assert.equal(viaImport, viaRequire);
  assert.equal(viaRequire.default, viaRequire);
  const plugin = viaRequire();
  assert.equal(plugin.name, 'ts-pdb');
  assert.equal(plugin.enforce, 'pre', "before Vite's TypeScript pass, which drops the comment markers");
  assert.throws(() => viaRequire({ instrument: 'every' }), /option "instrument" must be "marked" or "all", not "every"/);
});

test("the source map Vite ends with puts the throw at its TypeScript line (the plugin's map chained with Vite's own)", async (t) => {
  const dir = vitestProject(t, { 'src/stock.ts': STOCK_TS });
  const server = await viteServer(t, dir, [require('ts-pdb/vite')()]);
  const result = await server.environments.ssr.transformRequest('/src/stock.ts');
  assert.match(result.code, /__tsPdb/, 'instrumented');
  // Where the throw is in the code Vite runs, and where its map says it came from.
  const generated = lineIn(result.code, 'throw new RangeError');
  const original = lineIn(STOCK_TS, 'throw new RangeError');
  assert.notEqual(generated, original, 'the code Vite runs has other lines (types gone, capture added): the map has something to do');
  const col = result.code.split('\n')[generated - 1].indexOf('throw new RangeError');
  const pos = originalPositionFor(new TraceMap(result.map), { line: generated, column: col });
  assert.equal(pos.line, original, JSON.stringify(pos));
  assert.equal(pos.column, STOCK_TS.split('\n')[original - 1].indexOf('throw new RangeError'));
  assert.match(pos.source, /(^|\/)stock\.ts$/);
});

test('which files: marked ones and ts-pdb importers by default, not packages; include and exclude as Vite reads them; the rest untouched', async (t) => {
  const plain = 'export interface P { x: number }\nexport function plain(p: P) {\n  return p.x * 2;\n}\n';
  const dir = vitestProject(t, {
    'src/stock.ts': STOCK_TS,
    'src/plain.ts': plain,
    'src/skip/stock.ts': STOCK_TS,
    'node_modules/dep/stock.js':
      '// @debuggable\nexport function take(stock, sku) {\n  if (!stock.has(sku)) throw new Error(sku);\n  return stock.get(sku);\n}\n',
  });
  const tsPdb = require('ts-pdb/vite');
  const withPlugin = await viteServer(t, dir, [tsPdb({ exclude: ['src/skip/**', /node_modules/] })]);
  const without = await viteServer(t, dir, []);
  const code = async (server, url) => (await server.environments.ssr.transformRequest(url)).code;
  assert.match(await code(withPlugin, '/src/stock.ts'), /__tsPdb/);
  assert.doesNotMatch(await code(withPlugin, '/src/skip/stock.ts'), /__tsPdb/, 'excluded by a glob relative to the root');
  assert.equal(
    await code(withPlugin, '/src/plain.ts'),
    await code(without, '/src/plain.ts'),
    'a file with nothing to instrument goes through Vite as without the plugin',
  );
  // Packages are left alone by default.
  const byDefault = await viteServer(t, dir, [tsPdb()]);
  assert.doesNotMatch(await code(byDefault, '/node_modules/dep/stock.js'), /__tsPdb/);
  // include narrows the files; instrument "all" takes every function of them.
  const onlyPlain = await viteServer(t, dir, [tsPdb({ include: /plain\.ts$/, instrument: 'all' })]);
  assert.match(await code(onlyPlain, '/src/plain.ts'), /__tsPdb/);
  assert.doesNotMatch(await code(onlyPlain, '/src/stock.ts'), /__tsPdb/);
});

test('enabled: false: the markers go (the decorator and its import), nothing is instrumented', async (t) => {
  const marked = `import { attachOnError } from 'ts-pdb';
export class Till {
  @attachOnError()
  total(prices: number[]) {
    return prices.reduce((a, b) => a + b, 0);
  }
}
`;
  const dir = vitestProject(t, { 'src/till.ts': marked, 'src/stock.ts': STOCK_TS });
  const server = await viteServer(t, dir, [require('ts-pdb/vite')({ enabled: false })]);
  const till = (await server.environments.ssr.transformRequest('/src/till.ts')).code;
  assert.doesNotMatch(till, /__tsPdb|attachOnError|ts-pdb/);
  assert.match(till, /reduce\(/);
  assert.doesNotMatch((await server.environments.ssr.transformRequest('/src/stock.ts')).code, /__tsPdb/);
});

test("a file that does not compile: the error is TypeScript's, naming the file, line and column", async (t) => {
  const dir = vitestProject(t, { 'src/broken.ts': '// @debuggable\nexport function broken() {\n  return (1 +;\n}\n' });
  const server = await viteServer(t, dir, [require('ts-pdb/vite')()]);
  await assert.rejects(server.environments.ssr.transformRequest('/src/broken.ts'), /broken\.ts\(3,\d+\): error TS\d+: Expression expected/);
});

test("Vite's SSR dev server: a marked function's session (here its report: no terminal) is at the TypeScript lines, by ssrLoadModule and by a module runner; the error itself is left as it was", (t) => {
  const dir = vitestProject(t, {
    'src/stock.ts': STOCK_TS,
    'serve.mjs': `import { createServer, createServerModuleRunner } from 'vite';
import tsPdb from 'ts-pdb/vite';
const server = await createServer({ configFile: false, root: process.cwd(), logLevel: 'silent', appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false }, plugins: [tsPdb()] });
const how = process.argv[2];
const runner = how === 'runner' ? createServerModuleRunner(server.environments.ssr, { hmr: false }) : undefined;
const { reserve } = how === 'runner' ? await runner.import('/src/stock.ts') : await server.ssrLoadModule('/src/stock.ts');
try {
  reserve(new Map([['nut', 12]]), [{ sku: 'nut', qty: 20 }]);
} catch (e) {
  console.log('stack: ' + e.stack.split('\\n')[1].trim());
}
await runner?.close();
await server.close();
`,
  });
  const throwLine = lineIn(STOCK_TS, 'throw new RangeError');
  for (const how of ['ssrLoadModule', 'runner']) {
    const r = spawnSync(process.execPath, ['serve.mjs', how], {
      cwd: dir,
      encoding: 'utf8',
      env: cleanEnv({ CI: 'true', IPDB_DEBUG: '1', IPDB_DUMP: '0', NO_COLOR: '1' }),
      input: '',
      timeout: 60_000,
    });
    const seen = `${how}: exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
    assert.equal(r.status, 0, seen);
    assert.match(r.stderr, /^Exception caught in reserve:$/m, seen);
    assert.match(
      r.stderr,
      new RegExp(
        `  File "src/stock\\.ts", line ${throwLine}, in reserve\\n    if \\(have < line\\.qty\\) throw new RangeError\\([^\\n]*\\n      stock = Map\\(1\\) \\{ 'nut' => 12 \\}\\n`,
      ),
      seen,
    );
    assert.match(r.stderr, /^ {6}have = 12$/m, seen);
    if (how === 'ssrLoadModule') {
      // Vite maps this stack only when asked (server.ssrFixStacktrace): the program's error is unchanged.
      assert.doesNotMatch(r.stdout, new RegExp(`stock\\.ts:${throwLine}:`), seen);
    } else {
      assert.match(r.stdout, new RegExp(`stack: at reserve \\(.*src/stock\\.ts:${throwLine}:\\d+\\)`), seen);
    }
  }
  assert.equal(fs.existsSync(path.join(dir, 'ts-pdb-dumps')), false);
});

test("TypeScript 7 (no compiler API): the project's Babel runs the transform, TypeScript in and out; the map and a failing test's report are at the TypeScript lines", async (t) => {
  // The tool-chain row ts7-run has TypeScript 7 (.ci/run installs it).
  const ts7 = path.join(ROOT, 'test', 'toolchains', 'ts7-run', 'node_modules', 'typescript');
  if (!fs.existsSync(ts7)) {
    if (process.env.CI) assert.fail('test/toolchains/ts7-run is not installed (.ci/run installs it)');
    t.skip('test/toolchains/ts7-run is not installed (.ci/run installs it)');
    return;
  }
  const dir = vitestProject(t, {
    'src/stock.ts': STOCK_TS,
    'test/a.test.ts': failingTest('twenty nuts', 20),
  });
  // The project's own TypeScript is 7; its Babel is the checkout's @babel/core (found from the project).
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ts7, path.join(dir, 'node_modules', 'typescript'), 'dir');
  const projectTs = createRequire(path.join(dir, 'package.json'))('typescript');
  assert.equal(typeof projectTs.transpileModule, 'undefined', 'TypeScript 7 has no compiler API');

  const server = await viteServer(t, dir, [require('ts-pdb/vite')()]);
  const result = await server.environments.ssr.transformRequest('/src/stock.ts');
  assert.match(result.code, /__tsPdb/);
  const generated = lineIn(result.code, 'throw new RangeError');
  const original = lineIn(STOCK_TS, 'throw new RangeError');
  const col = result.code.split('\n')[generated - 1].indexOf('throw new RangeError');
  assert.equal(originalPositionFor(new TraceMap(result.map), { line: generated, column: col }).line, original);

  const r = spawnSync(process.execPath, [VITEST, 'run'], {
    cwd: dir,
    encoding: 'utf8',
    env: cleanEnv({ CI: 'true', IPDB_DEBUG: '1', IPDB_DUMP: '0', NO_COLOR: '1' }),
    input: '',
    timeout: 120_000,
  });
  const seen = `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
  assert.equal(r.status, 1, seen);
  assert.match(
    r.stdout + r.stderr,
    new RegExp(`  File "src/stock\\.ts", line ${original}, in reserve\\n.*\\n {6}stock = Map\\(1\\) \\{ 'nut' => 12 \\}`),
    seen,
  );
  assert.match(r.stdout + r.stderr, /^ {6}have = 12$/m, seen);
  assert.match(r.stdout + r.stderr, /Tests {2}1 failed \(1\)/, seen);
});
