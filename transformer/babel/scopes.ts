/**
 * The Babel adapter's scope walk: builds the core's scope model (core/scope-model.ts) from a Babel
 * AST, as typescript/scopes.ts does from a TypeScript AST, node kind for node kind; what each scope
 * declares is core/declarations.ts's. It reads the AST rather than `path.scope`, which files a few
 * declarations differently from the scopes the runtime shows (DESIGN.md, "The scope walk").
 */
import type { BindingKind } from '../../runtime/records';
import { declareFunction, declareLexical, declareModule, type DeclarationSyntax } from '../core/declarations';
import { type Binding, resolveScopes, Scope, type ScopeInfo } from '../core/scope-model';

/** A Babel AST node, read structurally (the adapter works with Babel 7 and 8 alike). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BNode = { type: string; [key: string]: any };

/** The scope model over Babel nodes. */
export type BScope = Scope<BNode>;
export type BBinding = Binding<BNode>;
export type BScopeInfo = ScopeInfo<BNode> & { parent: WeakMap<BNode, BNode> };

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod',
  'ClassMethod', 'ClassPrivateMethod']);
const LOOP_TYPES = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);
/** TypeScript nodes that are types or declarations only: nothing in them runs. */
const TYPE_ONLY = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSDeclareFunction', 'TSDeclareMethod',
  'TSTypeAnnotation', 'TSTypeParameterDeclaration', 'TSTypeParameterInstantiation', 'TSIndexSignature', 'TSExpressionWithTypeArguments',
  'TSClassImplements', 'TSInterfaceHeritage']);
/** Keys of nodes that hold types only. */
const TYPE_KEYS = new Set(['typeAnnotation', 'returnType', 'typeParameters', 'superTypeParameters', 'implements',
  'typeArguments', 'predicate']);

/** True for the nodes this analysis treats as functions (they get a function scope). */
export function isFunctionLike(n: BNode | null | undefined): boolean {
  return !!n && FUNCTION_TYPES.has(n.type);
}

/** True for loop statements. */
export function isLoop(n: BNode | null | undefined): boolean {
  return !!n && LOOP_TYPES.has(n.type);
}

/** The child nodes of `n` (types skipped), with the key that holds each. */
export function children(n: BNode, visitorKeys: Record<string, readonly string[] | undefined>): { key: string; node: BNode }[] {
  const out: { key: string; node: BNode }[] = [];
  for (const key of visitorKeys[n.type] ?? []) {
    if (TYPE_KEYS.has(key)) continue;
    const v = n[key];
    if (Array.isArray(v)) { for (const c of v) if (c && typeof c.type === 'string') out.push({ key, node: c }); }
    else if (v && typeof v.type === 'string') out.push({ key, node: v });
  }
  return out;
}

/** Names bound by a binding target (identifier, pattern, default, rest, parameter property), in source order. */
export function boundNames(target: BNode | null | undefined, out: string[] = []): string[] {
  if (!target) return out;
  switch (target.type) {
    case 'Identifier': out.push(target.name); break;
    case 'ObjectPattern':
      for (const p of target.properties) boundNames(p.type === 'RestElement' ? p.argument : p.value, out);
      break;
    case 'ArrayPattern': for (const el of target.elements) boundNames(el, out); break;
    case 'AssignmentPattern': boundNames(target.left, out); break;
    case 'RestElement': boundNames(target.argument, out); break;
    case 'TSParameterProperty': boundNames(target.parameter, out); break;
  }
  return out;
}

/** Kind of a `let`/`const`/`using` declaration (`var` for the rest). */
export function declarationKind(decl: BNode): BindingKind {
  const k = decl.kind as string;
  if (k === 'using' || k === 'await using') return 'using';
  if (k === 'const') return 'const';
  if (k === 'let') return 'let';
  return 'var';
}

/** The statement an `export` wraps (`export const x`, `export default class C {}`), or the statement itself. */
export function unwrapExport(st: BNode): BNode {
  if ((st.type === 'ExportNamedDeclaration' || st.type === 'ExportDefaultDeclaration') && st.declaration) return st.declaration;
  return st;
}

