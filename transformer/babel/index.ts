/**
 * `ts-pdb/babel`: the Babel plugin (`@babel/core` 7 and 8), the same transform as
 * `ts-pdb/transformer` with the same options and the same captured frames.
 *
 * In `babel.config.json` (or `.babelrc`, babel-jest, `@babel/cli`, webpack's babel-loader):
 *
 *     { "presets": ["@babel/preset-typescript"], "plugins": [["ts-pdb/babel", { "instrument": "all" }]] }
 *
 * It rewrites the program when Babel enters it, before the other plugins' visitors run (types
 * are still there: the TypeScript preset strips them after), then refreshes Babel's scope so
 * that the plugins after it (modules to CommonJS, decorators, ...) see the bindings it added.
 */
import { resolveOptions, type TransformOptions as Options } from '../core/options';
import { isOwnFile } from '../core/own-files';
import { type BabelTypes, instrumentProgram } from './instrument';

/** Babel's per-file state, as far as the plugin reads it. */
interface PluginPass {
  filename?: string;
  file: { code: string; opts: { filename?: string | null; plugins?: { key?: string }[] } };
}

/** Plugins that turn ES modules into CommonJS (then the module prologue adds CommonJS's own names). */
const COMMONJS_PLUGINS = new Set(['transform-modules-commonjs', 'babel-plugin-transform-modules-commonjs']);

/**
 * The Babel plugin.
 * @param api Babel's plugin API (its `types` builds the nodes)
 * @param options {@link Options}; defaults: enabled, `instrument: "marked"`, `runtimeModule: "ts-pdb/capture"`
 */
function tsPdbBabelPlugin(api: tsPdbBabelPlugin.BabelApi, options: Options = {}): object {
  api.assertVersion?.('^7.0.0-0 || ^8.0.0-0');
  const resolved = resolveOptions({
    enabled: options.enabled,
    instrument: options.instrument,
    runtimeModule: options.runtimeModule,
    testBoundaries: options.testBoundaries,
  });
  return {
    name: 'ts-pdb',
    manipulateOptions(opts: { plugins?: { key?: string }[] }, parserOpts: { plugins: (string | [string, object])[] }) {
      // `@attachOnError()` must parse in a program that has no other decorator (the marker is
      // removed before any decorator transform sees it). A decorators plugin of the user's own
      // chooses the syntax (it may not have added it to the parser yet: it may come after us).
      const names = parserOpts.plugins.map((p) => (Array.isArray(p) ? p[0] : p));
      if (names.includes('decorators') || names.includes('decorators-legacy')) return;
      if (opts.plugins?.some((p) => /decorators/.test(p.key ?? ''))) return;
      parserOpts.plugins.push('decorators');
    },
    visitor: {
      Program: {
        enter(path: { node: never; scope: { crawl(): void } }, state: PluginPass) {
          if (isOwnFile(state.filename ?? state.file.opts.filename ?? undefined)) return;
          const program = path.node as { sourceType?: string };
          const commonJs =
            program.sourceType !== 'module' || !!state.file.opts.plugins?.some((p) => p.key !== undefined && COMMONJS_PLUGINS.has(p.key));
          const changed = instrumentProgram(
            api.types,
            path.node,
            {
              filename: state.filename ?? state.file.opts.filename ?? 'unknown',
              code: state.file.code,
              commonJs,
            },
            resolved,
          );
          if (changed) path.scope.crawl();
        },
      },
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-namespace
namespace tsPdbBabelPlugin {
  /** The plugin's options (the TypeScript transformer's). */
  export type TransformOptions = Options;
  /** The part of Babel's plugin API the plugin uses. */
  export interface BabelApi {
    types: BabelTypes;
    assertVersion?(range: number | string): void;
  }
}

// `require('ts-pdb/babel')`, Babel's own loader and `import plugin from 'ts-pdb/babel'` all get the
// plugin itself (and `.default` for loaders that look there).
Object.defineProperty(tsPdbBabelPlugin, 'default', { value: tsPdbBabelPlugin, enumerable: false });
export = tsPdbBabelPlugin;
