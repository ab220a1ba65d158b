/**
 * The TypeScript adapter: instruments one source file (docs/transformer-design.md shows an instrumented function
 * and says why it looks so). The core decides and lays out (core/emit-*.ts, core/templates.ts);
 * this file reads TypeScript's AST for it (`EmitSyntax`), walks the file with TypeScript's
 * visitor, and rebuilds the nodes the core changes through the factory (typescript/emitter.ts).
 */
import type * as TS from 'typescript';
import { breakpointCall, isBreakpointCall } from '../core/emit-breakpoint';
import { instrumentFunction } from '../core/emit-function';
import { withPrologue } from '../core/emit-module';
import { caseClauses } from '../core/emit-statements';
import type { EmitSyntax } from '../core/emit-syntax';
import type { NameParts } from '../core/display-name';
import { type ExpressionKind, skipOuter } from '../core/expression-kinds';
import { FileState } from '../core/file-state';
import { markerReferences, QuietSubtrees, textOffsets } from '../core/quiet-subtrees';
import { coldMembers, findMarkerDecorators, nothingToDo, pruneMarkerImports, readMarkerImports } from '../core/file-markers';
import { findTestCallbacks } from '../core/test-callbacks';
import { commentMarker } from '../core/markers';
import type { ResolvedOptions } from '../core/options';
import type { StatementKind } from '../core/statement-parts';
import { isOwnFile } from '../core/own-files';
import { tsEmitter } from './emitter';
import { tsHoistSyntax } from './hoist-syntax';
import { emitsCommonJs } from './module-format';
import { plainTs } from './plain-ts';
import { analyzeScopes, hasModifier, isFunctionLike, tsDeclarations, type WalkedRanges } from './scopes';

type Node = TS.Node;

/** An import declaration's module and named imports (only named imports can be markers). */
function importOf(ts: typeof TS, st: Node): { module: string; named?: { imported: string; local: string }[] } | undefined {
  if (!ts.isImportDeclaration(st)) return undefined;
  const nb = st.importClause?.namedBindings;
  return {
    module: ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : '',
    named:
      nb && ts.isNamedImports(nb)
        ? nb.elements.map((el) => ({ imported: (el.propertyName ?? el.name).text, local: el.name.text }))
        : undefined,
  };
}

/** A property name's or binding name's text (a computed one as written, in brackets), or undefined for a pattern. */
function keyText(ts: typeof TS, sf: TS.SourceFile, n: TS.PropertyName | TS.BindingName | undefined): string | undefined {
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  return ts.isComputedPropertyName(n) ? `[${n.expression.getText(sf)}]` : undefined;
}

/** What a function's user-facing name is made of (core/display-name.ts). */
function nameParts(ts: typeof TS, sf: TS.SourceFile, fn: TS.FunctionLikeDeclaration): NameParts {
  return {
    className: ts.isClassLike(fn.parent) ? (fn.parent.name?.text ?? '<class>') : undefined,
    isConstructor: ts.isConstructorDeclaration(fn),
    own: keyText(ts, sf, fn.name),
    accessor: ts.isGetAccessorDeclaration(fn) ? 'get' : ts.isSetAccessorDeclaration(fn) ? 'set' : undefined,
  };
}

/** The name a node gives the expression written in it (core/display-name.ts). */
function nameFromParent(ts: typeof TS, sf: TS.SourceFile, p: Node): string | undefined {
  if (
    ts.isVariableDeclaration(p) ||
    ts.isPropertyAssignment(p) ||
    ts.isPropertyDeclaration(p) ||
    ts.isParameter(p) ||
    ts.isBindingElement(p)
  )
    return keyText(ts, sf, p.name);
  return ts.isBinaryExpression(p) && ts.isIdentifier(p.left) ? p.left.text : undefined;
}

