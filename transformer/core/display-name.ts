/**
 * The name a session shows for a function (`Trainer.step`, `get Trainer.value`, `riskyOperation`,
 * `<anonymous>`), made the same way by both adapters from what each reads of its AST.
 */
import { type ExpressionSyntax } from './expression-kinds';

/** What a function's user-facing name is made of. */
export interface NameParts {
  /** The class of a method, accessor or constructor (`<class>` for an anonymous one); undefined elsewhere. */
  className: string | undefined;
  isConstructor: boolean;
  /** Its own name or key (`step`, `#run`, `[Symbol.iterator]`). */
  own: string | undefined;
  accessor: 'get' | 'set' | undefined;
}

/** The adapter's answers the name is made from. */
export interface NameSyntax<N> extends ExpressionSyntax<N> {
  parent(n: N): N | undefined;
  /** What the user-facing name of a function is made of. */
  nameParts(fn: N): NameParts;
  /**
   * The name a node gives the expression written in it (`const f = ...`, `{ f: ... }`, a
   * parameter's or a binding's default, `f = ...` and any binary expression with a name on its left), or undefined.
   */
  nameFromParent(p: N): string | undefined;
}

/** The user-facing name of a function. */
export function displayName<N>(sx: NameSyntax<N>, fn: N): string {
  const p = sx.nameParts(fn);
  if (p.isConstructor) return `${p.className ?? '<class>'}.constructor`;
  if (p.own) return (p.accessor ? `${p.accessor} ` : '') + (p.className ? `${p.className}.${p.own}` : p.own);
  return contextName(sx, fn) ?? '<anonymous>';
}

/**
 * The name a function takes from where it is written, through the wrappers that do not change
 * what runs (as the runtime names it: `const f = (() => {})!` compiles to `const f = () => {}`, whose name is `f`).
 */
function contextName<N>(sx: NameSyntax<N>, fn: N): string | undefined {
  let p = sx.parent(fn);
  while (p !== undefined && sx.expressionKind(p)?.kind === 'transparent') p = sx.parent(p);
  return p === undefined ? undefined : sx.nameFromParent(p);
}