/** The declaring rules' questions (core/declarations.ts) over Babel nodes. */
export function babelDeclarations(visitorKeys: Record<string, readonly string[] | undefined>): DeclarationSyntax<BNode> {
  return {
    declarationOf: (raw) => {
      const st = unwrapExport(raw);
      if (st.declare) return { kind: 'ambient' };
      if (st.type === 'VariableDeclaration') return { kind: 'vars', binding: declarationKind(st), declarators: st.declarations };
      if (st.type === 'ClassDeclaration' || st.type === 'FunctionDeclaration') {
        return st.id ? { kind: st.type === 'ClassDeclaration' ? 'class' : 'function', name: st.id.name, node: st, hasBody: true } : undefined;
      }
      if ((st.type === 'TSEnumDeclaration' || st.type === 'TSModuleDeclaration') && st.id?.type === 'Identifier') return { kind: 'enum', name: st.id.name, node: st, hasBody: true };
      return undefined;
    },
    boundNames: (t) => (t.type === 'VariableDeclarator' ? boundNames(t.id) : t.type === 'Identifier' && t.name === 'this' ? [] : boundNames(t)),
    importNames: (raw) => {
      const st = unwrapExport(raw);
      if (st.type === 'TSImportEqualsDeclaration') return st.importKind === 'type' ? [] : [st.id.name];
      if (st.type !== 'ImportDeclaration') return undefined;
      if (st.importKind === 'type' || st.importKind === 'typeof') return [];
      return st.specifiers.filter((sp: BNode) => sp.importKind !== 'type' && sp.importKind !== 'typeof').map((sp: BNode) => sp.local.name);
    },
    hoistedVarNames: (n) => (n.type === 'VariableDeclaration' && declarationKind(n) === 'var' && !n.declare
      ? n.declarations.flatMap((d: BNode) => boundNames(d.id)) : undefined),
    ownsVars: (n) => isFunctionLike(n) || n.type === 'ClassDeclaration' || n.type === 'ClassExpression' || TYPE_ONLY.has(n.type),
    forEachChild: (n, each) => { for (const c of children(n, visitorKeys)) each(c.node); },
  };
}

/**
 * True when identifier `id` (whose parent is `p`, reached through `key`) is read or written as a
 * variable: not a property name, label, declared name or type. Binding names of declarations are
 * never reached here (the walk visits only their defaults and computed keys).
 */
function isReference(p: BNode, key: string): boolean {
  switch (p.type) {
    case 'MemberExpression': case 'OptionalMemberExpression': return key === 'object' || !!p.computed;
    case 'ObjectProperty': case 'ClassProperty': case 'ClassPrivateProperty': case 'ClassAccessorProperty':
      return key !== 'key' || !!p.computed;
    case 'TSEnumMember': return key === 'initializer';
    case 'ImportSpecifier': case 'ImportDefaultSpecifier': case 'ImportNamespaceSpecifier': case 'ExportSpecifier':
    case 'ExportNamespaceSpecifier': case 'ExportDefaultSpecifier': case 'LabeledStatement': case 'BreakStatement':
    case 'ContinueStatement': case 'MetaProperty': case 'TSModuleDeclaration': case 'TSEnumDeclaration':
    case 'TSQualifiedName': case 'TSImportEqualsDeclaration': case 'TSExternalModuleReference': case 'PrivateName':
      return false;
    default:
      return true;
  }
}

/**
 * Walks the program once, building scopes and resolving every variable reference (core/scope-model.ts)
 * to record each function's closure variables and whether arrows read `this`.
 * @param visitorKeys `t.VISITOR_KEYS` of the Babel in use
 */
