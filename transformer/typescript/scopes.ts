/**
 * Scope analysis of a TypeScript source file, without a type checker (`ts.transpileModule` has
 * none): which names each function and block declares, and which free variables each function
 * reads from the functions around it (its closure variables).
 */
import type * as TS from 'typescript';
import type { BindingKind } from '../../runtime/records';
import { declareFunction, declareLexical, declareModule, type DeclarationSyntax } from '../core/declarations';
import * as Core from '../core/scope-model';
import { resolveScopes, Scope as CoreScope } from '../core/scope-model';

/** The core's scope model over TypeScript nodes. */
export type Binding = Core.Binding<TS.Node>;
export type Scope = Core.Scope<TS.Node>;
export type ScopeInfo = Core.ScopeInfo<TS.Node>;

/** True for the nodes this analysis treats as functions (they get a function scope). */
export function isFunctionLike(ts: typeof TS, node: TS.Node): node is TS.FunctionLikeDeclaration {
  // Asked of every node of the file: one switch on the kind.
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration: case ts.SyntaxKind.FunctionExpression: case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration: case ts.SyntaxKind.Constructor: case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
      return true;
    default:
      return false;
  }
}

/** Names bound by a binding name (identifier or destructuring pattern), in source order. */
export function boundNames(ts: typeof TS, name: TS.BindingName, out: string[] = []): string[] {
  if (ts.isIdentifier(name)) out.push(name.text);
  else {
    for (const el of name.elements) {
      if (ts.isOmittedExpression(el)) continue;
      boundNames(ts, el.name, out);
    }
  }
  return out;
}

function isAmbient(ts: typeof TS, node: TS.Node): boolean {
  // Asked of every node: read the modifiers directly (decorators among them never say `declare`).
  const mods = (node as { modifiers?: TS.NodeArray<TS.ModifierLike> }).modifiers;
  return !!mods && mods.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
}

/** Kind of a `let`/`const`/`using` declaration list (`var` for the rest). */
export function listKind(ts: typeof TS, list: TS.VariableDeclarationList): BindingKind {
  const f = list.flags;
  if (f & ts.NodeFlags.Using) return 'using';
  if (f & ts.NodeFlags.Const) return 'const';
  if (f & ts.NodeFlags.Let) return 'let';
  return 'var';
}

/** The declaring rules' questions (core/declarations.ts) over TypeScript nodes. */
export function tsDeclarations(ts: typeof TS): DeclarationSyntax<TS.Node> {
  return {
    declarationOf: (st) => {
      if (isAmbient(ts, st)) return { kind: 'ambient' };
      if (ts.isVariableStatement(st)) return { kind: 'vars', binding: listKind(ts, st.declarationList), declarators: st.declarationList.declarations };
      if (ts.isClassDeclaration(st)) return st.name ? { kind: 'class', name: st.name.text, node: st, hasBody: true } : undefined;
      if (ts.isFunctionDeclaration(st)) return st.name ? { kind: 'function', name: st.name.text, node: st, hasBody: !!st.body } : undefined;
      if ((ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st)) && ts.isIdentifier(st.name)) return { kind: 'enum', name: st.name.text, node: st, hasBody: true };
      return undefined;
    },
    boundNames: (t) => {
      const name = (t as TS.VariableDeclaration | TS.ParameterDeclaration).name;
      return ts.isParameter(t) && ts.isIdentifier(name) && name.text === 'this' ? [] : boundNames(ts, name);
    },
    importNames: (st) => {
      if (ts.isImportEqualsDeclaration(st)) return st.isTypeOnly ? [] : [st.name.text];
      if (!ts.isImportDeclaration(st)) return undefined;
      const c = st.importClause;
      if (!c || c.isTypeOnly) return [];
      const nb = c.namedBindings;
      return [...(c.name ? [c.name.text] : []), ...(nb && ts.isNamespaceImport(nb) ? [nb.name.text] : []),
        ...(nb && ts.isNamedImports(nb) ? nb.elements.filter((el) => !el.isTypeOnly).map((el) => el.name.text) : [])];
    },
    hoistedVarNames: (n) => (ts.isVariableDeclarationList(n) && listKind(ts, n) === 'var' ? n.declarations.flatMap((d) => boundNames(ts, d.name)) : undefined),
    ownsVars: (n) => isFunctionLike(ts, n) || ts.isClassLike(n) || ts.isTypeNode(n),
    forEachChild: (n, each) => { ts.forEachChild(n, each); },
  };
}

