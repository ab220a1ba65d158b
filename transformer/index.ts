/**
 * `ts-pdb/transformer`: the TypeScript transformer.
 *
 * - With ts-patch (`tspc`), in tsconfig: `"plugins": [{ "transform": "ts-pdb/transformer" }]`,
 *   plus options: `{ "transform": "ts-pdb/transformer", "instrument": "all" }`.
 * - Through the API: `ts.transpileModule(src, { transformers: { before: [createTransformer()] } })`
 *   or `getCustomTransformers: () => ({ before: [createTransformer()] })` (ts-loader, ts-jest).
 */
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
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tsm: typeof TS = ts ?? require('typescript');
  return (context) => (sf) => instrumentSourceFile(tsm, context, sf, resolved);
}

/**
 * The ts-patch entry point (a "program" transformer, ts-patch's default type).
 * @param _program the program being compiled (unused: the transform needs no type checker).
 * @param config the tsconfig `plugins` entry: its `enabled` and `instrument` fields are read.
 * @param extras given by ts-patch: the TypeScript module it patched.
 */
export default function tsPatchTransformer(
  _program: TS.Program | undefined, config: TransformOptions = {}, extras?: { ts?: typeof TS },
): TS.TransformerFactory<TS.SourceFile> {
  return createTransformer({ enabled: config.enabled, instrument: config.instrument, runtimeModule: config.runtimeModule }, extras?.ts);
}
