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

/** The export that is a breakpoint when called. */
export const BREAKPOINT_EXPORT = 'breakpoint';
/** The `Debugger` member that is a breakpoint when called (py_debug's `set_trace`). */
export const SET_TRACE_MEMBER = 'setTrace';

/** A callee as the marker and breakpoint checks read it: `name(...)` or `object.property(...)`. */
export type CalleeShape<N> = { name: string; id: N } | { object: string; objectId: N; property: string };

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

/**
 * The marker imports of one file: local names bound to ts-pdb's `attachOnError`, `Debugger` and
 * `breakpoint`, and the import declarations they come from (removed when nothing else uses them).
 */
export class MarkerImports<N> {
  /** Local names bound to `attachOnError`. */
  readonly decorator = new Set<string>();
  /** Local names bound to `Debugger`. */
  readonly debuggerNs = new Set<string>();
  /** Local names bound to `breakpoint`. */
  readonly breakpoint = new Set<string>();
  /** The import declarations of ts-pdb (`RUNTIME_MODULES`). */
  readonly declarations = new Set<N>();

  /** Files an import declaration of ts-pdb with its named imports (`imported` as `local`). */
  add(declaration: N, named: Iterable<{ imported: string; local: string }>): void {
    for (const { imported, local } of named) {
      if (imported === DECORATOR_EXPORT) this.decorator.add(local);
      if (imported === DEBUGGER_EXPORT) this.debuggerNs.add(local);
      if (imported === BREAKPOINT_EXPORT) this.breakpoint.add(local);
    }
    this.declarations.add(declaration);
  }

  /** True for a decorator `@attachOnError()` / `@Debugger.attachOnError()` whose call has this callee. */
  isDecoratorCallee(c: CalleeShape<unknown> | undefined): boolean {
    if (!c) return false;
    return 'name' in c ? this.decorator.has(c.name) : this.debuggerNs.has(c.object) && c.property === DECORATOR_EXPORT;
  }

  /** True when a marker import's specifier `local` stays: another use of it, or not a decorator marker. */
  keeps(local: string, usedElsewhere: ReadonlySet<string>): boolean {
    return usedElsewhere.has(local) || !(this.decorator.has(local) || this.debuggerNs.has(local));
  }
}
