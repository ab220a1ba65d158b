/**
 * `ts-pdb/babel`: the Babel plugin (`@babel/core` 7 and 8), the same transform as
 * `ts-pdb/transformer` with the same options and the same captured frames.
 *
 * In `babel.config.json` (or `.babelrc`, babel-jest, `@babel/cli`, webpack's babel-loader):
 *
 *     { "presets": ["@babel/preset-typescript"], "plugins": [["ts-pdb/babel", { "instrument": "all" }]] }
 *
 * It rewrites the program before the other plugins' visitors run (types are still there: the
 * TypeScript preset strips them after): as Babel's parser returns it when ts-pdb is the first
 * plugin (Babel then builds its scope once, for the rewritten program), otherwise when Babel
 * enters it, and then refreshes Babel's scope so that the plugins after it (modules to CommonJS,
 * decorators, ...) see the bindings it added.
 */
import { resolveOptions, type TransformOptions as Options } from '../core/options';
import { isOwnFile } from '../core/own-files';
import { type BabelTypes, instrumentProgram } from './instrument';

/** A plugin of the file's options (Babel's `Plugin`), as far as the plugin reads it. */
interface LoadedPlugin {
  key?: string;
  parserOverride?: unknown;
}

/** The file's options (Babel's, after its config is loaded), as far as the plugin reads them. */
interface FileOptions {
  filename?: string | null;
  /** The plugins of the first pass, in the order their visitors run (a preset's after the user's). */
  plugins?: LoadedPlugin[];
  /** Each preset's plugins in a pass of its own. */
  passPerPreset?: boolean;
}

/** Babel's per-file state, as far as the plugin reads it. */
interface PluginPass {
  filename?: string;
  file: { code: string; opts: FileOptions };
}

/** Plugins that turn ES modules into CommonJS (then the module prologue adds CommonJS's own names). */
const COMMONJS_PLUGINS = new Set(['transform-modules-commonjs', 'babel-plugin-transform-modules-commonjs']);

/**
 * True when Babel parses for a transform (its `normalizeFile` asks the parser), not for
 * `babel.parse` (@babel/eslint-parser lints what that returns: the program as written). Babel
 * tells its plugins nothing else that differs between the two; a stack without the name (a
 * bundled Babel) answers false, and the program is instrumented in Program.enter, as before.
 */
function transforming(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  try {
    return /\bnormalizeFile\b/.test(new Error().stack ?? '');
  } finally {
    Error.stackTraceLimit = limit;
  }
}

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
  const instrument = (program: never, filename: string | null | undefined, code: string, commonJsPlugin: boolean): boolean => {
    const sourceType = (program as { sourceType?: string }).sourceType;
    return instrumentProgram(
      api.types,
      program,
      { filename: filename ?? 'unknown', code, commonJs: sourceType !== 'module' || commonJsPlugin },
      resolved,
    );
  };
  // Per file (by its parser options, which Babel hands to manipulateOptions and then to the
  // parser): the facts the program is instrumented with when it can be at parse time.
  const atParse = new WeakMap<object, { filename: string | null | undefined; commonJsPlugin: boolean }>();
  // Programs the parser override has handled: the visitor leaves them alone.
  const handled = new WeakSet<object>();
  const parserOverride = (code: string, parserOpts: object, parse: (code: string, opts: object) => { program: never }) => {
    const facts = atParse.get(parserOpts);
    if (!facts) return undefined;
    atParse.delete(parserOpts);
    if (!transforming()) return undefined;
    const file = parse(code, parserOpts);
    if (!isOwnFile(facts.filename ?? undefined)) instrument(file.program, facts.filename, code, facts.commonJsPlugin);
    handled.add(file.program);
    return file;
  };
  return {
    name: 'ts-pdb',
    manipulateOptions(opts: FileOptions, parserOpts: { plugins: (string | [string, object])[] }) {
      // Instrumented as the parser returns the program (before Babel's File crawls its scopes),
      // Babel's scope is built once, for the program as it will be transformed: otherwise the
      // visitor's Program.enter rewrites it and makes Babel crawl it again (most of the plugin's
      // cost on top of the transform itself). Only when that changes nothing the other plugins
      // see: ts-pdb is the first plugin of a single pass (its Program.enter would run before any
      // other plugin's visitor) and no other plugin overrides the parser.
      const plugins = opts.plugins ?? [];
      if (!opts.passPerPreset && plugins[0]?.parserOverride === parserOverride && plugins.every((p, i) => i === 0 || !p.parserOverride)) {
        atParse.set(parserOpts, {
          filename: opts.filename,
          commonJsPlugin: plugins.some((p) => p.key !== undefined && COMMONJS_PLUGINS.has(p.key)),
        });
      }
      // `@attachOnError()` must parse in a program that has no other decorator (the marker is
      // removed before any decorator transform sees it). A decorators plugin of the user's own
      // chooses the syntax (it may not have added it to the parser yet: it may come after us).
      const names = parserOpts.plugins.map((p) => (Array.isArray(p) ? p[0] : p));
      if (names.includes('decorators') || names.includes('decorators-legacy')) return;
      if (opts.plugins?.some((p) => /decorators/.test(p.key ?? ''))) return;
      parserOpts.plugins.push('decorators');
    },
    parserOverride,
    visitor: {
      Program: {
        enter(path: { node: never; scope: { crawl(): void } }, state: PluginPass) {
          if (handled.has(path.node)) return;
          if (isOwnFile(state.filename ?? state.file.opts.filename ?? undefined)) return;
          const commonJsPlugin = !!state.file.opts.plugins?.some((p) => p.key !== undefined && COMMONJS_PLUGINS.has(p.key));
          const changed = instrument(path.node, state.filename ?? state.file.opts.filename, state.file.code, commonJsPlugin);
          // The plugins after us (modules to CommonJS, decorators, ...) must see the bindings added.
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
