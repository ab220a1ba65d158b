/**
 * One module through the ts-pdb transform for Vite's pipeline (the `ts-pdb/vite` plugin,
 * runtime/vite/index.ts): the project's own TypeScript compiles the file with the transformer in
 * front of its own passes (or, for TypeScript 7, which has no compiler API, the project's Babel
 * runs ts-pdb's Babel plugin alone), and hands back the code and a source map to the original file, which
 * Vite chains with the maps of the plugins after it (so a session, a report and Vitest's own
 * errors show the TypeScript lines).
 *
 * Why before Vite's TypeScript pass (`enforce: 'pre'`) and not after it: the markers are a comment
 * (`// @debuggable`) and a decorator (`@attachOnError()`); esbuild and Oxc drop comments and lower
 * decorators, so after them there is nothing left to find. And the transform needs the source's
 * names, lines and scopes, which it reads from the TypeScript.
 *
 * The output is an ES module (CommonJS for `.cts`/`.cjs`), JSX left as it is for Vite's own JSX
 * pass; the tsconfig.json that applies to the file gives everything else (decorators, class fields,
 * the target, at least ES2015), as tsc would build it. Touches nothing but the text it is given.
 */
import type * as TS from 'typescript';
import tsPdbBabelPlugin = require('../babel');
import { createTransformer } from '../index';
import type { ResolvedOptions } from '../core/options';
import { compilerOptionsFor, diagnosticText, fileErrors } from '../typescript/project-config';

/** A source map as Vite (Rollup) takes it from a transform hook. */
export interface ViteSourceMap {
  version: number;
  file?: string;
  sources: string[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
}

/** What {@link compileForVite} gives back: the module's new code and its map, or the compiler's errors. */
export type ViteCompileResult = { code: string; map: ViteSourceMap; errors?: undefined } | { errors: string; code?: undefined };

/**
 * Compiles `code` of `file` (a path, no query) with the ts-pdb transform.
 * @param ts the project's TypeScript (5 or 6: a compiler API with `transpileModule`).
 * @param options the transform's options, resolved.
 */
export function compileForVite(ts: typeof TS, code: string, file: string, options: ResolvedOptions): ViteCompileResult {
  const base = compilerOptionsFor(ts, file);
  const commonJs = /\.c[jt]s$/.test(file);
  const out = ts.transpileModule(code, {
    fileName: file,
    compilerOptions: {
      ...base,
      module: commonJs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext,
      moduleResolution: undefined,
      // The project's target, as its tsc build would lower; below ES2015 a class would become a function.
      target: Math.max(base.target ?? ts.ScriptTarget.ES2022, ts.ScriptTarget.ES2015),
      jsx: ts.JsxEmit.Preserve,
      allowJs: true,
      sourceMap: true,
      inlineSourceMap: false,
      inlineSources: false,
      sourceRoot: undefined,
      mapRoot: undefined,
      declaration: false,
      declarationMap: false,
      emitDeclarationOnly: false,
      noEmit: false,
      outDir: undefined,
      outFile: undefined,
      rootDir: undefined,
      // Vite resolves `./x.ts` itself; rewritten to `./x.js` it would still resolve, but needlessly.
      rewriteRelativeImportExtensions: false,
      verbatimModuleSyntax: commonJs ? false : base.verbatimModuleSyntax,
    },
    transformers: { before: [createTransformer(options, ts)] },
    reportDiagnostics: true,
  });
  const errors = fileErrors(ts, out.diagnostics);
  if (errors.length)
    return {
      errors: errors
        .slice(0, 10)
        .map((d) => diagnosticText(ts, d))
        .join('\n'),
    };
  const map = JSON.parse(out.sourceMapText ?? '{}') as ViteSourceMap;
  // transpileModule names the source by its base name; Vite wants the file, and its text for the
  // maps it chains (a session reads the TypeScript from disk anyway).
  map.sources = [file];
  map.sourcesContent = [code];
  map.file = file;
  return { code: out.outputText.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n'), map };
}

/** The part of `@babel/core` (7 or 8) that {@link compileWithBabel} uses. */
export interface BabelCore {
  transformSync(code: string, options: object): { code?: string | null; map?: object | null } | null;
}

/**
 * Compiles `code` of `file` with the project's Babel and ts-pdb's Babel plugin, for projects whose
 * TypeScript has no compiler API (TypeScript 7): TypeScript in, TypeScript out (only the transform
 * runs; no preset, no configuration file of the project's), so Vite's own TypeScript pass strips the
 * types after it as it would have. The map leads to the original file.
 */
export function compileWithBabel(babel: BabelCore, code: string, file: string, options: ResolvedOptions): ViteCompileResult {
  const ts = /\.[cm]?tsx?$/.test(file);
  const jsx = /x$/.test(file);
  let out: ReturnType<BabelCore['transformSync']>;
  try {
    out = babel.transformSync(code, {
      filename: file,
      babelrc: false,
      configFile: false,
      sourceMaps: true,
      sourceType: 'unambiguous',
      parserOpts: { plugins: [...(jsx ? ['jsx'] : []), ...(ts ? ['typescript'] : [])] },
      plugins: [[tsPdbBabelPlugin, options]],
    });
  } catch (e) {
    // Babel's message names the file, the position and the code around it.
    return { errors: e instanceof Error ? e.message : String(e) };
  }
  const map = out?.map as ViteSourceMap | null | undefined;
  if (!out?.code || !map) return { errors: `${file}: Babel gave no output` };
  map.sources = [file];
  map.sourcesContent = [code];
  return { code: out.code, map };
}

/**
 * True when the file may hold something to instrument, read from its text alone: in marked mode a
 * `@debuggable` comment or an import of ts-pdb (its decorators, `breakpoint()`); with `instrument:
 * "all"` every file. The others go through Vite untouched, at no cost.
 */
export function mayInstrument(code: string, options: ResolvedOptions): boolean {
  // Built with the transform off, only the markers go (their import names ts-pdb).
  if (!options.enabled) return code.includes('ts-pdb');
  return options.instrument === 'all' || code.includes('@debuggable') || code.includes('ts-pdb');
}
