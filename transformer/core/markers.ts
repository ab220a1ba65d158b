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

/**
 * Reads `@debuggable` / `@no-debug` out of comments (`// ...` or `/* ... *\/`, one or several, as
 * the trivia before a node holds them). A marker is a tag, as in JSDoc: it starts the comment or one
 * of its lines (after `*`); a comment that mentions it in prose (`` use `// @debuggable` to ... ``)
 * marks nothing.
 */
export function commentMarker(text: string): CommentMarker {
  let found: CommentMarker;
  for (const [comment] of text.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)) {
    const lines = comment.startsWith('//') ? [comment.slice(2)] : comment.slice(2, -2).split('\n');
    for (const line of lines) {
      const tag = /^[\s*]*@(debuggable|no-debug)\b/.exec(line)?.[1];
      if (tag === 'no-debug') return 'no-debug';
      if (tag) found = 'debuggable';
    }
  }
  return found;
}
