/**
 * The scope walk, once for both adapters: one pass over a file that opens the scopes (module,
 * functions, a named function expression's own name, classes, blocks, `switch` case blocks, catch
 * clauses, loop heads with `let`/`const`), declares in each what declarations.ts says, and collects
 * every reference and `this`; resolveScopes (scope-model.ts) then resolves them. The adapter answers
 * what a node is (`ScopeWalkSyntax.kind`, one switch on its kind per node), which identifier is a
 * reference, and the few places where its AST is shaped its own way (a class's parts, a binding
 * target, Babel's declarations).
 */
import type { BindingKind } from '../../runtime/records';
import { declareFunction, declareLexical, declareModule, type DeclarationSyntax } from './declarations';
import { resolveScopes, Scope, type ScopeInfo } from './scope-model';

/** What a node is for the walk. */
export type WalkKind = 'identifier' | 'this' | 'skip' | 'function' | 'class' | 'block' | 'switch' | 'catch' | 'loop' | 'custom' | 'other';

/** A function as the walk reads it. */
export interface FunctionParts<N> {
  /** A computed key (its expression runs in the scope around); otherwise the plain key (Babel links it). */
  computedKey?: N;
  key?: N;
  /** The name of the function or method, an identifier of the file. */
  name?: string;
  /** Its decorators (they run in the scope around). */
  decorators: readonly N[];
  /** A named function expression's own name: it sees it in a scope of its own. */
  ownName?: { name: string; node: N };
  arrow: boolean;
  params: readonly N[];
  body: N | undefined;
  /** The body's statements, when the body is a block (it opens no block scope of its own). */
  statements?: readonly N[];
}

/** What the walk offers an adapter's hooks. */
export interface Walker<N> {
  /** Visits `n` (reached from `parent` through `key`) in `scope`; nothing for null. */
  visit(n: N | null | undefined, parent: N | undefined, key: string, scope: Scope<N>): void;
  /** One child visitor per scope, for an AST whose children know their parent (no closure per node). */
  visitorIn(scope: Scope<N>): (child: N) => void;
  /** Notes an identifier of the file (generated names avoid every one). */
  identifier(name: string): void;
  /** Opens the scope of a class's own name (the class sees it, immutable, inside). */
  classScope(node: N, name: string, nameNode: N, outer: Scope<N>): Scope<N>;
}

/** The walk's questions to an adapter's AST. */
export interface ScopeWalkSyntax<N> extends DeclarationSyntax<N> {
  /** What `n` is, reached from `parent` through `key`. */
  kind(n: N, parent: N | undefined, key: string): WalkKind;
  /** An identifier's text. */
  name(id: N): string;
  /** True when the identifier reads or writes a variable (not a property name, label, declared name, type). */
  isReference(id: N, parent: N | undefined, key: string): boolean;
  /** Visits every child of `n` in `scope`. */
  eachChild(n: N, scope: Scope<N>, w: Walker<N>): void;
  /** Records that `parent` holds `child` (an AST without parent links). */
  link?(parent: N, child: N): void;
  functionParts(fn: N): FunctionParts<N>;
  /** Visits a class: its parts around the scope of its name (`w.classScope`) and inside it. */
  visitClass(node: N, scope: Scope<N>, w: Walker<N>): void;
  /** A `switch` scope's node: what runs before the scope opens, and its clauses. */
  switchParts(node: N): { discriminant?: N; clauses: readonly N[] };
  /** A `for`, `for...in` or `for...of` head that declares `let`/`const`/`using` bindings. */
  lexicalLoopHead(loop: N): { binding: BindingKind; declarators: readonly N[] } | undefined;
  /** Visits a binding target (a parameter, a catch parameter) owned by `owner`: its defaults and computed keys run. */
  binding(target: N, owner: N, scope: Scope<N>, w: Walker<N>): void;
  /** Visits a node the adapter walks itself (`kind` answered `'custom'`). */
  visitCustom?(n: N, scope: Scope<N>, w: Walker<N>): void;
}

/**
 * Walks a file once and resolves it (scope-model.ts `resolveScopes`).
 * @param root the file's node (it opens the module scope)
 * @param statements its top-level statements
 */
