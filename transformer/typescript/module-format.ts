/**
 * Which module format TypeScript will emit for one source file: the instrumented prologue must be
 * written in that format (a `require` in ES-module output fails at once in Node, `require is not
 * defined in ES module scope`).
 *
 * The answer is TypeScript's own: `getEmitModuleFormatOfFileWorker` (5.6 and later) applies the
 * file's extension (`.mts`/`.cts`), its package.json `"type"` under `node16`/`nodenext`, and the
 * `module` option with its defaults (TypeScript 6 emits ES modules when `module` is unset, 5.x
 * CommonJS). Older TypeScript lines get the same rules from public functions.
 *
 * Touches nothing but the TypeScript API it is given.
 */
import type * as TS from 'typescript';

/** TypeScript's per-file emit format (present in its JavaScript API, internal in its types). */
type FormatWorker = (sf: TS.SourceFile, options: TS.CompilerOptions) => TS.ModuleKind;

/**
 * The module kind TypeScript emits `sf` as, with `options` (the program's compiler options).
 * @returns `ts.ModuleKind.CommonJS` for CommonJS output; an ES kind, `Preserve`, `AMD`, `UMD`,
 *   `System` or `None` otherwise.
 */
export function emitModuleFormat(ts: typeof TS, options: TS.CompilerOptions, sf: TS.SourceFile): TS.ModuleKind {
  const api = ts as unknown as {
    getEmitModuleFormatOfFileWorker?: FormatWorker;
    getEmitModuleKind?: (o: TS.CompilerOptions) => TS.ModuleKind;
  };
  if (typeof api.getEmitModuleFormatOfFileWorker === 'function') return api.getEmitModuleFormatOfFileWorker(sf, options);
  // TypeScript 5.0-5.5 (CommonJS when `module` is unset): the file's own format counts under
  // node16/nodenext and for .mts/.cts.
  const kind = api.getEmitModuleKind?.(options) ?? options.module ?? ts.ModuleKind.CommonJS;
  const implied = (sf as { impliedNodeFormat?: TS.ResolutionMode }).impliedNodeFormat;
  if (kind >= ts.ModuleKind.Node16 && kind <= ts.ModuleKind.NodeNext && implied !== undefined) return implied;
  if (/\.c[tj]s$/.test(sf.fileName)) return ts.ModuleKind.CommonJS;
  if (/\.m[tj]s$/.test(sf.fileName)) return ts.ModuleKind.ESNext;
  return kind;
}

/**
 * True when `sf` is emitted in a format whose module wrapper gives `require`, `module` and
 * `exports` (CommonJS, and the UMD/AMD/None forms that TypeScript also writes with `require`).
 * ES modules, `preserve` and `System` get an `import` instead, which they keep or rewrite themselves.
 */
export function emitsCommonJs(ts: typeof TS, options: TS.CompilerOptions, sf: TS.SourceFile): boolean {
  const format = emitModuleFormat(ts, options, sf);
  return format === ts.ModuleKind.CommonJS || format === ts.ModuleKind.UMD || format === ts.ModuleKind.AMD || format === ts.ModuleKind.None;
}