/** The kind of an expression the core's rules tell apart (core/expression-kinds.ts). */
function expressionKind(ts: typeof TS, e: Node): ExpressionKind<Node> | undefined {
  if (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isTypeAssertionExpression(e)
  )
    return { kind: 'transparent', inner: e.expression };
  const k = e.kind;
  if (ts.isLiteralExpression(e) || k === ts.SyntaxKind.TrueKeyword || k === ts.SyntaxKind.FalseKeyword || k === ts.SyntaxKind.NullKeyword)
    return { kind: 'literal' };
  if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return { kind: 'function' };
  if (ts.isClassExpression(e)) return { kind: 'class', named: !!e.name };
  return ts.isVoidExpression(e) ? { kind: 'void', operand: e.expression } : undefined;
}

/** The statements whose parts the core visits (core/statement-parts.ts), by kind: their parts in that order. */
function statementTable(ts: typeof TS): Map<TS.SyntaxKind, [StatementKind, string[]]> {
  const k = ts.SyntaxKind;
  return new Map<TS.SyntaxKind, [StatementKind, string[]]>([
    [k.IfStatement, ['if', ['expression', 'thenStatement', 'elseStatement']]],
    [k.ForStatement, ['for', ['initializer', 'condition', 'incrementor', 'statement']]],
    [k.ForOfStatement, ['forInOf', ['initializer', 'expression', 'statement']]],
    [k.ForInStatement, ['forInOf', ['initializer', 'expression', 'statement']]],
    [k.WhileStatement, ['while', ['expression', 'statement']]],
    [k.DoStatement, ['doWhile', ['statement', 'expression']]],
    [k.LabeledStatement, ['labeled', ['statement']]],
    [k.TryStatement, ['try', ['catchClause', 'tryBlock', 'finallyBlock']]],
  ]);
}

