/**
 * `ts-pdb/vite`: the Vite plugin, for Vitest and for Vite's SSR dev server.
 *
 *     // vitest.config.ts (or vite.config.ts)
 *     import { defineConfig } from 'vitest/config';
 *     import tsPdb from 'ts-pdb/vite';
 *     export default defineConfig({ plugins: [tsPdb()] });           // tsPdb({ instrument: 'all' })
 *
 * - The transform: every included module that may hold a marker (or, with `instrument: "all"`,
 *   every one) goes through the ts-pdb transform before Vite's own TypeScript pass, with a source
 *   map that Vite chains (transformer/vite/compile-for-vite.ts).
 * - The runtime stays one: `ts-pdb` is external to Vite's SSR and to Vitest (a linked or workspace
 *   ts-pdb is outside node_modules, which Vitest would otherwise run through its own module runner,
 *   beside Node's copy that `ts-pdb` itself requires: two captures, two `Debugger`s).
 * - Under Vitest with debugging on, the main process makes room for the sessions of its workers
 *   (vitest-terminal.ts).
 * - In Vite's SSR dev server, a session shows the TypeScript lines of modules `ssrLoadModule` ran
 *   (ssr-stacks.ts).
 *
 * Debugging itself is switched on as everywhere else: `IPDB_DEBUG=1 vitest run`.
 */
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type * as TS from 'typescript';
import type { Plugin } from 'vite' with { 'resolution-mode': 'import' };
import { resolveOptions, type ResolvedOptions } from '../../transformer/core/options';
import { isOwnFile } from '../../transformer/core/own-files';
import { compileForVite, compileWithBabel, mayInstrument, type BabelCore } from '../../transformer/vite/compile-for-vite';
import { mapSsrStacks } from './ssr-stacks';
import { prepareVitest, type VitestContext } from './vitest-terminal';

/** A pattern of files, as Vite's `createFilter` takes it: a glob (relative to the root), a RegExp, or a list of them. */
type FilterPattern = string | RegExp | readonly (string | RegExp)[] | null | undefined;

/** The files a plugin instance compiles by default: JavaScript and TypeScript, JSX included. */
const DEFAULT_INCLUDE = /\.[cm]?[jt]sx?$/;
/** ...and leaves alone: packages. */
const DEFAULT_EXCLUDE = /[\\/]node_modules[\\/]/;

/** ts-pdb's built files (this file is dist/runtime/vite/index.js): what Vitest must not inline. */
const OWN_DIST = path.resolve(__dirname, '..', '..') + path.sep;

/**
 * The Vite plugin.
 * @param options see {@link tsPdb.Options}; defaults: `instrument: "marked"`, JavaScript and TypeScript files
 *   outside `node_modules`, enabled.
 */
