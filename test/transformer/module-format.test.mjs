// The instrumented prologue is written in the module format TypeScript emits for each file: a
// `require` in ES-module output made Node fail at once (`require is not defined in ES module scope`;
// issue #9: TypeScript 6 emits ES modules when `module` is unset, and the transformer assumed CommonJS).
//
// Every `module` setting, with and without `"type": "module"`, and .ts/.mts/.cts files, built by a
// real Program (as tspc builds) with TypeScript 6 and 5.9: the instrumented build behaves as the
// plain build does (same output, same error, same exit code: where the plain build itself cannot
// run, because the setting contradicts the package type, the instrumented one fails the same way),
// and where it runs, the report with debugging on shows the frame's locals at its TypeScript line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';

const require = createRequire(import.meta.url);
const { createTransformer } = require(path.join(ROOT, 'dist/transformer/index.js'));

const SOURCE = `import { basename } from 'node:path';

// @debuggable
export function scale(x: number) {
  const doubled = x * 2;
  if (doubled > 1) throw new RangeError('too big in ' + basename('/data/input.txt'));
  return doubled;
}

console.log('start');
scale(3);
`;

const FILES = ['a.ts', 'b.mts', 'c.cts'];
const MODULES = [undefined, 'commonjs', 'esnext', 'node16', 'nodenext', 'preserve'];

/** Parsed lib .d.ts files of each TypeScript, shared by the programs (parsing them is most of a build's time). */
const libs = new Map();

/**
 * Builds FILES in `dir` with one Program of `ts`, as tspc does, twice: plain into `dir/<plainDir>`
 * and with the transformer into `dir/<instDir>`.
 */
function build(ts, dir, module, plainDir, instDir) {
  const json = {
    module,
    outDir: 'out',
    rootDir: '.',
    types: [],
    sourceMap: true,
    target: 'es2022',
    ...(module === 'preserve' ? { moduleResolution: 'bundler' } : {}),
  };
  const { options, errors } = ts.convertCompilerOptionsFromJson(json, dir);
  assert.deepEqual(errors, []);
  const host = ts.createCompilerHost(options);
  const cache = libs.get(ts) ?? libs.set(ts, new Map()).get(ts);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, version, ...rest) => {
    if (!fileName.includes(`${path.sep}node_modules${path.sep}`)) return getSourceFile(fileName, version, ...rest);
    const key = `${fileName} ${JSON.stringify(version)}`;
    return cache.get(key) ?? cache.set(key, getSourceFile(fileName, version, ...rest)).get(key);
  };
  const program = ts.createProgram(
    FILES.map((f) => path.join(dir, f)),
    options,
    host,
  );
  const out = path.join(dir, 'out');
  for (const [to, transformers] of [
    [plainDir, undefined],
    [instDir, { before: [createTransformer({}, ts)] }],
  ]) {
    const writeFile = (name, text) => {
      const target = path.join(dir, to, path.relative(out, name));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    };
    assert.equal(program.emit(undefined, writeFile, undefined, false, transformers).emitSkipped, false);
  }
}

/** Runs a built file; returns what a user sees of it. */
function run(file, env = {}) {
  const r = spawnSync(process.execPath, [file], {
    // In the build's folder, not the checkout: a report leaves its snapshot in the working folder.
    cwd: path.dirname(file),
    encoding: 'utf8',
    input: '',
    env: { ...process.env, CI: 'true', NO_COLOR: '1', IPDB_DEBUG: '0', ...env },
  });
  const firstError = r.stderr.split('\n').find((l) => /^\w*Error\b|^\w+Error:|Error \[/.test(l)) ?? '';
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, error: firstError.replace(/\/[^\s]*\.tmp\/[^\s]*/g, '<path>') };
}

// TypeScript 5.9 differs where `module` is unset (CommonJS there); the other settings decide alike.
for (const [label, pkg, modules] of [
  ['typescript', 'typescript', MODULES],
  ['typescript 5.9', 'typescript-5-9', [undefined, 'commonjs', 'nodenext']],
]) {
  const ts = require(pkg);
  for (const type of [undefined, 'module']) {
    test(`${label}: module formats with ${type ? '"type": "module"' : 'no "type"'}: the instrumented build runs as the plain build does`, () => {
      const dir = scratch('module-format-');
      try {
        fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', ...(type ? { type } : {}) }));
        // A project of its own: ts-pdb from node_modules, as after an install.
        fs.mkdirSync(path.join(dir, 'node_modules'));
        fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'ts-pdb'), 'dir');
        for (const f of FILES) fs.writeFileSync(path.join(dir, f), SOURCE);
        let ran = 0;
        for (const module of modules) {
          const plainDir = `plain-${module ?? 'unset'}`;
          const instDir = `inst-${module ?? 'unset'}`;
          build(ts, dir, module, plainDir, instDir);
          for (const f of FILES) {
            const js = f
              .replace(/\.ts$/, '.js')
              .replace(/\.mts$/, '.mjs')
              .replace(/\.cts$/, '.cjs');
            const row = `${label}, type ${type ?? 'unset'}, module ${module ?? 'unset'}, ${f}`;
            const plain = run(path.join(dir, plainDir, js));
            const inst = run(path.join(dir, instDir, js));
            assert.equal(inst.status, plain.status, `${row}: exit code\n${inst.stderr}`);
            assert.equal(inst.stdout, plain.stdout, `${row}: stdout`);
            assert.equal(inst.error, plain.error, `${row}: the error\nplain:\n${plain.stderr}\ninstrumented:\n${inst.stderr}`);
            if (plain.stdout !== 'start\n') continue; // TypeScript's own output cannot run with this package type
            ran++;
            assert.match(plain.error, /^RangeError: too big in input\.txt/, row);
            const debug = run(path.join(dir, instDir, js), { IPDB_DEBUG: '1' });
            assert.match(
              debug.stderr,
              new RegExp(`${f.replace('.', '\\.')}", line 6, in scale`),
              `${row}: the frame at its TypeScript line\n${debug.stderr}`,
            );
            assert.match(debug.stderr, /doubled = 6/, `${row}: the frame's locals\n${debug.stderr}`);
            assert.match(debug.stderr, /RangeError: too big in input\.txt/, `${row}: the original error goes on`);
          }
        }
        // Most rows run: all but the settings that contradict the package type.
        assert.ok(ran >= modules.length * 2, `runnable rows: ${ran}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}