/** The `EmitSyntax` answers that need nothing of the file but TypeScript's node tests. */
function tsSyntax(
  ts: typeof TS,
  sf: TS.SourceFile,
  f: TS.NodeFactory,
): Omit<EmitSyntax<Node>, 'visit' | 'visitSwitch' | 'withParts' | 'visitChildren' | 'classExpression' | 'rebuildFunction'> {
  const at = (offset: number): { line: number; col: number } => {
    const lc = sf.getLineAndCharacterOfPosition(offset);
    return { line: lc.line + 1, col: lc.character };
  };
  const table = statementTable(ts);
  const statementParts = (st: Node): { kind: StatementKind; parts: (Node | undefined)[] } | undefined => {
    const [kind, keys] = table.get(st.kind) ?? [];
    return kind && { kind, parts: keys!.map((k) => (st as unknown as Record<string, Node | undefined>)[k]) };
  };
  const declFlags = ts.NodeFlags.BlockScoped | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing;
  return {
    ...tsDeclarations(ts),
    parent: (n) => n.parent,
    isFunction: (n) => isFunctionLike(ts, n),
    someChild: (n, each) => !!ts.forEachChild(n, each),
    pos: (n) => at(n.getStart(sf)),
    endPos: (n) => at(n.getEnd()),
    fileEnd: () => at(sf.getEnd()),
    startOffset: (n) => n.getStart(sf),
    declEnd: (d) => {
      const p = at(d.end);
      return [p.line, p.col];
    },
    isBlock: (n) => ts.isBlock(n),
    isSwitch: (st) => ts.isSwitchStatement(st),
    statementParts,
    withClause: (c, test, stmts) =>
      ts.isCaseClause(c)
        ? f.updateCaseClause(c, test as TS.Expression, stmts as TS.Statement[])
        : f.updateDefaultClause(c as TS.DefaultClause, stmts as TS.Statement[]),
    withStatements: (b, stmts) => f.updateBlock(b as TS.Block, stmts as TS.Statement[]),
    isEmptyStatement: (st) => ts.isEmptyStatement(st),
    declaratorName: (d) => {
      const n = (d as TS.VariableDeclaration).name;
      return ts.isIdentifier(n) ? n.text : undefined;
    },
    declaratorInit: (d) => (d as TS.VariableDeclaration).initializer,
    singleDeclaration: (st, d) =>
      ts.setTextRange(
        f.createVariableStatement(
          undefined,
          f.createVariableDeclarationList([d as TS.VariableDeclaration], (st as TS.VariableStatement).declarationList.flags & declFlags),
        ),
        st,
      ),
    withInit: (d, init) => {
      const v = d as TS.VariableDeclaration;
      return f.updateVariableDeclaration(v, v.name, undefined, undefined, init as TS.Expression);
    },
    isTypeDeclaration: (st) => ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st),
    leaves: (st) => ts.isReturnStatement(st) || ts.isThrowStatement(st),
    loopHeadDeclarators: (init) => (ts.isVariableDeclarationList(init) ? init.declarations : undefined),
    isForInOf: (loop) => ts.isForOfStatement(loop) || ts.isForInStatement(loop),
    withCatch: (c, param, b) => f.updateCatchClause(c as TS.CatchClause, param as TS.VariableDeclaration | undefined, b as TS.Block),
    functionBody: (fn) => {
      const body = (fn as TS.FunctionLikeDeclaration).body!;
      return ts.isBlock(body) ? body.statements : [ts.setTextRange(f.createReturnStatement(body), body)];
    },
    isDirective: (st) => ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression),
    bodyNode: (fn) => (fn as TS.FunctionLikeDeclaration).body!,
    functionShape: (fn) => ({
      isArrow: ts.isArrowFunction(fn),
      isConstructor: ts.isConstructorDeclaration(fn),
      derivedConstructor:
        ts.isConstructorDeclaration(fn) && !!fn.parent.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword),
      generator: !!(fn as TS.FunctionLikeDeclarationBase).asteriskToken,
    }),
    hasCode: (fn) =>
      !!(fn as TS.FunctionLikeDeclaration).body &&
      !hasModifier(ts, fn, ts.SyntaxKind.DeclareKeyword) &&
      !hasModifier(ts, fn, ts.SyntaxKind.AbstractKeyword),
    nameParts: (fn) => nameParts(ts, sf, fn as TS.FunctionLikeDeclaration),
    nameFromParent: (p) => nameFromParent(ts, sf, p),
    // The trivia before the node: white space and comments (one on the line of the previous
    // token, as in `= /* @debuggable */ () => ...`, counts too).
    commentMarker: (n) => commentMarker(sf.text.slice(n.pos, n.getStart(sf))),
    commentHolder: (p) =>
      ts.isVariableStatement(p) ||
      ts.isExpressionStatement(p) ||
      ts.isPropertyAssignment(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isExportAssignment(p)
        ? 'last'
        : ts.isParenthesizedExpression(p) ||
            ts.isAsExpression(p) ||
            ts.isSatisfiesExpression(p) ||
            ts.isVariableDeclaration(p) ||
            ts.isVariableDeclarationList(p) ||
            (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken)
          ? 'through'
          : undefined,
    importOf: (st) => importOf(ts, st),
    importLocals: (decl) =>
      ((decl as TS.ImportDeclaration).importClause!.namedBindings as TS.NamedImports).elements.map((el) => el.name.text),
    withImportLocals: (decl, keep) => {
      const imp = decl as TS.ImportDeclaration;
      const clause = imp.importClause!;
      const nb = clause.namedBindings as TS.NamedImports;
      if (!keep.length && !clause.name) return undefined;
      const named = keep.length
        ? f.updateNamedImports(
            nb,
            nb.elements.filter((el) => keep.includes(el.name.text)),
          )
        : undefined;
      return f.updateImportDeclaration(
        imp,
        imp.modifiers,
        f.updateImportClause(clause, clause.phaseModifier, clause.name, named),
        imp.moduleSpecifier,
        imp.attributes,
      );
    },
    decorators: (n) => (ts.canHaveDecorators(n) ? (ts.getDecorators(n) ?? []) : []),
    decoratorCall: (d) => {
      const call = (d as TS.Decorator).expression;
      return ts.isCallExpression(call) ? call : undefined;
    },
    memberRange: (n) => (ts.isStatement(n) || ts.isClassElement(n) || ts.isObjectLiteralElementLike(n) ? [n.pos, n.end] : undefined),
    isWith: (n) => ts.isWithStatement(n),
    // `(eval)(...)`, `eval!(...)` and `(eval as any)(...)` are direct evals too.
    isDirectEval: (n) => {
      if (!ts.isCallExpression(n)) return false;
      const c = skipOuter<Node>({ expressionKind: (e) => expressionKind(ts, e) }, n.expression);
      return ts.isIdentifier(c) && c.text === 'eval';
    },
    identifierName: (n) => (ts.isIdentifier(n) ? n.text : undefined),
    isCall: (n) => ts.isCallExpression(n),
    callee: (call) => {
      const c = (call as TS.CallExpression).expression;
      if (ts.isIdentifier(c)) return { name: c.text, id: c };
      if (ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression))
        return { object: c.expression.text, objectId: c.expression, property: c.name.text };
      return undefined;
    },
    calleeCall: (call) => {
      const c = (call as TS.CallExpression).expression;
      return ts.isCallExpression(c) ? c : undefined;
    },
    callArgs: (call) => (call as TS.CallExpression).arguments,
    expressionKind: (e) => expressionKind(ts, e),
  };
}

