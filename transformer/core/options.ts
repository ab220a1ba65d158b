/**
 * Options of the transform, the same for the TypeScript transformer and (later) the Babel plugin.
 */

/** Options accepted in tsconfig `plugins` entries and by `createTransformer(options)`. */
export interface TransformOptions {
  /**
   * When false, the transform only removes the markers (`@attachOnError()` decorators and their
   * import) and emits the program otherwise byte for byte as without the plugin. Also turned off by
   * the environment variable `TS_PDB_BUILD=off`. Default: true.
   */
  enabled?: boolean;
  /**
   * `"marked"` instruments only marked functions (the debug boundaries); `"all"` captures the
   * locals of every function of the included files (marked ones stay boundaries; `// @no-debug`
   * opts out). Default: `"marked"`.
   */
  instrument?: 'marked' | 'all';
  /** Module the instrumented code imports its capture entry points from. Default: `"ts-pdb/capture"`. */
  runtimeModule?: string;
  /**
   * With `instrument: "all"`: the functions given to a test runner's `test`, `it` (and their
   * modifiers: `test.only`, ...) and hooks (`beforeEach`, ...) are debug boundaries, so that a test
   * that fails through any function opens the session as the error leaves the test
   * (core/test-callbacks.ts). The Vite plugin sets it (Vitest). Default: false.
   */
  testBoundaries?: boolean;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<TransformOptions>;

/** Fills in defaults and applies `TS_PDB_BUILD=off`; rejects bad values with a clear message. */
export function resolveOptions(options: TransformOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const instrument = options.instrument ?? 'marked';
  if (instrument !== 'marked' && instrument !== 'all') {
    throw new TypeError(`ts-pdb transformer: option "instrument" must be "marked" or "all", not ${JSON.stringify(instrument)}`);
  }
  const off = /^(off|0|false|no)$/i.test(env.TS_PDB_BUILD ?? '');
  return {
    enabled: options.enabled !== false && !off,
    instrument,
    runtimeModule: options.runtimeModule ?? 'ts-pdb/capture',
    testBoundaries: options.testBoundaries === true,
  };
}