export function walkScopes<N>(sx: ScopeWalkSyntax<N>, root: N, statements: readonly N[]): ScopeInfo<N> {
  const module = new Scope<N>('module', root, undefined);
  const scopes = new Map<N, Scope<N>>([[root, module]]);
  const identifiers = new Set<string>();
  const refs: { id: N; name: string; scope: Scope<N> }[] = [];
  const thisRefs: Scope<N>[] = [];
  const link = sx.link;
  const open = (node: N, outer: Scope<N>): Scope<N> => {
    const s = new Scope<N>('block', node, outer);
    scopes.set(node, s);
    return s;
  };
  declareModule(sx, module, root, statements);

  const visitFunction = (fn: N, outer: Scope<N>): void => {
    const f = sx.functionParts(fn);
    // Names of methods and functions are not references; computed keys and decorators run outside.
    if (f.computedKey !== undefined) visit(f.computedKey, fn, 'key', outer);
    else if (f.key !== undefined) link?.(fn, f.key);
    if (f.name !== undefined) identifiers.add(f.name);
    for (const d of f.decorators) visit(d, fn, 'decorators', outer);
    let parent = outer;
    if (f.ownName) {
      parent = new Scope<N>('block', f.ownName.node, outer);
      parent.declare(f.ownName.name, 'fnname');
      identifiers.add(f.ownName.name);
      link?.(fn, f.ownName.node);
    }
    const scope = new Scope<N>('function', fn, parent, f.arrow);
    scopes.set(fn, scope);
    declareFunction(sx, scope, f.params, f.statements && { node: f.body!, statements: f.statements });
    for (const p of f.params) sx.binding(p, fn, scope, walker);
    if (f.body === undefined) return;
    link?.(fn, f.body);
    if (f.statements) for (const st of f.statements) visit(st, f.body, 'body', scope);
    else visit(f.body, fn, 'body', scope);
  };

  const visit = (node: N | null | undefined, p: N | undefined, key: string, scope: Scope<N>): void => {
    if (node === null || node === undefined) return;
    if (link && p !== undefined) link(p, node);
    switch (sx.kind(node, p, key)) {
      case 'identifier': {
        const name = sx.name(node);
        identifiers.add(name);
        if (sx.isReference(node, p, key)) refs.push({ id: node, name, scope });
        return;
      }
      case 'this':
        thisRefs.push(scope);
        return;
      case 'skip':
        return;
      case 'function':
        visitFunction(node, scope);
        return;
      case 'class':
        sx.visitClass(node, scope, walker);
        return;
      case 'custom':
        sx.visitCustom!(node, scope, walker);
        return;
      case 'block': {
        const s = open(node, scope);
        const stmts = sx.statements(node);
        declareLexical(sx, s, stmts, true);
        for (const st of stmts) visit(st, node, 'body', s);
        return;
      }
      case 'switch': {
        // One scope for all the clauses (the discriminant runs before it).
        const { discriminant, clauses } = sx.switchParts(node);
        visit(discriminant, node, 'discriminant', scope);
        const s = open(node, scope);
        for (const c of clauses) declareLexical(sx, s, sx.clauseParts(c).statements, true);
        for (const c of clauses) {
          link?.(node, c);
          const { test, statements: stmts } = sx.clauseParts(c);
          visit(test, c, 'test', s);
          for (const st of stmts) visit(st, c, 'consequent', s);
        }
        return;
      }
      case 'catch': {
        // The parameter and the block share one scope.
        const s = open(node, scope);
        const { param, block } = sx.catchParts(node);
        if (param !== undefined) for (const n of sx.boundNames(param)) s.declare(n, 'catch', param);
        const stmts = sx.statements(block);
        declareLexical(sx, s, stmts, true);
        if (param !== undefined) sx.binding(param, node, s, walker);
        link?.(node, block);
        for (const st of stmts) visit(st, block, 'body', s);
        return;
      }
      case 'loop': {
        const head = sx.lexicalLoopHead(node);
        if (!head) break;
        const s = open(node, scope);
        for (const d of head.declarators) for (const n of sx.boundNames(d)) s.declare(n, head.binding, d);
        sx.eachChild(node, s, walker);
        return;
      }
    }
    sx.eachChild(node, scope, walker);
  };

  // One child visitor per scope (not a closure per node: the walk sees every node of the file).
  const visitors = new Map<Scope<N>, (c: N) => void>();
  const walker: Walker<N> = {
    visit,
    visitorIn: (scope) => {
      let v = visitors.get(scope);
      if (!v) visitors.set(scope, (v = (c: N) => visit(c, undefined, '', scope)));
      return v;
    },
    identifier: (name) => {
      identifiers.add(name);
    },
    classScope: (node, name, nameNode, outer) => {
      identifiers.add(name);
      link?.(node, nameNode);
      const inner = new Scope<N>('block', node, outer);
      inner.declare(name, 'class');
      return inner;
    },
  };

  for (const st of statements) visit(st, root, 'body', module);
  return resolveScopes({ module, scopes, identifiers, refs, thisRefs });
}
