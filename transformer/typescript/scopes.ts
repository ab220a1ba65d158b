/**
 * Scope analysis of a TypeScript source file, without a type checker (`ts.transpileModule` has
 * none): which names each function and block declares, and which free variables each function
 * reads from the functions around it (its closure variables).
 */
import type * as TS from 'typescript';
import type { BindingKind } from '../../runtime/records';
import type { DeclarationSyntax } from '../core/declarations';
import type * as Core from '../core/scope-model';
import { type ScopeWalkSyntax, walkScopes } from '../core/scope-walk';

/** The core's scope model over TypeScript nodes. */
export type Binding = Core.Binding<TS.Node>;
export type Scope = Core.Scope<TS.Node>;
export type ScopeInfo = Core.ScopeInfo<TS.Node>;

/** True for the nodes this analysis treats as functions (they get a function scope). */
export function isFunctionLike(ts: typeof TS, node: TS.Node): node is TS.FunctionLikeDeclaration {
  // Asked of every node of the file: one switch on the kind.
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
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
      if (ts.isVariableStatement(st))
        return { kind: 'vars', binding: listKind(ts, st.declarationList), declarators: st.declarationList.declarations };
      if (ts.isClassDeclaration(st)) return st.name ? { kind: 'class', name: st.name.text, node: st, hasBody: true } : undefined;
      if (ts.isFunctionDeclaration(st)) return st.name ? { kind: 'function', name: st.name.text, node: st, hasBody: !!st.body } : undefined;
      if ((ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st)) && ts.isIdentifier(st.name))
        return { kind: 'enum', name: st.name.text, node: st, hasBody: true };
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
      return [
        ...(c.name ? [c.name.text] : []),
        ...(nb && ts.isNamespaceImport(nb) ? [nb.name.text] : []),
        ...(nb && ts.isNamedImports(nb) ? nb.elements.filter((el) => !el.isTypeOnly).map((el) => el.name.text) : []),
      ];
    },
    hoistedVarNames: (n) =>
      ts.isVariableDeclarationList(n) && listKind(ts, n) === 'var' ? n.declarations.flatMap((d) => boundNames(ts, d.name)) : undefined,
    ownsVars: (n) => isFunctionLike(ts, n) || ts.isClassLike(n) || ts.isTypeNode(n),
    forEachChild: (n, each) => {
      ts.forEachChild(n, each);
    },
    statements: (b) => (b as TS.Block).statements,
    catchParts: (c) => ({ param: (c as TS.CatchClause).variableDeclaration, block: (c as TS.CatchClause).block }),
    clauseParts: (c) => ({ test: ts.isCaseClause(c) ? c.expression : undefined, statements: (c as TS.CaseOrDefaultClause).statements }),
  };
}

/** True when identifier `id` is read or written as a variable (not a property name, label, declaration or type). */
function isReference(ts: typeof TS, id: TS.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  switch (p.kind) {
    case ts.SyntaxKind.PropertyAccessExpression:
      return (p as TS.PropertyAccessExpression).expression === id;
    case ts.SyntaxKind.QualifiedName:
      return false;
    case ts.SyntaxKind.PropertyAssignment:
      return (p as TS.PropertyAssignment).initializer === id;
    case ts.SyntaxKind.BindingElement:
      return (p as TS.BindingElement).initializer === id;
    case ts.SyntaxKind.VariableDeclaration:
      return (p as TS.VariableDeclaration).initializer === id;
    case ts.SyntaxKind.Parameter:
      return (p as TS.ParameterDeclaration).initializer === id;
    case ts.SyntaxKind.PropertyDeclaration:
      return (p as TS.PropertyDeclaration).initializer === id;
    case ts.SyntaxKind.EnumMember:
      return (p as TS.EnumMember).initializer === id;
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.PropertySignature:
    case ts.SyntaxKind.MethodSignature:
    case ts.SyntaxKind.InterfaceDeclaration:
    case ts.SyntaxKind.TypeAliasDeclaration:
    case ts.SyntaxKind.EnumDeclaration:
    case ts.SyntaxKind.ModuleDeclaration:
    case ts.SyntaxKind.ImportSpecifier:
    case ts.SyntaxKind.ImportClause:
    case ts.SyntaxKind.NamespaceImport:
    case ts.SyntaxKind.ImportEqualsDeclaration:
    case ts.SyntaxKind.ExportSpecifier:
    case ts.SyntaxKind.LabeledStatement:
    case ts.SyntaxKind.BreakStatement:
    case ts.SyntaxKind.ContinueStatement:
    case ts.SyntaxKind.MetaProperty:
    case ts.SyntaxKind.TypeParameter:
    case ts.SyntaxKind.JsxAttribute:
    case ts.SyntaxKind.NamespaceExportDeclaration:
      return false;
    default:
      return true;
  }
}