/**
 * Instruments one source file. Returns the file unchanged when it has nothing to instrument and
 * no marker to remove.
 */
export function instrumentSourceFile(
  tsModule: typeof TS,
  context: TS.TransformationContext,
  sf: TS.SourceFile,
  options: ResolvedOptions,
): TS.SourceFile {
  if (sf.isDeclarationFile || isOwnFile(sf.fileName)) return sf;
  const ts = plainTs(tsModule);
  const f = context.factory;
  // A file already instrumented (it imports the capture module) is left alone.
  const markers = readMarkerImports({ importOf: (st) => importOf(ts, st) }, sf.statements, options.runtimeModule);
  if (!markers || nothingToDo(markers.declarations.size > 0, sf.text, options)) return sf;

  /** Modifiers and decorators of a node, without ts-pdb's marker decorators (visited). */
  const keptModifiers = (node: Node): TS.ModifierLike[] | undefined => {
    const mods = ts.canHaveModifiers(node) ? node.modifiers : undefined;
    return mods?.filter((m) => !removed.has(m)).map((m) => visitNode(m) as TS.ModifierLike);
  };
  const rebuildFunction = (node: Node, directives: Node[], stmts: Node[]): Node => {
    const fn = node as TS.FunctionLikeDeclaration;
    const newBody = f.createBlock([...directives, ...stmts] as TS.Statement[], true);
    const params = f.createNodeArray(fn.parameters.map((pd) => visitNode(pd) as TS.ParameterDeclaration));
    const mods = keptModifiers(fn);
    const name = (): TS.PropertyName => visitNode(fn.name!) as TS.PropertyName;
    if (ts.isFunctionDeclaration(fn))
      return f.updateFunctionDeclaration(fn, mods, fn.asteriskToken, fn.name, fn.typeParameters, params, fn.type, newBody);
    if (ts.isFunctionExpression(fn))
      return f.updateFunctionExpression(
        fn,
        mods as TS.Modifier[] | undefined,
        fn.asteriskToken,
        fn.name,
        fn.typeParameters,
        params,
        fn.type,
        newBody,
      );
    if (ts.isArrowFunction(fn))
      return f.updateArrowFunction(
        fn,
        mods as TS.Modifier[] | undefined,
        fn.typeParameters,
        params,
        fn.type,
        fn.equalsGreaterThanToken,
        newBody,
      );
    if (ts.isMethodDeclaration(fn))
      return f.updateMethodDeclaration(fn, mods, fn.asteriskToken, name(), fn.questionToken, fn.typeParameters, params, fn.type, newBody);
    if (ts.isConstructorDeclaration(fn)) return f.updateConstructorDeclaration(fn, mods, params, newBody);
    if (ts.isGetAccessorDeclaration(fn)) return f.updateGetAccessorDeclaration(fn, mods, name(), params, fn.type, newBody);
    return f.updateSetAccessorDeclaration(fn, mods, name(), params, newBody);
  };
  const classExpression = (st: Node): Node => {
    const visited = visitNode(st) as TS.ClassDeclaration;
    const mods = visited.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.AbstractKeyword) as TS.Modifier[] | undefined;
    return ts.setTextRange(
      f.createClassExpression(mods, visited.name, visited.typeParameters, visited.heritageClauses, visited.members),
      st,
    );
  };
  const base = tsSyntax(ts, sf, f);
  const syntax: EmitSyntax<Node> = {
    ...base,
    visit: (n) => visitNode(n),
    visitSwitch: (node) => {
      const st = node as TS.SwitchStatement;
      const clauses = caseClauses(s!, st.caseBlock, st.caseBlock.clauses) as TS.CaseOrDefaultClause[];
      return f.updateSwitchStatement(st, visitNode(st.expression) as TS.Expression, f.updateCaseBlock(st.caseBlock, clauses));
    },
    // The parts the core visited, put in place by TypeScript's own update of the statement.
    withParts: (st, parts) => {
      const visited = new Map(base.statementParts(st)!.parts.map((p, i) => [p, parts[i]]));
      return ts.visitEachChild(st, (c) => visited.get(c) ?? c, context);
    },
    visitChildren: (fn) => ts.visitEachChild(fn, visitNode, context),
    classExpression,
    rebuildFunction,
  };
  // Marker decorators mark methods; they are removed in every build.
  // TypeScript's node ranges hold their children's: a subtree without an `@` holds no decorator.
  const atSigns = new QuietSubtrees(textOffsets(sf.text, ['@'], false), []);
  const { removed, boundaries } = findMarkerDecorators(syntax, sf, markers, (n) => !atSigns.quiet(n.pos, n.end));
  for (const fn of findTestCallbacks(syntax, sf, options)) boundaries.add(fn);

  const ranges: WalkedRanges = { functions: [], gaps: [] };
  const info = options.enabled ? analyzeScopes(ts, sf, ranges) : undefined;
  const s =
    info &&
    new FileState<Node>({
      syntax,
      emit: tsEmitter(ts, f),
      hoist: tsHoistSyntax(ts, context.getCompilerOptions()),
      info,
      options,
      markers,
      boundaries,
      text: sf.text,
    });

  const cold = coldMembers(
    syntax,
    options,
    sf.text,
    markers,
    [...removed].map((d) => d.pos),
  );
  // Subtrees with no function, marker decorator or breakpoint call in them come out unchanged. A
  // breakpoint call's callee is a reference to a marker import (core/emit-breakpoint.ts).
  const quiet =
    info &&
    new QuietSubtrees(
      [
        ...ranges.functions,
        ...[...removed].map((d) => d.pos),
        ...markerReferences(
          info,
          markers,
          (id) => (id as TS.Identifier).text,
          (id) => id.pos,
        ),
      ],
      ranges.gaps,
    );
  const visitNode = (node: Node): Node | undefined => {
    if (cold?.(node)) return node;
    if (quiet?.quiet(node.pos, node.end)) return node;
    if (removed.has(node)) return undefined;
    if (s && ts.isCallExpression(node) && isBreakpointCall(s, node)) return breakpointCall(s, node);
    if (s && isFunctionLike(ts, node)) {
      const role = s.role(node);
      if (role) return instrumentFunction(s, node, role);
    }
    return ts.visitEachChild(node, visitNode, context);
  };

  const result = ts.visitEachChild(sf, visitNode, context);

  // Marker imports go when nothing else uses them (so a build-off program never loads ts-pdb).
  // Only the marker decorators' import names are asked of the uses: subtrees without their text are not walked.
  const mentions = removed.size
    ? new QuietSubtrees(textOffsets(sf.text, [...markers.decorator, ...markers.debuggerNs], true), [])
    : undefined;
  const statements = removed.size
    ? (pruneMarkerImports(
        syntax,
        sf,
        result.statements,
        markers,
        removed,
        (st) => ts.getOriginalNode(st),
        (n) => !mentions!.quiet(n.pos, n.end),
      ) as TS.Statement[])
    : result.statements;
  if (!s?.meta.fns.length) return statements === result.statements ? result : f.updateSourceFile(result, statements);
  // Module prologue: the capture import (a `require` in CommonJS output, where an `import * as`
  // would make TypeScript emit its `__importStar` helper, whose name the program may use) and the
  // module descriptor, after the directives.
  const cjs = emitsCommonJs(ts, context.getCompilerOptions(), sf);
  return f.updateSourceFile(result, withPrologue(s, statements, sf.fileName, cjs, cjs) as TS.Statement[]);
}
