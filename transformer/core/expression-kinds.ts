/**
 * What the core asks of an expression (each adapter names the kind of its node; the rules are
 * here, once): which wrappers do not change what runs, which expressions cannot throw (a
 * declaration's initialiser is then not split through a temporary, emit-statements.ts), which is
 * an anonymous class (it takes its name from its declaration: it stays in place).
 */

/**
 * The kinds of expression the rules tell apart; undefined for the others.
 * - `transparent`: parentheses, `as`, `satisfies`, `!`, `<T>x` (Flow's `(x: T)`): `inner` is what runs.
 * - `literal`: a string, number, bigint, boolean, `null` or regular expression literal, a template without substitutions.
 * - `function`: a function or arrow expression (creating one runs nothing of it).
 */
export type ExpressionKind<N> =
  | { kind: 'transparent'; inner: N }
  | { kind: 'literal' }
  | { kind: 'function' }
  | { kind: 'class'; named: boolean }
  | { kind: 'void'; operand: N };

/** The adapter's answer. */
export interface ExpressionSyntax<N> {
  /** The kind of `e` (not looking through wrappers), or undefined for any other node. */
  expressionKind(e: N): ExpressionKind<N> | undefined;
}

/** `e` without the wrappers that do not change what runs. */
export function skipOuter<N>(sx: ExpressionSyntax<N>, e: N): N {
  for (let k = sx.expressionKind(e); k?.kind === 'transparent'; k = sx.expressionKind(e)) e = k.inner;
  return e;
}

/**
 * True when evaluating `e` cannot throw: a literal, a function or arrow expression, and `void` of
 * one (`void 0`, `void /re/`). Not `typeof x` (a binding in its TDZ throws), not a name (`undefined`
 * may be a local in its TDZ), not `this` (before `super()` it throws), not `-x` (`-1n` is fine,
 * `+1n` throws): those are split, which only costs a temporary.
 */
export function cannotThrow<N>(sx: ExpressionSyntax<N>, e: N): boolean {
  const k = sx.expressionKind(skipOuter(sx, e));
  if (k?.kind === 'void') return cannotThrow(sx, k.operand);
  return k?.kind === 'literal' || k?.kind === 'function';
}

/** True for an anonymous class expression (through the wrappers). */
export function isAnonymousClass<N>(sx: ExpressionSyntax<N>, e: N): boolean {
  const k = sx.expressionKind(skipOuter(sx, e));
  return k?.kind === 'class' && !k.named;
}