function tsPdb(options: tsPdb.Options = {}): Plugin {
  // Bad options are the user's mistake: said at once, when the config loads. With `instrument: "all"`
  // a test's function is a boundary (core/test-callbacks.ts): a test failing through any function opens the session.
  const transform: ResolvedOptions = resolveOptions({ enabled: options.enabled, instrument: options.instrument, testBoundaries: true });
  let root = process.cwd();
  let filter: (id: string) => boolean = (id) => DEFAULT_INCLUDE.test(id) && !DEFAULT_EXCLUDE.test(id);
  let compiler: Compiler | undefined;
  let unmapSsrStacks: (() => void) | undefined;

  const plugin: Plugin & { configureVitest(context: VitestContext): void } = {
    name: 'ts-pdb',
    // Before Vite's TypeScript pass (esbuild or Oxc), which drops the `// @debuggable` comments and
    // lowers the decorators the transform looks for.
    enforce: 'pre',

    config() {
      return {
        ssr: { external: ['ts-pdb'] },
        // Vitest's own externalisation matches paths: a linked checkout's files are not in node_modules.
        test: { server: { deps: { external: [new RegExp(`^${escapeRegExp(OWN_DIST)}`)] } } },
      } as Record<string, unknown>;
    },

    async configResolved(config) {
      root = config.root;
      // Vite's own globs and RegExps (as every other plugin reads include/exclude), relative to the root.
      const { createFilter } = await import('vite');
      const include = options.include ?? DEFAULT_INCLUDE;
      const exclude = options.exclude ?? DEFAULT_EXCLUDE;
      filter = createFilter(include, exclude, { resolve: root });
    },

    transform(code, id) {
      if (id.startsWith('\0')) return null;
      const file = id.replace(/[?#].*$/, '');
      if (!filter(file) || isOwnFile(file) || !mayInstrument(code, transform)) return null;
      compiler ??= compilerOf(root);
      const out = compiler.ts
        ? compileForVite(compiler.ts, code, file, transform)
        : compileWithBabel(compiler.babel, code, file, transform);
      if (out.errors !== undefined) return this.error(out.errors);
      return { code: out.code, map: out.map };
    },

    configureServer(server) {
      // The sessions of errors in modules that server.ssrLoadModule ran: at their TypeScript lines.
      unmapSsrStacks?.();
      unmapSsrStacks = mapSsrStacks(server);
    },

    closeBundle() {
      unmapSsrStacks?.();
      unmapSsrStacks = undefined;
    },

    configureVitest(context) {
      prepareVitest(context);
    },
  };
  return plugin;
}

/** What compiles the files: TypeScript's compiler API, or Babel. */
type Compiler = { ts: typeof TS; babel?: undefined } | { ts?: undefined; babel: BabelCore };

/**
 * The project's compiler: its TypeScript (5 or 6: a compiler API), found from Vite's root; with
 * TypeScript 7 (the Go compiler, no API) its `@babel/core`. A project without TypeScript gets the
 * one ts-pdb finds. Neither: a message that says what to install.
 */
function compilerOf(root: string): Compiler {
  const fromRoot = (id: string, from = path.join(root, 'package.json')): unknown => {
    try {
      return createRequire(from)(id);
    } catch {
      return undefined;
    }
  };
  const projectTs = fromRoot('typescript') as Partial<typeof TS> | undefined;
  const ts = projectTs ?? (fromRoot('typescript', __filename) as Partial<typeof TS> | undefined);
  if (typeof ts?.transpileModule === 'function') return { ts: ts as typeof TS };
  const babel = (fromRoot('@babel/core') ?? fromRoot('@babel/core', __filename)) as BabelCore | undefined;
  if (typeof babel?.transformSync === 'function') return { babel };
  throw new Error(
    "ts-pdb/vite compiles the files it instruments with the project's TypeScript 5 or 6 (npm install --save-dev typescript@6), " +
      'or, with TypeScript 7 (no compiler API), with Babel (npm install --save-dev @babel/core); neither was found from ' +
      root,
  );
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// eslint-disable-next-line @typescript-eslint/no-namespace
namespace tsPdb {
  /** The options of {@link tsPdb}. */
  export interface Options {
    /**
     * `"marked"` instruments the marked functions (`// @debuggable`, `@attachOnError()`); `"all"`
     * captures the locals of every function of the included files (marked ones stay the debug
     * boundaries; `// @no-debug` opts one out). Default: `"marked"`.
     */
    instrument?: 'marked' | 'all';
    /** Files to compile (globs relative to Vite's root, or RegExps, as Vite's `createFilter`). Default: `/\.[cm]?[jt]sx?$/`. */
    include?: FilterPattern;
    /** Files to leave alone. Default: `/[\\/]node_modules[\\/]/`. */
    exclude?: FilterPattern;
    /** False: the markers are removed and nothing is instrumented (as `TS_PDB_BUILD=off`). Default: true. */
    enabled?: boolean;
  }
}

// `import tsPdb from 'ts-pdb/vite'` (Node's ES modules see `module.exports` as the default), `require('ts-pdb/vite')`,
// and bundlers that look at `.default`, all get the plugin itself.
Object.defineProperty(tsPdb, 'default', { value: tsPdb, enumerable: false });
export = tsPdb;