export function analyzeScopes(program: BNode, visitorKeys: Record<string, readonly string[] | undefined>): BScopeInfo {
  const parent = new WeakMap<BNode, BNode>();
  const module = new Scope<BNode>('module', program, undefined);
  const scopes = new Map<BNode, BScope>([[program, module]]);
  const identifiers = new Set<string>();
  const refs: { id: BNode; name: string; scope: BScope }[] = [];
  const thisRefs: BScope[] = [];
  const dx = babelDeclarations(visitorKeys);
  const link = (p: BNode, c: BNode | null | undefined): void => { if (c) parent.set(c, p); };

  declareModule(dx, module, program, program.body);

  /** A binding target of a declaration: only its defaults and computed keys are visited (in `scope`). */
  const visitTarget = (target: BNode | null | undefined, owner: BNode, scope: BScope): void => {
    if (!target) return;
    link(owner, target);
    switch (target.type) {
      case 'Identifier': identifiers.add(target.name); break;
      case 'ObjectPattern':
        for (const p of target.properties) {
          link(target, p);
          if (p.type === 'RestElement') { visitTarget(p.argument, p, scope); continue; }
          if (p.computed) visit(p.key, p, 'key', scope);
          else link(p, p.key);
          visitTarget(p.value, p, scope);
        }
        break;
      case 'ArrayPattern': for (const el of target.elements) visitTarget(el, target, scope); break;
      case 'AssignmentPattern': visitTarget(target.left, target, scope); visit(target.right, target, 'right', scope); break;
      case 'RestElement': visitTarget(target.argument, target, scope); break;
      case 'TSParameterProperty':
        for (const d of target.decorators ?? []) visit(d, target, 'decorators', scope);
        visitTarget(target.parameter, target, scope);
        break;
    }
  };

  const visitFunction = (fn: BNode, outer: BScope): void => {
    let scopeParent = outer;
    // A named function expression sees its own name in a scope of its own.
    if (fn.type === 'FunctionExpression' && fn.id) {
      scopeParent = new Scope<BNode>('block', fn.id, outer);
      scopeParent.declare(fn.id.name, 'fnname');
      identifiers.add(fn.id.name);
      link(fn, fn.id);
    }
    const scope = new Scope<BNode>('function', fn, scopeParent, fn.type === 'ArrowFunctionExpression');
    scopes.set(fn, scope);
    const body = fn.body as BNode;
    const block = body.type === 'BlockStatement' ? body : undefined;
    declareFunction(dx, scope, fn.params, block && { node: block, statements: block.body });
    for (const p of fn.params as BNode[]) {
      if (p.type === 'Identifier' && p.name === 'this') { link(fn, p); continue; }
      visitTarget(p, fn, scope);
    }
    link(fn, body);
    if (block) for (const st of block.body) visit(st, block, 'body', scope);
    else visit(body, fn, 'body', scope);
  };

  const visit = (node: BNode | null | undefined, p: BNode, key: string, scope: BScope): void => {
    if (!node) return;
    link(p, node);
    if (TYPE_ONLY.has(node.type) || node.declare) return;
    if (node.type === 'Identifier') {
      identifiers.add(node.name);
      if (isReference(p, key)) refs.push({ id: node, name: node.name, scope });
      return;
    }
    if (node.type === 'ThisExpression') { thisRefs.push(scope); return; }
    // A JSX tag's name reads a variable (`<Row />`, the `ui` of `<ui.Row />`), as TypeScript's
    // identifiers there do; attribute names do not.
    if (node.type === 'JSXIdentifier') {
      const tag = p.type === 'JSXOpeningElement' || p.type === 'JSXClosingElement' || (p.type === 'JSXMemberExpression' && key === 'object');
      if (tag && node.name === 'this') thisRefs.push(scope);
      else if (tag) { identifiers.add(node.name); refs.push({ id: node, name: node.name, scope }); }
      return;
    }
    if (isFunctionLike(node)) {
      // Names of methods/functions are not references; computed keys are, in the outer scope.
      if (node.computed) visit(node.key, node, 'key', scope);
      else if (node.key) link(node, node.key);
      if (node.key?.type === 'Identifier') identifiers.add(node.key.name);
      for (const d of node.decorators ?? []) visit(d, node, 'decorators', scope);
      visitFunction(node, scope);
      return;
    }
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
      let inner = scope;
      for (const d of node.decorators ?? []) visit(d, node, 'decorators', scope);
      if (node.id) {
        identifiers.add(node.id.name);
        link(node, node.id);
        inner = new Scope<BNode>('block', node, scope);
        inner.declare(node.id.name, 'class');
      }
      visit(node.superClass, node, 'superClass', inner);
      link(node, node.body);
      for (const m of node.body.body as BNode[]) visit(m, node.body, 'body', inner);
      return;
    }
    if (node.type === 'BlockStatement' || node.type === 'TSModuleBlock' || node.type === 'StaticBlock') {
      const s = new Scope<BNode>('block', node, scope);
      scopes.set(node, s);
      declareLexical(dx, s, node.body, true);
      for (const st of node.body) visit(st, node, 'body', s);
      return;
    }
    if (node.type === 'SwitchStatement') {
      visit(node.discriminant, node, 'discriminant', scope);
      const s = new Scope<BNode>('block', node, scope);
      scopes.set(node, s);
      for (const c of node.cases) declareLexical(dx, s, c.consequent, true);
      for (const c of node.cases) {
        link(node, c);
        visit(c.test, c, 'test', s);
        for (const st of c.consequent) visit(st, c, 'consequent', s);
      }
      return;
    }
    if (node.type === 'CatchClause') {
      const s = new Scope<BNode>('block', node, scope);
      scopes.set(node, s);
      if (node.param) for (const n of boundNames(node.param)) s.declare(n, 'catch', node.param);
      declareLexical(dx, s, node.body.body, true);
      visitTarget(node.param, node, s);
      link(node, node.body);
      for (const st of node.body.body) visit(st, node.body, 'body', s);
      return;
    }
    if (node.type === 'VariableDeclaration') {
      for (const d of node.declarations as BNode[]) {
        link(node, d);
        visitTarget(d.id, d, scope);
        visit(d.init, d, 'init', scope);
      }
      return;
    }
    const head = node.type === 'ForStatement' ? node.init : node.type === 'ForInStatement' || node.type === 'ForOfStatement' ? node.left : undefined;
    if (head?.type === 'VariableDeclaration' && declarationKind(head) !== 'var') {
      const s = new Scope<BNode>('block', node, scope);
      scopes.set(node, s);
      const kind = declarationKind(head);
      for (const d of head.declarations) for (const n of boundNames(d.id)) s.declare(n, kind, d);
      for (const c of children(node, visitorKeys)) visit(c.node, node, c.key, s);
      return;
    }
    for (const c of children(node, visitorKeys)) visit(c.node, node, c.key, scope);
  };

  for (const st of program.body as BNode[]) visit(st, program, 'body', module);
  return { ...resolveScopes({ module, scopes, identifiers, refs, thisRefs }), parent };
}

/** Wrappers that do not change what an expression is (types, parentheses). */
export const TRANSPARENT = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion',
  'ParenthesizedExpression', 'TypeCastExpression']);

/** True when the reference `id` assigns the variable (`x = ...`, `x += ...`, `x++`, a destructuring or for-in/of target). */
export function isWriteReference(id: BNode, parentOf: WeakMap<BNode, BNode>): boolean {
  let node = id;
  let p = parentOf.get(node);
  // Climb through a destructuring assignment pattern to what it is the target of.
  while (p && (p.type === 'ObjectPattern' || p.type === 'ArrayPattern' || p.type === 'RestElement' || TRANSPARENT.has(p.type)
    || (p.type === 'ObjectProperty' && p.value === node) || (p.type === 'AssignmentPattern' && p.left === node))) {
    node = p;
    p = parentOf.get(p);
  }
  if (!p) return false;
  if (p.type === 'AssignmentExpression' && p.left === node) return true;
  if (p.type === 'UpdateExpression') return true;
  if ((p.type === 'ForOfStatement' || p.type === 'ForInStatement') && p.left === node) return true;
  return false;
}
