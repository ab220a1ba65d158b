/**
 * The markers a user writes, recognised the same way by every adapter.
 *
 * - `// @debuggable` or `/** @debuggable *\/` before any function form: a debug boundary.
 * - `// @no-debug`: opt a function out of `instrument: "all"` (and out of a marker).
 * - `@attachOnError()` / `@Debugger.attachOnError()` decorators imported from `ts-pdb`.
 */

/** Module specifiers whose `attachOnError` / `Debugger` imports are ts-pdb's markers. */
export const RUNTIME_MODULES: ReadonlySet<string> = new Set(['ts-pdb']);

/** Import names that are markers when used as a decorator (`@attachOnError()`, `@Debugger.attachOnError()`). */
export const DECORATOR_EXPORT = 'attachOnError';
/** The namespace-like export that also carries the decorator (`Debugger.attachOnError`). */
export const DEBUGGER_EXPORT = 'Debugger';

/** What a comment says about the function that follows it. */
export type CommentMarker = 'debuggable' | 'no-debug' | undefined;

/** Reads `@debuggable` / `@no-debug` out of a comment's text (`// ...` or `/* ... *\/`). */
export function commentMarker(text: string): CommentMarker {
  if (/(^|[\s*/])@no-debug\b/.test(text)) return 'no-debug';
  if (/(^|[\s*/])@debuggable\b/.test(text)) return 'debuggable';
  return undefined;
}
