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
  // Asked of every node of the file: one switch on the kind (`ts.SyntaxKind` is a getter: read once).
  const k = ts.SyntaxKind;
  switch (node.kind) {
    case k.FunctionDeclaration:
    case k.FunctionExpression:
    case k.ArrowFunction:
    case k.MethodDeclaration:
    case k.Constructor:
    case k.GetAccessor:
    case k.SetAccessor:
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
  if (!mods) return false;
  const declare = ts.SyntaxKind.DeclareKeyword;
  return mods.some((m) => m.kind === declare);
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
    // TypeScript has no statement inside an expression but in a function or class body.
    holdsNoVars: (n) => ts.isExpression(n),
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
  const k = ts.SyntaxKind; // a getter: read once, not once per case
  switch (p.kind) {
    case k.PropertyAccessExpression:
      return (p as TS.PropertyAccessExpression).expression === id;
    case k.QualifiedName:
      return false;
    case k.PropertyAssignment:
      return (p as TS.PropertyAssignment).initializer === id;
    case k.BindingElement:
      return (p as TS.BindingElement).initializer === id;
    case k.VariableDeclaration:
      return (p as TS.VariableDeclaration).initializer === id;
    case k.Parameter:
      return (p as TS.ParameterDeclaration).initializer === id;
    case k.PropertyDeclaration:
      return (p as TS.PropertyDeclaration).initializer === id;
    case k.EnumMember:
      return (p as TS.EnumMember).initializer === id;
    case k.FunctionDeclaration:
    case k.FunctionExpression:
    case k.ClassDeclaration:
    case k.ClassExpression:
    case k.MethodDeclaration:
    case k.GetAccessor:
    case k.SetAccessor:
    case k.PropertySignature:
    case k.MethodSignature:
    case k.InterfaceDeclaration:
    case k.TypeAliasDeclaration:
    case k.EnumDeclaration:
    case k.ModuleDeclaration:
    case k.ImportSpecifier:
    case k.ImportClause:
    case k.NamespaceImport:
    case k.ImportEqualsDeclaration:
    case k.ExportSpecifier:
    case k.LabeledStatement:
    case k.BreakStatement:
    case k.ContinueStatement:
    case k.MetaProperty:
    case k.TypeParameter:
    case k.JsxAttribute:
    case k.NamespaceExportDeclaration:
      return false;
    default:
      return true;
  }
}

/** The scope walk's questions (core/scope-walk.ts) over TypeScript nodes. */
/** What the walk saw of the file's text: where its functions start, what it did not enter. */
export interface WalkedRanges {
  /** `pos` of every function-like node the walk visited. */
  functions: number[];
  /** [pos, end) of every subtree the walk did not enter (types, `declare`d code, a function's type parameters and return type). */
  gaps: [number, number][];
}

function tsScopeSyntax(ts: typeof TS, ranges?: WalkedRanges): ScopeWalkSyntax<TS.Node> {
  // `ts.X` are getters on TypeScript's module object: read once here, not per node.
  const k = ts.SyntaxKind;
  const { isTypeNode, isClassLike } = ts;
  return {
    ...tsDeclarations(ts),
    // Asked of every node of the file: identifiers first (most nodes are), then by kind.
    kind: (node) => {
      const kind = node.kind;
      if (kind === k.Identifier) return 'identifier';
      if (
        (isTypeNode(node) && kind !== k.ExpressionWithTypeArguments) ||
        kind === k.InterfaceDeclaration ||
        kind === k.TypeAliasDeclaration ||
        isAmbient(ts, node) ||
        kind === k.PrivateIdentifier
      ) {
        ranges?.gaps.push([node.pos, node.end]);
        return 'skip';
      }
      if (kind === k.ThisKeyword) return 'this';
      if (kind === k.HeritageClause && (node as TS.HeritageClause).token === k.ImplementsKeyword) {
        ranges?.gaps.push([node.pos, node.end]);
        return 'skip';
      }
      if (isFunctionLike(ts, node)) return 'function';
      if (isClassLike(node)) return 'class';
      if (kind === k.Block || kind === k.ModuleBlock) return 'block';
      if (kind === k.CaseBlock) return 'switch';
      if (kind === k.CatchClause) return 'catch';
      return kind === k.ForStatement || kind === k.ForInStatement || kind === k.ForOfStatement ? 'loop' : 'other';
    },
    name: (id) => (id as TS.Identifier).text,
    isReference: (id) => isReference(ts, id as TS.Identifier),
    eachChild: (n, scope, w) => {
      ts.forEachChild(n, w.visitorIn(scope));
    },
    functionParts: (node) => {
      const fn = node as TS.FunctionLikeDeclaration;
      const body = fn.body;
      if (ranges) {
        // The walk enters neither the type parameters nor the return type.
        ranges.functions.push(fn.pos);
        if (fn.typeParameters) ranges.gaps.push([fn.typeParameters.pos, fn.typeParameters.end]);
        if (fn.type) ranges.gaps.push([fn.type.pos, fn.type.end]);
      }
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
 * @param ranges when given, filled with what the walk saw ({@link WalkedRanges}); default: none
 */
export function analyzeScopes(ts: typeof TS, sf: TS.SourceFile, ranges?: WalkedRanges): ScopeInfo {
  return walkScopes(tsScopeSyntax(ts, ranges), sf, sf.statements);
}

/** True when `node` has a modifier of `kind` (`declare`, `abstract`, `static`). */
export function hasModifier(ts: typeof TS, node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === kind);
}
