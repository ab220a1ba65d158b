/**
 * The scope model (built by scope-walk.ts from either adapter's AST), and the one resolution pass
 * that turns it into what the rest of the core asks: which binding each reference means, each
 * function's closure variables, whether an arrow reads `this`.
 *
 * Nodes are opaque here (`N`: a TypeScript node, or a Babel node); the core never looks inside
 * them but through an adapter's answers. The walk (scope-walk.ts), what each scope declares
 * (declarations.ts), resolution, closures, hoist planning (hoist-plan.ts) and the frame layout
 * (frame-plan.ts) are decided in the core, once, so the two builds capture the same frames.
 */
import type { BindingKind } from '../../runtime/records';

/** Kind of a declared name. `import`/`enum`/`fnname` bindings are resolved but never captured as locals. */
export type DeclKind = BindingKind | 'import' | 'enum' | 'fnname';

/** A declared name. */
export interface Binding<N> {
  name: string;
  kind: DeclKind;
  scope: Scope<N>;
  /** The node that declares it: a variable declarator, class, catch parameter, function or parameter. */
  decl?: N;
  /** Every reference to it (reads and writes), resolved. */
  refs: Ref<N>[];
}

/** A reference: the identifier node and the scope it appears in. */
export interface Ref<N> {
  id: N;
  scope: Scope<N>;
}

/** A scope: the module, a function (parameters and body top level), or a block-like node. */
export class Scope<N> {
  readonly bindings = new Map<string, Binding<N>>();
  /** Names in declaration order (for blocks: the order their statements declare them). */
  readonly order: string[] = [];
  /** Nearest function (or module) scope; itself for those. */
  readonly fn: Scope<N>;
  /** Free variables read inside this function (function scopes only), resolved to outer functions' bindings. */
  readonly closure = new Map<string, Binding<N>>();
  /** True when an arrow (or code nested in it) reads `this`. */
  usesThis = false;
  /**
   * Function scopes: a scope of the function (not of a nested one) declares a name twice where one
   * declaration is lexical (`function f(a) { let a; }`, `{ let x; let x; }`, `catch (e) { let e; }`):
   * an early SyntaxError that a compiler without a checker (transpileModule) lets through. Moving
   * the body into a `try` block, or a binding to function level, would make the program valid.
   */
  redeclaresLexically = false;

  /**
   * @param kind module, function or block
   * @param node the node that opens it
   * @param parent the enclosing scope (none for the module)
   * @param arrow true for an arrow function's scope (`this` is its parent's)
   */
  constructor(
    readonly kind: 'module' | 'function' | 'block',
    readonly node: N,
    readonly parent: Scope<N> | undefined,
    readonly arrow = false,
  ) {
    this.fn = kind === 'block' ? parent!.fn : this;
  }

  /** Declares `name` here; a second declaration of a name keeps the first (parameters come first). */
  declare(name: string, kind: DeclKind, decl?: N): void {
    // A function declaration and a var of the same name are one binding; keep the first kind seen.
    const first = this.bindings.get(name);
    if (first) {
      if (this.isLexical(kind) || this.isLexical(first.kind)) this.fn.redeclaresLexically = true;
      return;
    }
    this.bindings.set(name, { name, kind, scope: this, decl, refs: [] });
    this.order.push(name);
  }

  /** let, const, class and using declarations, and function declarations in blocks, are lexical. */
  private isLexical(kind: DeclKind): boolean {
    return kind === 'let' || kind === 'const' || kind === 'class' || kind === 'using' || (kind === 'function' && this.kind === 'block');
  }

  /** The binding `name` means here (innermost first), or undefined for a global. */
  lookup(name: string): Binding<N> | undefined {
    return this.bindings.get(name) ?? this.parent?.lookup(name);
  }
}

