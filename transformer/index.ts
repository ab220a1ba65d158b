/**
 * `ts-pdb/transformer`: the TypeScript transformer.
 *
 * - With ts-patch (`tspc`), in tsconfig: `"plugins": [{ "transform": "ts-pdb/transformer" }]`,
 *   plus options: `{ "transform": "ts-pdb/transformer", "instrument": "all" }`.
 * - Through the API: `ts.transpileModule(src, { transformers: { before: [createTransformer()] } })`
 *   or `getCustomTransformers: () => ({ before: [createTransformer()] })` (ts-loader).
 * - ts-jest: `astTransformers: { before: [{ path: 'ts-pdb/transformer', options: {...} }] }` (it
 *   reads {@link name}, {@link version} and {@link factory}).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TS from 'typescript';
import { resolveOptions, type TransformOptions } from './core/options';
import { instrumentSourceFile } from './typescript/instrument';

export type { TransformOptions } from './core/options';

/**
 * A `before` transformer factory that instruments marked functions (or all, with
 * `instrument: "all"`). Needs no type checker.
 * @param options see {@link TransformOptions}; defaults: enabled, `instrument: "marked"`.
 * @param ts the TypeScript module to build nodes with (default: `require("typescript")`).
 */
export function createTransformer(options: TransformOptions = {}, ts?: typeof TS): TS.TransformerFactory<TS.SourceFile> {
  const resolved = resolveOptions(options);
  const tsm = ts ?? (require('typescript') as typeof TS);
  return (context) => (sf) => instrumentSourceFile(tsm, context, sf, resolved);
}

/**
 * The ts-patch entry point (a "program" transformer, ts-patch's default type).
 * @param _program the program being compiled (unused: the transform needs no type checker).
 * @param config the tsconfig `plugins` entry: its `enabled` and `instrument` fields are read.
 * @param extras given by ts-patch: the TypeScript module it patched.
 */
export default function tsPatchTransformer(
  _program: TS.Program | undefined,
  config: TransformOptions = {},
  extras?: { ts?: typeof TS },
): TS.TransformerFactory<TS.SourceFile> {
  return createTransformer(
    { enabled: config.enabled, instrument: config.instrument, runtimeModule: config.runtimeModule, testBoundaries: config.testBoundaries },
    extras?.ts,
  );
}

/** ts-jest: the transformer's name, part of Jest's cache key. */
export const name = 'ts-pdb';

/**
 * ts-jest: the transformer's version, part of Jest's cache key. The package version plus a hash of
 * the transformer's own files, so that a changed transform never serves stale cached output.
 */
export const version: string = (() => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.js')) hash.update(readFileSync(p));
    }
  };
  walk(__dirname);
  return `${pkg.version}+${hash.digest('hex').slice(0, 12)}`;
})();

/**
 * ts-jest: builds the transformer with the TypeScript module ts-jest compiles with.
 * @param tsCompiler ts-jest's compiler (its `configSet.compilerModule` is the TypeScript module).
 * @param options the `options` of the `astTransformers` entry.
 */
export function factory(
  tsCompiler: { configSet?: { compilerModule?: typeof TS } },
  options?: TransformOptions,
): TS.TransformerFactory<TS.SourceFile> {
  return createTransformer(options, tsCompiler.configSet?.compilerModule);
}
