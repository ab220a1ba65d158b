/**
 * Compiles one TypeScript (or JavaScript) file with the ts-pdb transform, for the loader
 * (`node --import ts-pdb/register app.ts`, `ts-pdb run`). Uses the project's own `typescript`
 * and the nearest tsconfig.json's options (decorators, target, ...), with the module format the
 * loader needs and an inline source map, so sessions show the original lines.
 *
 * TypeScript 7 (the Go compiler) has no JavaScript API: with it, or without `typescript`, the
 * project's Babel compiles instead (compile-babel.ts), when it has `@babel/core` and
 * `@babel/preset-typescript`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { createTransformer } from '../../transformer';
import { compilerOptionsFor, diagnosticText, fileErrors } from '../../transformer/typescript/project-config';
import { babelCompiler } from './compile-babel';
import { compileError } from './compile-error';
import { projectRequire } from './project-require';

/** The output module format. */
export type Format = 'module' | 'commonjs';

let ts: typeof TS | null | undefined;
/** The project's TypeScript when it has the compiler API (5.x, 6.x); null otherwise. */
function typescript(): typeof TS | null {
  if (ts === undefined) {
    const t = projectRequire('typescript') as Partial<typeof TS> | undefined;
    ts = t && typeof t.transpileModule === 'function' ? (t as typeof TS) : null;
  }
  return ts;
}

/** Which transform options the loader uses: `TS_PDB_INSTRUMENT=all` instruments every function. */
export function instrumentMode(): 'marked' | 'all' {
  return process.env.TS_PDB_INSTRUMENT === 'all' ? 'all' : 'marked';
}

/** Compiles `source` of `file` to JavaScript in `format`, instrumented, with an inline source map. */
export function compile(source: string, file: string, format: Format): string {
  const t = typescript();
  if (!t) {
    const babel = babelCompiler();
    if (babel) {
      try {
        return babel(source, file, format, instrumentMode());
      } catch (e) {
        // Babel's message names the file, the position and the code around it.
        throw compileError(e instanceof Error ? e.message : String(e));
      }
    }
    throw new Error(
      "ts-pdb/register compiles TypeScript with the project's typescript 5 or 6 (npm install --save-dev typescript@6), " +
        'or, for TypeScript 7 (no compiler API), with Babel (npm install --save-dev @babel/core @babel/preset-typescript ' +
        '@babel/plugin-transform-modules-commonjs); neither was found',
    );
  }
  const base = compilerOptionsFor(t, file);
  const out = t.transpileModule(source, {
    fileName: file,
    compilerOptions: {
      ...base,
      module: format === 'module' ? t.ModuleKind.ESNext : t.ModuleKind.CommonJS,
      moduleResolution: undefined,
      target: base.target ?? t.ScriptTarget.ES2022,
      sourceMap: false,
      inlineSourceMap: true,
      inlineSources: true,
      declaration: false,
      noEmit: false,
      outDir: undefined,
      rootDir: undefined,
      verbatimModuleSyntax: false,
    },
    transformers: { before: [createTransformer({ instrument: instrumentMode() }, t)] },
    reportDiagnostics: true,
  });
  // transpileModule emits code for a file that does not parse: Node would then report the
  // JavaScript's first error, at a line of the compiled code. Its own syntax errors say where.
  const errors = fileErrors(t, out.diagnostics);
  if (errors.length)
    throw compileError(
      errors
        .slice(0, 10)
        .map((d) => diagnosticText(t, d))
        .join('\n'),
    );
  return out.outputText;
}

/** `module` or `commonjs` for a file, as Node decides it (extension, then the nearest package.json's `type`). */
export function formatOf(file: string): Format {
  if (/\.m[tj]s$/.test(file)) return 'module';
  if (/\.c[tj]s$/.test(file)) return 'commonjs';
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (path.dirname(dir) === dir) return 'commonjs';
  }
}

/** ts-pdb's own built files (reached through a link, they are not under node_modules): never compiled. */
const OWN_FILES = path.resolve(__dirname, '..', '..') + path.sep;

/** True for TypeScript files (not declaration files): the loader always compiles them. */
export function isTypeScript(file: string): boolean {
  return /\.[mc]?ts$/.test(file) && !/\.d\.[mc]?ts$/.test(file);
}

/**
 * True when the loader compiles `file`: TypeScript always; the program's own JavaScript (not in a
 * `node_modules` folder) when it has something to instrument (a marker, or `TS_PDB_INSTRUMENT=all`).
 * Other JavaScript is loaded by Node as it is, at no cost.
 */
export function shouldCompile(file: string, source: () => string): boolean {
  if (isTypeScript(file)) return true;
  if (!/\.[mc]?js$/.test(file) || /[\\/]node_modules[\\/]/.test(file) || file.startsWith(OWN_FILES)) return false;
  return instrumentMode() === 'all' || /@debuggable|attachOnError/.test(source());
}
