/**
 * What each scope declares, decided once for both adapters' scope walks (typescript/scopes.ts,
 * babel/scopes.ts walk their AST, open the scopes and collect the references): a module's imports,
 * functions, lexical declarations and `var`s; a function's parameters, functions and `var`s; a
 * block's lexical declarations (functions declared in blocks are lexical); a catch clause's
 * parameter; a loop head's bindings. The adapter answers a few questions about a statement
 * ({@link DeclarationSyntax}); the emission asks the same ones (emit-function.ts).
 */
import type { BindingKind } from '../../runtime/records';
import type { DeclKind, Scope } from './scope-model';

/** What a statement declares (an `export` looked through). */
export type Declaration<N> =
  | { kind: 'vars'; binding: BindingKind; declarators: readonly N[] }
  | { kind: 'class' | 'function' | 'enum'; name: string; node: N; hasBody: boolean }
  /** `declare ...`: nothing that runs. */
  | { kind: 'ambient' };

/** The questions the declaring rules ask of an adapter's AST. */
export interface DeclarationSyntax<N> {
  /** What the statement `st` declares, or undefined (a function or class without a name counts as nothing). */
  declarationOf(st: N): Declaration<N> | undefined;
  /** The names a binding target binds (a declarator, a parameter, a catch parameter, a pattern), in source order. */
  boundNames(target: N): string[];
  /** The names an import declaration binds as values (type-only imports bind none), or undefined for another statement. */
  importNames(st: N): string[] | undefined;
  /** The `var` names a node itself declares, when it is a `var` declaration that runs. */
  hoistedVarNames(n: N): string[] | undefined;
  /** True for a node whose `var`s are not those of the function around it (a function, class, type). */
  ownsVars(n: N): boolean;
  /**
   * True for a node that holds no `var` of the function around it, whatever its children (an
   * expression: statements inside one are in a function or class, which own their `var`s), so that
   * the `var` walk need not look inside. Optional; false when absent (the walk looks everywhere).
   */
  holdsNoVars?(n: N): boolean;
  /** Calls `each` on every child of `n`. */
  forEachChild(n: N, each: (child: N) => void): void;
  /** The statements of a block (a function body, a catch clause's block, a namespace's or a static block's body). */
  statements(block: N): readonly N[];
  /** A catch clause's parameter (the node hoist planning keys on) and its block. */
  catchParts(c: N): { param: N | undefined; block: N };
  /** A `switch` clause's test (none for `default`) and statements. */
  clauseParts(clause: N): { test?: N; statements: readonly N[] };
}

/** A declared name and the node that declares it. */
export interface Declared<N> {
  name: string;
  kind: DeclKind;
  decl: N;
}

/**
 * The lexical declarations a statement list makes directly (let/const/using, class, enum and
 * namespace, and, inside blocks, function declarations), in order.
 */
export function lexicalDeclarations<N>(sx: DeclarationSyntax<N>, statements: readonly N[], functionsAreLexical: boolean): Declared<N>[] {
  const out: Declared<N>[] = [];
  for (const st of statements) {
    const d = sx.declarationOf(st);
    if (!d || d.kind === 'ambient') continue;
    if (d.kind === 'vars') {
      if (d.binding === 'var') continue;
      for (const decl of d.declarators) for (const name of sx.boundNames(decl)) out.push({ name, kind: d.binding, decl });
    } else if (d.kind !== 'function' || (functionsAreLexical && d.hasBody)) {
      out.push({ name: d.name, kind: d.kind, decl: d.node });
    }
  }
  return out;
}

/** Declares the lexical declarations of `statements` in `scope`. */
export function declareLexical<N>(sx: DeclarationSyntax<N>, scope: Scope<N>, statements: readonly N[], functionsAreLexical: boolean): void {
  for (const d of lexicalDeclarations(sx, statements, functionsAreLexical)) scope.declare(d.name, d.kind, d.decl);
}

/** Declares in `scope` the `var`s of `node` and of what it contains outside nested functions and classes. */
export function hoistVars<N>(sx: DeclarationSyntax<N>, node: N, scope: Scope<N>): void {
  const noVars = sx.holdsNoVars;
  const visit = (n: N): void => {
    if (sx.ownsVars(n) || (noVars !== undefined && noVars(n))) return;
    for (const name of sx.hoistedVarNames(n) ?? []) scope.declare(name, 'var');
    sx.forEachChild(n, visit);
  };
  visit(node);
}

/** The module scope: imports and function declarations in order, then lexical declarations, then `var`s. */
export function declareModule<N>(sx: DeclarationSyntax<N>, module: Scope<N>, root: N, statements: readonly N[]): void {
  for (const st of statements) {
    const imports = sx.importNames(st);
    if (imports) {
      for (const name of imports) module.declare(name, 'import');
      continue;
    }
    const d = sx.declarationOf(st);
    if (d?.kind === 'function' && d.hasBody) module.declare(d.name, 'function');
  }
  declareLexical(sx, module, statements, false);
  hoistVars(sx, root, module);
}

/**
 * A function scope: its parameters (not TypeScript's `this` parameter), then, for a block body,
 * its function declarations, `var`s and lexical declarations (functions here are not lexical).
 */
export function declareFunction<N>(
  sx: DeclarationSyntax<N>,
  scope: Scope<N>,
  params: readonly N[],
  body: { node: N; statements: readonly N[] } | undefined,
): void {
  for (const p of params) for (const name of sx.boundNames(p)) scope.declare(name, 'param', p);
  if (!body) return;
  for (const st of body.statements) {
    const d = sx.declarationOf(st);
    if (d?.kind === 'function' && d.hasBody) scope.declare(d.name, 'function', st);
  }
  hoistVars(sx, body.node, scope);
  declareLexical(sx, scope, body.statements, false);
}