/** The scope walk's questions (core/scope-walk.ts) over TypeScript nodes. */
function tsScopeSyntax(ts: typeof TS): ScopeWalkSyntax<TS.Node> {
  return {
    ...tsDeclarations(ts),
    // Asked of every node of the file: identifiers first (most nodes are), then by kind.
    kind: (node) => {
      if (node.kind === ts.SyntaxKind.Identifier) return 'identifier';
      if (
        (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) ||
        ts.isInterfaceDeclaration(node) ||
        ts.isTypeAliasDeclaration(node) ||
        isAmbient(ts, node) ||
        ts.isPrivateIdentifier(node)
      )
        return 'skip';
      if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
      if (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ImplementsKeyword) return 'skip';
      if (isFunctionLike(ts, node)) return 'function';
      if (ts.isClassLike(node)) return 'class';
      if (ts.isBlock(node) || ts.isModuleBlock(node)) return 'block';
      if (ts.isCaseBlock(node)) return 'switch';
      if (ts.isCatchClause(node)) return 'catch';
      return ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node) ? 'loop' : 'other';
    },
    name: (id) => (id as TS.Identifier).text,
    isReference: (id) => isReference(ts, id as TS.Identifier),
    eachChild: (n, scope, w) => {
      ts.forEachChild(n, w.visitorIn(scope));
    },
    functionParts: (node) => {
      const fn = node as TS.FunctionLikeDeclaration;
      const body = fn.body;
      return {
        computedKey: fn.name && ts.isComputedPropertyName(fn.name) ? fn.name : undefined,
        name: fn.name && ts.isIdentifier(fn.name) ? fn.name.text : undefined,
        decorators: (ts.canHaveDecorators(fn) && ts.getDecorators(fn)) || [],
        ownName: ts.isFunctionExpression(fn) && fn.name ? { name: fn.name.text, node: fn.name } : undefined,
        arrow: ts.isArrowFunction(fn),
        params: fn.parameters,
        body,
        statements: body && ts.isBlock(body) ? body.statements : undefined,
      };
    },
    visitClass: (node, scope, w) => {
      const name = (node as TS.ClassLikeDeclaration).name;
      const inner = name ? w.classScope(node, name.text, name, scope) : scope;
      ts.forEachChild(node, (c) => {
        if (c !== name) w.visit(c, undefined, '', inner);
      });
    },
    switchParts: (node) => ({ clauses: (node as TS.CaseBlock).clauses }),
    lexicalLoopHead: (node) => {
      const init = (node as TS.ForStatement).initializer;
      return init && ts.isVariableDeclarationList(init) && listKind(ts, init) !== 'var'
        ? { binding: listKind(ts, init), declarators: init.declarations }
        : undefined;
    },
    binding: (target, _owner, scope, w) => w.visit(target, undefined, '', scope),
  };
}

/**
 * Walks the file once (core/scope-walk.ts), building scopes and resolving every variable reference
 * to record each function's closure variables and whether arrows read `this`.
 */
export function analyzeScopes(ts: typeof TS, sf: TS.SourceFile): ScopeInfo {
  return walkScopes(tsScopeSyntax(ts), sf, sf.statements);
}

/** True when `node` has a modifier of `kind` (`declare`, `abstract`, `static`). */
export function hasModifier(ts: typeof TS, node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === kind);
}
