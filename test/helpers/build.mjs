// Builds TypeScript sources with and without the ts-pdb transformer, into a scratch folder inside
// the package (so that `ts-pdb/capture` resolves to this checkout by self-reference).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ts = require('typescript');
const { createTransformer } = require(join(ROOT, 'dist/transformer/index.js'));

/** A fresh scratch folder under .tmp/ at the package root (git-ignored; inside the package so that ts-pdb resolves by self-reference). */
export function scratch(prefix = 'build-') {
  const base = join(ROOT, '.tmp');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, prefix));
}

/**
 * Transpiles `source` (a file name for positions) with `ts.transpileModule`.
 * @param {string} source TypeScript text
 * @param {{ fileName?: string, transform?: false | object, compilerOptions?: object }} opts
 *   transform: false for the plain build, or the transformer's options.
 */
export function transpile(source, { fileName = 'input.ts', transform = {}, compilerOptions = {} } = {}) {
  const out = ts.transpileModule(source, {
    fileName,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      sourceMap: true,
      ...compilerOptions,
    },
    transformers: transform === false ? undefined : { before: [createTransformer(transform)] },
  });
  return { code: out.outputText, map: out.sourceMapText };
}

/** Writes the output of {@link transpile} next to a copy of the source, and returns the JS path. */
export function writeBuild(dir, name, source, opts) {
  const tsPath = join(dir, name + '.ts');
  const jsPath = join(dir, name + '.js');
  writeFileSync(tsPath, source);
  const { code, map } = transpile(source, { fileName: tsPath, ...opts });
  const mapName = name + '.js.map';
  writeFileSync(jsPath, code.replace(/\/\/# sourceMappingURL=.*$/m, '') + `\n//# sourceMappingURL=${mapName}\n`);
  if (map) writeFileSync(join(dir, mapName), map);
  return jsPath;
}

const babel = require('@babel/core');
const BABEL_PLUGIN = join(ROOT, 'dist/transformer/babel/index.js');

/**
 * Transpiles `source` with Babel (8, from the dev dependencies): the TypeScript preset, modules to
 * CommonJS, `using` lowered for Node 20, and the decorators plugin when asked; with ts-pdb's Babel
 * plugin unless `transform` is false. A file without import/export is a script (sloppy unless it
 * says "use strict"), as TypeScript treats it.
 * @param {string} source TypeScript text
 * @param {{ fileName?: string, transform?: false | object, decorators?: 'legacy' | '2023-11' }} opts
 */
export function babelTranspile(source, { fileName = 'input.ts', transform = {}, decorators } = {}) {
  const out = babel.transformSync(source, {
    filename: fileName,
    babelrc: false,
    configFile: false,
    sourceMaps: true,
    sourceType: 'unambiguous',
    presets: [require.resolve('@babel/preset-typescript')],
    plugins: [
      ...(transform === false ? [] : [[BABEL_PLUGIN, transform]]),
      ...(decorators ? [[require.resolve('@babel/plugin-proposal-decorators'), { version: decorators }]] : []),
      require.resolve('@babel/plugin-transform-explicit-resource-management'),
      require.resolve('@babel/plugin-transform-modules-commonjs'),
    ],
  });
  return { code: out.code, map: out.map };
}

/** As {@link writeBuild}, with {@link babelTranspile}. */
export function writeBabelBuild(dir, name, source, opts) {
  const tsPath = join(dir, name + '.ts');
  const jsPath = join(dir, name + '.js');
  writeFileSync(tsPath, source);
  const { code, map } = babelTranspile(source, { fileName: tsPath, ...opts });
  const mapName = name + '.js.map';
  writeFileSync(jsPath, code + `\n//# sourceMappingURL=${mapName}\n`);
  writeFileSync(join(dir, mapName), JSON.stringify(map));
  return jsPath;
}