/** True when identifier `id` is read or written as a variable (not a property name, label, declaration or type). */
function isReference(ts: typeof TS, id: TS.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  switch (p.kind) {
    case ts.SyntaxKind.PropertyAccessExpression: return (p as TS.PropertyAccessExpression).expression === id;
    case ts.SyntaxKind.QualifiedName: return false;
    case ts.SyntaxKind.PropertyAssignment: return (p as TS.PropertyAssignment).initializer === id;
    case ts.SyntaxKind.BindingElement: return (p as TS.BindingElement).initializer === id;
    case ts.SyntaxKind.VariableDeclaration: return (p as TS.VariableDeclaration).initializer === id;
    case ts.SyntaxKind.Parameter: return (p as TS.ParameterDeclaration).initializer === id;
    case ts.SyntaxKind.PropertyDeclaration: return (p as TS.PropertyDeclaration).initializer === id;
    case ts.SyntaxKind.EnumMember: return (p as TS.EnumMember).initializer === id;
    case ts.SyntaxKind.FunctionDeclaration: case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ClassDeclaration: case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.MethodDeclaration: case ts.SyntaxKind.GetAccessor: case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.PropertySignature: case ts.SyntaxKind.MethodSignature:
    case ts.SyntaxKind.InterfaceDeclaration: case ts.SyntaxKind.TypeAliasDeclaration:
    case ts.SyntaxKind.EnumDeclaration: case ts.SyntaxKind.ModuleDeclaration:
    case ts.SyntaxKind.ImportSpecifier: case ts.SyntaxKind.ImportClause: case ts.SyntaxKind.NamespaceImport:
    case ts.SyntaxKind.ImportEqualsDeclaration: case ts.SyntaxKind.ExportSpecifier:
    case ts.SyntaxKind.LabeledStatement: case ts.SyntaxKind.BreakStatement: case ts.SyntaxKind.ContinueStatement:
    case ts.SyntaxKind.MetaProperty: case ts.SyntaxKind.TypeParameter:
    case ts.SyntaxKind.JsxAttribute: case ts.SyntaxKind.NamespaceExportDeclaration:
      return false;
    default:
      return true;
  }
}

/**
 * Walks the file once, building scopes and resolving every variable reference to record each
 * function's closure variables and whether arrows read `this`.
 */
