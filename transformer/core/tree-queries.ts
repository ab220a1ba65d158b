/**
 * Questions about a subtree that the emission asks (is there a direct eval, a `with`, a `var` of
 * this name, a mention of these names, where the directives end), walked with the adapter's own child order.
 */
import type { EmitSyntax } from './emit-syntax';

/** How many statements at the start of a list are directives (they stay first). */
export function leadingDirectives<N>(sx: EmitSyntax<N>, stmts: readonly N[]): number {
  let d = 0;
  while (d < stmts.length && sx.isDirective(stmts[d])) d++;
  return d;
}

/** True when `node` or a node inside it satisfies `test`. */
export function contains<N>(sx: EmitSyntax<N>, node: N, test: (n: N) => boolean): boolean {
  const visit = (n: N): boolean => test(n) || sx.someChild(n, visit);
  return visit(node);
}

/** True when `st` (or a statement nested in it, outside nested functions and classes) declares `var name`. */
export function declaresVar<N>(sx: EmitSyntax<N>, st: N, name: string): boolean {
  const noVars = sx.holdsNoVars;
  const visit = (n: N): boolean => {
    if (sx.ownsVars(n) || (noVars !== undefined && noVars(n))) return false;
    if (sx.hoistedVarNames(n)?.includes(name)) return true;
    return sx.someChild(n, visit);
  };
  return visit(st);
}

/** True when any identifier inside `node` has one of `names` as its text (a conservative check). */
export function mentionsAny<N>(sx: EmitSyntax<N>, node: N, names: ReadonlySet<string>): boolean {
  return contains(sx, node, (n) => {
    const name = sx.identifierName(n);
    return name !== undefined && names.has(name);
  });
}

/** The identifier texts in `root`, not looking into the nodes `skip` answers true for. */
export function identifierNames<N>(sx: EmitSyntax<N>, root: N, skip: (n: N) => boolean): Set<string> {
  const out = new Set<string>();
  const visit = (n: N): void => {
    if (skip(n)) return;
    const name = sx.identifierName(n);
    if (name !== undefined) out.add(name);
    sx.forEachChild(n, visit);
  };
  visit(root);
  return out;
}