/** The result of the analysis: scopes by the node that opens them. */
export interface ScopeInfo<N> {
  module: Scope<N>;
  /** Function-like node → its scope. Blocks, loops with let/const heads, catch clauses and switch case blocks → theirs. */
  scopes: Map<N, Scope<N>>;
  /** Every identifier text in the file, to choose generated names that collide with nothing. */
  identifiers: Set<string>;
  /** First value reference to each module-level binding. */
  firstRef: Map<Binding<N>, N>;
  /** Names referenced somewhere that resolve to no declaration of the file (globals). */
  unresolved: Set<string>;
  /** Every variable reference and the binding it resolves to (undefined: a global). */
  refBinding: Map<N, Binding<N> | undefined>;
  /**
   * Per function scope, the names referenced inside it (nested functions included) that resolve
   * to no binding of it: a global, or a binding outside the function. Hoist planning asks it of
   * every function with a block binding that may move.
   */
  freeIn: Map<Scope<N>, Set<string>>;
  /** The block scopes of each function (not those of nested functions), by function scope. */
  blocksOf: Map<Scope<N>, Scope<N>[]>;
}

/** What an adapter's walk collected: scopes and their declarations, references, `this` reads. */
export interface CollectedScopes<N> {
  module: Scope<N>;
  scopes: Map<N, Scope<N>>;
  identifiers: Set<string>;
  /** Every variable reference (read or write) with its name and the scope it appears in. */
  refs: { id: N; name: string; scope: Scope<N> }[];
  /** The scope of every `this` (and `super`, which reads `this`). */
  thisRefs: Scope<N>[];
}

/**
 * Resolves every reference: a name bound in an enclosing *function* (not the module) is a closure
 * variable of every function between the reference and that binding; `this` read inside arrows
 * belongs to the nearest non-arrow function, and marks the arrows on the way.
 */
export function resolveScopes<N>(c: CollectedScopes<N>): ScopeInfo<N> {
  const { module, scopes } = c;
  const firstRef = new Map<Binding<N>, N>();
  const unresolved = new Set<string>();
  const refBinding = new Map<N, Binding<N> | undefined>();
  for (const { id, name, scope } of c.refs) {
    const b = scope.lookup(name);
    refBinding.set(id, b);
    if (b) b.refs.push({ id, scope });
    else unresolved.add(name);
    if (b && b.scope === module && !firstRef.has(b)) firstRef.set(b, id);
    if (!b || b.scope.fn === module) continue;
    for (let s: Scope<N> | undefined = scope.fn; s && s !== b.scope.fn; s = s.parent?.fn) {
      if (s.kind === 'function' && b.kind !== 'fnname') s.closure.set(name, b);
    }
  }
  for (const scope of c.thisRefs) {
    for (let s: Scope<N> | undefined = scope.fn; s && s.kind === 'function' && s.arrow; s = s.parent?.fn) s.usesThis = true;
  }
  // Per function, the names of its subtree that resolve outside it: each reference is recorded in
  // the functions between it and its binding only, not in every function around it (that would be
  // quadratic in the nesting depth, and most references resolve in their own function). The
  // function of the binding records it too when the binding's scope is none of its own scopes (a
  // class's or a function expression's own name): hoist planning counts it as another binding.
  const registered = new Set(scopes.values());
  const freeIn = new Map<Scope<N>, Set<string>>();
  for (const { id, name, scope } of c.refs) {
    const b = refBinding.get(id);
    for (let s: Scope<N> | undefined = scope.fn; s && s.kind === 'function'; s = s.parent?.fn) {
      const home = b !== undefined && s === b.scope.fn;
      if (!home || !registered.has(b.scope)) {
        let names = freeIn.get(s);
        if (!names) freeIn.set(s, (names = new Set()));
        names.add(name);
      }
      if (home) break;
    }
  }
  const blocksOf = new Map<Scope<N>, Scope<N>[]>();
  for (const sc of scopes.values()) {
    if (sc.kind !== 'block') continue;
    let list = blocksOf.get(sc.fn);
    if (!list) blocksOf.set(sc.fn, (list = []));
    list.push(sc);
  }
  return { module, scopes, identifiers: c.identifiers, firstRef, unresolved, refBinding, freeIn, blocksOf };
}