export function analyzeScopes(ts: typeof TS, sf: TS.SourceFile): ScopeInfo {
  const module = new CoreScope<TS.Node>('module', sf, undefined);
  const scopes = new Map<TS.Node, Scope>([[sf, module]]);
  const identifiers = new Set<string>();
  const refs: { id: TS.Node; name: string; scope: Scope }[] = [];
  const thisRefs: Scope[] = [];

  const dx = tsDeclarations(ts);
  declareModule(dx, module, sf, sf.statements);

  const visitFunction = (fn: TS.FunctionLikeDeclaration, outer: Scope): void => {
    let parent = outer;
    // A named function expression sees its own name in a scope of its own.
    if (ts.isFunctionExpression(fn) && fn.name) {
      parent = new CoreScope<TS.Node>('block', fn.name, outer);
      parent.declare(fn.name.text, 'fnname');
    }
    const scope = new CoreScope<TS.Node>('function', fn, parent, ts.isArrowFunction(fn));
    scopes.set(fn, scope);
    const body = fn.body;
    declareFunction(dx, scope, fn.parameters, body && ts.isBlock(body) ? { node: body, statements: body.statements } : undefined);
    for (const p of fn.parameters) visit(p, scope);
    if (body) {
      if (ts.isBlock(body)) for (const st of body.statements) visit(st, scope);
      else visit(body, scope);
    }
  };

  // One child visitor per scope (not a closure per node: the walk sees every node of the file).
  const visitors = new Map<Scope, (c: TS.Node) => void>();
  const visitIn = (scope: Scope): ((c: TS.Node) => void) => {
    let v = visitors.get(scope);
    if (!v) visitors.set(scope, (v = (c: TS.Node) => visit(c, scope)));
    return v;
  };

  const visit = (node: TS.Node, scope: Scope): void => {
    // Identifiers first: most nodes are.
    if (node.kind === ts.SyntaxKind.Identifier) {
      const id = node as TS.Identifier;
      identifiers.add(id.text);
      if (isReference(ts, id)) refs.push({ id, name: id.text, scope });
      return;
    }
    if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) return;
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || isAmbient(ts, node)) return;
    if (ts.isPrivateIdentifier(node)) return;
    if (node.kind === ts.SyntaxKind.ThisKeyword) {
      thisRefs.push(scope);
      return;
    }
    if (ts.isShorthandPropertyAssignment(node)) {
      identifiers.add(node.name.text);
      refs.push({ id: node.name, name: node.name.text, scope });
      if (node.objectAssignmentInitializer) visit(node.objectAssignmentInitializer, scope);
      return;
    }
    if (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ImplementsKeyword) return;
    if (isFunctionLike(ts, node)) {
      // Names of methods/functions are not references; computed names are, in the outer scope.
      if (node.name && ts.isComputedPropertyName(node.name)) visit(node.name, scope);
      if (node.name && ts.isIdentifier(node.name)) identifiers.add(node.name.text);
      if (ts.canHaveDecorators(node)) for (const d of ts.getDecorators(node) ?? []) visit(d, scope);
      visitFunction(node, scope);
      return;
    }
    if (ts.isClassLike(node)) {
      let inner = scope;
      if (node.name) {
        identifiers.add(node.name.text);
        inner = new CoreScope<TS.Node>('block', node, scope);
        inner.declare(node.name.text, 'class');
      }
      ts.forEachChild(node, (c) => { if (c !== node.name) visit(c, inner); });
      return;
    }
    if (ts.isBlock(node) || ts.isModuleBlock(node)) {
      const s = new CoreScope<TS.Node>('block', node, scope);
      scopes.set(node, s);
      declareLexical(dx, s, node.statements, true);
      for (const st of node.statements) visit(st, s);
      return;
    }
    if (ts.isCaseBlock(node)) {
      const s = new CoreScope<TS.Node>('block', node, scope);
      scopes.set(node, s);
      for (const clause of node.clauses) declareLexical(dx, s, clause.statements, true);
      ts.forEachChild(node, visitIn(s));
      return;
    }
    if (ts.isCatchClause(node)) {
      const s = new CoreScope<TS.Node>('block', node, scope);
      scopes.set(node, s);
      if (node.variableDeclaration) for (const n of boundNames(ts, node.variableDeclaration.name)) s.declare(n, 'catch', node.variableDeclaration);
      declareLexical(dx, s, node.block.statements, true);
      if (node.variableDeclaration) visit(node.variableDeclaration, s);
      for (const st of node.block.statements) visit(st, s);
      return;
    }
    if ((ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node))
      && node.initializer && ts.isVariableDeclarationList(node.initializer) && listKind(ts, node.initializer) !== 'var') {
      const s = new CoreScope<TS.Node>('block', node, scope);
      scopes.set(node, s);
      const kind = listKind(ts, node.initializer);
      for (const d of node.initializer.declarations) for (const n of boundNames(ts, d.name)) s.declare(n, kind, d);
      ts.forEachChild(node, visitIn(s));
      return;
    }
    ts.forEachChild(node, visitIn(scope));
  };

  for (const st of sf.statements) visit(st, module);

  return resolveScopes({ module, scopes, identifiers, refs, thisRefs });
}

/** True when the reference `id` assigns the variable (`x = ...`, `x += ...`, `x++`, a destructuring or for-in/of target). */
export function isWriteReference(ts: typeof TS, id: TS.Identifier): boolean {
  let node: TS.Node = id;
  let p = node.parent;
  // Climb through a destructuring assignment pattern to what it is the target of.
  while (p && (ts.isShorthandPropertyAssignment(p) || ts.isSpreadAssignment(p) || ts.isSpreadElement(p)
    || ts.isArrayLiteralExpression(p) || ts.isObjectLiteralExpression(p) || ts.isParenthesizedExpression(p)
    || ts.isAsExpression(p) || ts.isSatisfiesExpression(p) || ts.isNonNullExpression(p) || ts.isTypeAssertionExpression(p)
    || (ts.isPropertyAssignment(p) && p.initializer === node)
    || (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.left === node && node !== id
      && (ts.isArrayLiteralExpression(p.parent) || ts.isObjectLiteralExpression(p.parent) || ts.isPropertyAssignment(p.parent))))) {
    node = p;
    p = p.parent;
  }
  if (!p) return false;
  if (ts.isBinaryExpression(p) && p.left === node) {
    const k = p.operatorToken.kind;
    return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
  }
  if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p))
    && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  if ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.initializer === node) return true;
  return false;
}

/** True when `node` has a modifier of `kind` (`declare`, `abstract`, `static`). */
export function hasModifier(ts: typeof TS, node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === kind);
}
