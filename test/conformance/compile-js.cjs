// Compiles plain JavaScript (not TypeScript) the way a build would, with one of ts-pdb's two
// adapters and "instrument all", or with the same compiler and no ts-pdb (the plain build it is
// compared with). Shared by test/conformance/real-programs.test.mjs (the TypeScript compiler and
// acorn, instrumented in full) and scripts/test262-preprocessor.cjs (every test262 test).
//
// CommonJS (not a .mjs) so that test262-harness can `require` the preprocessor that uses it.
'use strict';
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const TRANSFORMER = join(ROOT, 'dist', 'transformer', 'index.js');
const BABEL_PLUGIN = join(ROOT, 'dist', 'transformer', 'babel', 'index.js');

/** The builds a conformance run knows: a compiler, with ts-pdb or without. */
const BUILDS = {
  babel: { compiler: 'babel', instrument: true },
  'babel-plain': { compiler: 'babel', instrument: false },
  ts: { compiler: 'ts', instrument: true },
  'ts-plain': { compiler: 'ts', instrument: false },
};

let babel;
let ts;
let createTransformer;

/**
 * A compiler's refusal of its input (a syntax error Babel throws, or a syntactic diagnostic of
 * `ts.transpileModule`): a build would stop there, so the program never runs compiled.
 */
class CompileRefused extends Error {
  constructor(message) {
    super(message);
    this.name = 'CompileRefused';
  }
}

/**
 * Compiles `source` with build `build` (a key of {@link BUILDS}).
 * @param {string} source JavaScript
 * @param {{ build: keyof BUILDS, fileName: string, sourceType?: 'script' | 'module', runtimeModule?: string }} opts
 *   `sourceType`: a script (sloppy unless it says "use strict"; CommonJS files are scripts) or an
 *   ES module. `runtimeModule`: what instrumented code loads its capture functions from (default
 *   `ts-pdb/capture`, which resolves by self-reference from a file inside this package).
 * @returns {string} the compiled JavaScript
 * @throws {CompileRefused} when the compiler rejects the source (or fails on it without ts-pdb too);
 *   any other error is a failure of ts-pdb's transform
 */
function compileJs(source, opts) {
  const b = BUILDS[opts.build];
  if (!b) throw new TypeError(`unknown build ${JSON.stringify(opts.build)}; one of ${Object.keys(BUILDS).join(', ')}`);
  try {
    return compileWith(b, source, opts);
  } catch (e) {
    if (e instanceof CompileRefused) throw e;
    // The compiler failed (TypeScript 6 asserts on `o?.c.#f` in a return statement): its own
    // failure when it fails without ts-pdb too; ts-pdb's (thrown as is) when only with it.
    if (b.instrument) {
      try {
        compileWith({ ...b, instrument: false }, source, opts);
      } catch (plain) {
        if (!(plain instanceof CompileRefused)) throw compilerFailed(plain);
      }
      throw e;
    }
    throw compilerFailed(e);
  }
}

const compilerFailed = (e) => new CompileRefused(`the compiler failed: ${String(e && e.message).split('\n')[0]}`);

function compileWith(b, source, { fileName, sourceType = 'script', runtimeModule }) {
  const options = { instrument: 'all', ...(runtimeModule ? { runtimeModule } : {}) };
  if (b.compiler === 'babel') {
    babel ??= require('@babel/core');
    let out;
    try {
      out = babel.transformSync(source, {
        filename: fileName,
        babelrc: false,
        configFile: false,
        sourceType,
        // No preset and no other plugin: the output is the input, printed again by Babel's generator
        // (with the ts-pdb plugin, instrumented).
        plugins: b.instrument ? [[BABEL_PLUGIN, options]] : [],
      });
    } catch (e) {
      if (e && (e.code === 'BABEL_PARSE_ERROR' || e instanceof SyntaxError)) throw new CompileRefused(e.message);
      throw e;
    }
    return out.code;
  }
  ts ??= require('typescript');
  createTransformer ??= require(TRANSFORMER).createTransformer;
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      allowJs: true,
      target: ts.ScriptTarget.ESNext,
      newLine: ts.NewLineKind.LineFeed,
      // A script stays a script (no "use strict" added; CommonJS for the capture's `require`), a
      // module stays a module.
      module: sourceType === 'module' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
      moduleDetection: sourceType === 'module' ? ts.ModuleDetectionKind.Force : ts.ModuleDetectionKind.Legacy,
      // alwaysStrict: false is deprecated in TypeScript 6 (an error unless acknowledged).
      alwaysStrict: false,
      ignoreDeprecations: '6.0',
    },
    transformers: b.instrument ? { before: [createTransformer(options, ts)] } : undefined,
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) throw new CompileRefused(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  return out.outputText;
}

module.exports = { ROOT, BUILDS, CompileRefused, compileJs };
