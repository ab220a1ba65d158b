/**
 * What a compile through the project's own TypeScript needs from the project, for the tools that run
 * the transformer on one file at a time (the loader, runtime/register/compile.ts; the Vite plugin,
 * transformer/vite/compile-for-vite.ts): the compiler options of the tsconfig.json that applies to a
 * file, and a syntax error in tsc's words. Reads files; builds no nodes.
 */
import * as path from 'node:path';
import type * as TS from 'typescript';
import { displayPath } from '../../runtime/render/display-path';

const configCache = new Map<string, TS.CompilerOptions>();

/**
 * The compiler options of the tsconfig.json nearest to `file` (none, or one that does not parse:
 * the defaults, `{}`). Cached per tsconfig file for the life of the process.
 */
export function compilerOptionsFor(ts: typeof TS, file: string): TS.CompilerOptions {
  const configPath = ts.findConfigFile(path.dirname(file), ts.sys.fileExists);
  const key = configPath ?? '';
  let options = configCache.get(key);
  if (!options) {
    options = {};
    if (configPath) {
      const read = ts.readConfigFile(configPath, ts.sys.readFile);
      if (!read.error) options = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath)).options;
    }
    configCache.set(key, options);
  }
  return options;
}

/** The errors of `transpileModule` that belong to the file (its syntax errors; not the options'). */
export function fileErrors(ts: typeof TS, diagnostics: readonly TS.Diagnostic[] | undefined): TS.Diagnostic[] {
  return (diagnostics ?? []).filter((d) => d.file && d.category === ts.DiagnosticCategory.Error);
}

/** A diagnostic as tsc prints it: `app.ts(3,11): error TS1109: Expression expected.` */
export function diagnosticText(ts: typeof TS, d: TS.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return `error TS${d.code}: ${message}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${displayPath(d.file.fileName)}(${line + 1},${character + 1}): error TS${d.code}: ${message}`;
}
