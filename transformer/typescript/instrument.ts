/**
 * The TypeScript adapter: rewrites the functions to instrument so that an exception leaving them
 * hands every local to the runtime, without changing what the program does.
 *
 * Shape of an instrumented function (transformer/DESIGN.md says why):
 *
 *     function f(a) {
 *       "use strict";                     // directives stay first
 *       let x;                            // block bindings that can move (hoist-plan.ts)
 *       try {
 *         x = g(a);                       // their declarations become assignments
 *         for (const k of ks) {           // a loop body keeps its own bindings, one catch for them
 *           let y;
 *           try { y = h(x, k); } catch (__tsPdbE) { __tsPdb.b(__tsPdbE, __tsPdbM, 0, y, k); throw __tsPdbE; }
 *         }
 *       } catch (__tsPdbE) { __tsPdb.f(__tsPdbE, __tsPdbM, 0, this, a, x); throw __tsPdbE; }
 *     }
 *
 * Bindings that cannot move keep their declarations, and their block gets catch clauses of its
 * own around the statements between declarations (`processList`). Nothing runs on the
 * non-throwing path but the program's own code.
 */
import type * as TS from 'typescript';
import { commentMarker, DEBUGGER_EXPORT, DECORATOR_EXPORT, RUNTIME_MODULES } from '../core/markers';
import { GeneratedNames } from '../core/names';
import type { ResolvedOptions } from '../core/options';
import { isOwnFile } from '../core/own-files';
import type { BindingKind } from '../../runtime/records';
import {
  blockNames, type Capturable, catchEntry, closureOf, retryable, closureReadMayThrow, frameNames, instrumentRole, Hotspots, MetaBuilder, nothingToDo, stayingFunctions, textAllows, topLevelNames,
} from '../core/frame-plan';
import { BREAKPOINT_EXPORT, breakpointOffsets, SET_TRACE_MEMBER, siteBindings } from '../core/breakpoints';
import { planHoist } from '../core/hoist-plan';
import { tsHoistSyntax } from './hoist-plan';
import { emitsCommonJs } from './module-format';
import {
  analyzeScopes, type Binding, boundNames, isFunctionLike, isWriteReference, lexicalDeclarations, listKind, type Scope, type ScopeInfo,
} from './scopes';


/** Marker decorators found on a node, and the import specifiers that made them markers. */
interface MarkerImports {
  /** Local names bound to ts-pdb's `attachOnError`. */
  decorator: Set<string>;
  /** Local names bound to ts-pdb's `Debugger`. */
  debuggerNs: Set<string>;
  /** Local names bound to ts-pdb's `breakpoint`. */
  breakpoint: Set<string>;
  /** The import declarations they come from. */
  declarations: Set<TS.ImportDeclaration>;
}

function findMarkerImports(ts: typeof TS, sf: TS.SourceFile): MarkerImports {
  const out: MarkerImports = { decorator: new Set(), debuggerNs: new Set(), breakpoint: new Set(), declarations: new Set() };
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    if (!RUNTIME_MODULES.has(st.moduleSpecifier.text)) continue;
    const nb = st.importClause?.namedBindings;
    if (!nb || !ts.isNamedImports(nb)) continue;
    for (const el of nb.elements) {
      const imported = (el.propertyName ?? el.name).text;
      if (imported === DECORATOR_EXPORT) out.decorator.add(el.name.text);
      if (imported === DEBUGGER_EXPORT) out.debuggerNs.add(el.name.text);
      if (imported === BREAKPOINT_EXPORT) out.breakpoint.add(el.name.text);
    }
    out.declarations.add(st);
  }
  return out;
}

function isMarkerDecorator(ts: typeof TS, d: TS.Decorator, m: MarkerImports): boolean {
  const e = d.expression;
  if (!ts.isCallExpression(e)) return false;
  const c = e.expression;
  if (ts.isIdentifier(c)) return m.decorator.has(c.text);
  return ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && m.debuggerNs.has(c.expression.text)
    && c.name.text === DECORATOR_EXPORT;
}

/** The comment marker written before a function, looking through the nodes that hold it. */
function functionComment(ts: typeof TS, sf: TS.SourceFile, fn: TS.Node): 'debuggable' | 'no-debug' | undefined {
  const holders: TS.Node[] = [fn];
  let p = fn.parent;
  // `const f = () => ...`, `export const f = ...`, `{ f: function () {} }`, `x = () => ...`
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p)
    || ts.isVariableDeclaration(p) || ts.isVariableDeclarationList(p) || ts.isVariableStatement(p)
    || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isExportAssignment(p)
    || (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    || ts.isExpressionStatement(p))) {
    holders.push(p);
    if (ts.isVariableStatement(p) || ts.isExpressionStatement(p) || ts.isPropertyAssignment(p)
      || ts.isPropertyDeclaration(p) || ts.isExportAssignment(p)) break;
    p = p.parent;
  }
  let found: 'debuggable' | 'no-debug' | undefined;
  for (const h of holders) {
    // The trivia before the node: only white space and comments (a comment on the same line as
    // the previous token, as in `= /* @debuggable */ () => ...`, counts too).
    const m = commentMarker(sf.text.slice(h.pos, h.getStart(sf)));
    if (m === 'no-debug') return m;
    if (m) found = m;
  }
  return found;
}

/** A user-facing name for a function (`Trainer.step`, `riskyOperation`, `<anonymous>`). */
function displayName(ts: typeof TS, sf: TS.SourceFile, fn: TS.FunctionLikeDeclaration): string {
  const keyText = (n: TS.PropertyName | TS.BindingName | undefined): string | undefined => {
    if (!n) return undefined;
    if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
    if (ts.isComputedPropertyName(n)) return `[${n.expression.getText(sf)}]`;
    return undefined;
  };
  const cls = ts.isClassLike(fn.parent) ? (fn.parent.name?.text ?? '<class>') : undefined;
  if (ts.isConstructorDeclaration(fn)) return `${cls ?? '<class>'}.constructor`;
  const own = keyText(fn.name as TS.PropertyName | undefined);
  const prefix = ts.isGetAccessorDeclaration(fn) ? 'get ' : ts.isSetAccessorDeclaration(fn) ? 'set ' : '';
  if (own) return prefix + (cls ? `${cls}.${own}` : own);
  let p: TS.Node = fn.parent;
  while (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p)) p = p.parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)
    || ts.isParameter(p) || ts.isBindingElement(p)) {
    return keyText(p.name) ?? '<anonymous>';
  }
  if (ts.isBinaryExpression(p) && ts.isIdentifier(p.left)) return p.left.text;
  return '<anonymous>';
}

/** Skips parentheses, type assertions, `satisfies` and `!`: they do not change what runs. */
function skipOuter(ts: typeof TS, e: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)
    || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

/** Expressions whose evaluation cannot throw (no split into a temporary needed). */
function cannotThrow(ts: typeof TS, e: TS.Expression): boolean {
  const x = skipOuter(ts, e);
  return ts.isLiteralExpression(x) || ts.isFunctionExpression(x) || ts.isArrowFunction(x)
    || x.kind === ts.SyntaxKind.TrueKeyword || x.kind === ts.SyntaxKind.FalseKeyword
    || x.kind === ts.SyntaxKind.NullKeyword
    || (ts.isVoidExpression(x) && ts.isLiteralExpression(x.expression));
}

/** An anonymous class expression gets its name from the declaration: it must stay in place. */
function isAnonymousClass(ts: typeof TS, e: TS.Expression): boolean {
  const x = skipOuter(ts, e);
  return ts.isClassExpression(x) && !x.name;
}

function hasModifier(ts: typeof TS, node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === kind);
}

/**
 * Instruments one source file. Returns the file unchanged when it has nothing to instrument and
 * no marker to remove.
 */
export function instrumentSourceFile(
  ts: typeof TS, context: TS.TransformationContext, sf: TS.SourceFile, options: ResolvedOptions,
): TS.SourceFile {
  if (sf.isDeclarationFile || isOwnFile(sf.fileName)) return sf;
  const f = context.factory;
  const markers = findMarkerImports(ts, sf);

  // A file already instrumented (it imports the capture module) is left alone.
  const alreadyDone = sf.statements.some((st) => ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)
    && st.moduleSpecifier.text === options.runtimeModule);
  if (alreadyDone || nothingToDo(markers.declarations.size > 0, sf.text, options)) return sf;

  const removedDecorators = new Set<TS.Decorator>();
  const boundaries = new Set<TS.Node>();
  // Pass 1: marker decorators (they mark methods; they are removed in every build).
  const findDecorators = (node: TS.Node): void => {
    if (ts.canHaveDecorators(node)) {
      for (const d of ts.getDecorators(node) ?? []) {
        if (isMarkerDecorator(ts, d, markers)) {
          removedDecorators.add(d);
          if (isFunctionLike(ts, node)) boundaries.add(node);
        }
      }
    }
    ts.forEachChild(node, findDecorators);
  };
  if (markers.decorator.size || markers.debuggerNs.size) findDecorators(sf);

  const info: ScopeInfo | undefined = options.enabled ? analyzeScopes(ts, sf) : undefined;
  const hoistSyntax = tsHoistSyntax(ts, (cls) => canBeClassExpression(ts, cls, context.getCompilerOptions()));
  const names = new GeneratedNames(info?.identifiers ?? new Set<string>(), options.enabled);
  const { ns: NS, mod: MOD, err: ERR } = names;
  const unique = (base: string): string => names.unique(base);
  const newTemp = (): string => names.temp();

  const metaOut = new MetaBuilder();
  const pos = (n: TS.Node): { line: number; col: number } => {
    const lc = sf.getLineAndCharacterOfPosition(n.getStart(sf));
    return { line: lc.line + 1, col: lc.character };
  };

  const rt = (name: string): TS.Expression => f.createPropertyAccessExpression(f.createIdentifier(NS), name);
  const rethrow = (): TS.Statement => f.createThrowStatement(f.createIdentifier(ERR));
  /** `let t; try { t = <read>; } catch { t = __tsPdb.U; }`: a read that may hit a TDZ. */
  const guardedRead = (read: TS.Expression, out: TS.Statement[]): TS.Expression => {
    const t = newTemp();
    out.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(t)], ts.NodeFlags.Let)));
    out.push(f.createTryStatement(
      f.createBlock([f.createExpressionStatement(f.createAssignment(f.createIdentifier(t), read))]),
      f.createCatchClause(undefined, f.createBlock([f.createExpressionStatement(f.createAssignment(f.createIdentifier(t), rt('U')))])),
      undefined));
    return f.createIdentifier(t);
  };
  const catchClause = (body: TS.Statement[], outermost = false): TS.CatchClause => {
    const again = rethrow();
    // Node prints the line of the last `throw` above an uncaught error's stack: say what it is.
    if (outermost) ts.addSyntheticTrailingComment(again, ts.SyntaxKind.SingleLineCommentTrivia, ' ts-pdb: the error below, rethrown unchanged', false);
    return f.createCatchClause(ERR, f.createBlock([...body, again], true));
  };

  const allows = textAllows(sf.text);
  const shouldInstrument = (fn: TS.FunctionLikeDeclaration): 'boundary' | 'frame' | undefined => {
    if (!fn.body || !options.enabled) return undefined;
    if (hasModifier(ts, fn, ts.SyntaxKind.DeclareKeyword) || hasModifier(ts, fn, ts.SyntaxKind.AbstractKeyword)) return undefined;
    return instrumentRole({
      hasBody: true, directEval: allows.eval && containsDirectEval(ts, fn.body),
      withStatement: allows.with && (containsWith(ts, fn.body) || insideWith(ts, fn)),
      redeclaresLexically: info!.scopes.get(fn)?.redeclaresLexically,
      comment: functionComment(ts, sf, fn), decorated: boundaries.has(fn),
    }, options);
  };

  // ---------------------------------------------------------------- statements

  const blockCapture = (scope: Scope | undefined): Capturable[] | undefined => blockNames(scope, moved);

  /** Block-scoped bindings moved to function level (hoist-plan.ts), and their declaring nodes. */
  const moved = new Set<Binding>();
  const movedDecls = new Set<TS.Node>();
  /** Bindings moved to the top of a loop's body, by loop. */
  const loopMoves = new Map<TS.Node, Binding[]>();
  /** Where a moved binding's declaration ends (`[line, col]`, original source): before it, undefined means uninitialised. */
  const declEndOf = (b: Binding): [number, number] => {
    const end = sf.getLineAndCharacterOfPosition(b.decl!.end);
    return [end.line + 1, end.character];
  };

  interface BlockCtx { idx: number; names: Capturable[]; guard: boolean }
  const registerScope = (node: TS.Node, names: Capturable[], declEnds?: ([number, number] | null)[]): number =>
    metaOut.scope(pos(node), names, declEnds);

  /** The `catch` of a block scope: report the names initialised so far (all read guarded in a `switch`). */
  const blockCatch = (b: BlockCtx, initialized: Set<string>): TS.CatchClause => {
    const body: TS.Statement[] = [];
    const values = b.names.map((n) => {
      if (b.guard) return guardedRead(f.createIdentifier(n.name), body);
      return initialized.has(n.name) ? f.createIdentifier(n.name) : rt('U');
    });
    body.push(f.createExpressionStatement(f.createCallExpression(rt('b'), undefined, [
      f.createIdentifier(ERR), f.createIdentifier(MOD), f.createNumericLiteral(b.idx), ...values,
    ])));
    return catchClause(body);
  };
  const wrap = (stmts: TS.Statement[], c: TS.CatchClause): TS.Statement => f.createTryStatement(f.createBlock(stmts, true), c, undefined);
  /** True when a body's last statement leaves it (a retry loop then needs no `return;` of its own). */
  const endsWithExit = (stmts: readonly TS.Statement[]): boolean => {
    const last = stmts[stmts.length - 1];
    return !!last && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
  };

  /**
   * A statement list of a scope that declares `names`: declarations stay where they are (their
   * scope, TDZ and hoisting unchanged); the runs of other statements between them go in
   * try/catch clauses that see every name of the scope.
   */
  const processList = (stmts: readonly TS.Statement[], b: BlockCtx | undefined, preInit: string[]): TS.Statement[] => {
    const initialized = new Set(preInit);
    for (const st of stmts) if (ts.isFunctionDeclaration(st) && st.name) initialized.add(st.name.text);
    const out: TS.Statement[] = [];
    let run: TS.Statement[] = [];
    const flush = (): void => {
      if (!run.length) return;
      if (b) out.push(wrap(run, blockCatch(b, new Set(initialized)))); else out.push(...run);
      run = [];
    };
    for (const st of stmts) {
      if (ts.isVariableStatement(st) && listKind(ts, st.declarationList) !== 'var' && !hasModifier(ts, st, ts.SyntaxKind.DeclareKeyword)) {
        const kind = listKind(ts, st.declarationList);
        const flags = st.declarationList.flags & (ts.NodeFlags.BlockScoped | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing);
        for (const d of st.declarationList.declarations) {
          if (movedDecls.has(d)) {
            // Declared at function level: here it is an assignment, in the run of statements.
            run.push(ts.setTextRange(f.createExpressionStatement(assignDeclaration(d)), d));
            continue;
          }
          if (!b) {
            flush();
            out.push(ts.setTextRange(f.createVariableStatement(undefined, f.createVariableDeclarationList([visitNode(d) as TS.VariableDeclaration], flags)), st));
            continue;
          }
          flush();
          const init = d.initializer;
          // An object rest pattern is left whole: V8 (Node 20) reads the excluded keys' getters
          // twice when the source is a call, once when it is a variable; a split would show it.
          // A pattern is not split either: its errors name the source expression (`of 'obj.foo'`),
          // which a temporary would replace.
          if (init && kind !== 'using' && ts.isIdentifier(d.name) && !cannotThrow(ts, init) && !isAnonymousClass(ts, init)) {
            const t = newTemp();
            out.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(t)], ts.NodeFlags.Let)));
            out.push(wrap([f.createExpressionStatement(f.createAssignment(f.createIdentifier(t), visitExpr(init)))],
              blockCatch(b, new Set(initialized))));
            out.push(ts.setTextRange(f.createVariableStatement(undefined, f.createVariableDeclarationList([
              f.updateVariableDeclaration(d, visitNode(d.name) as TS.BindingName, undefined, undefined, f.createIdentifier(t)),
            ], flags)), st));
          } else {
            out.push(ts.setTextRange(f.createVariableStatement(undefined, f.createVariableDeclarationList([visitNode(d) as TS.VariableDeclaration], flags)), st));
          }
          for (const n of boundNames(ts, d.name)) initialized.add(n);
        }
        continue;
      }
      if (ts.isClassDeclaration(st) && movedDecls.has(st)) {
        // `class C {}` is `C = class C {}` with C declared at function level (same name, inner binding).
        run.push(ts.setTextRange(f.createExpressionStatement(f.createAssignment(f.createIdentifier(st.name!.text), classExpression(st))), st));
        continue;
      }
      if (b && ts.isClassDeclaration(st) && st.name && canBeClassExpression(ts, st, context.getCompilerOptions())) {
        // `class C {}` is `let C = class C {}` (same TDZ, mutable outer binding, immutable inner
        // one, same name): evaluate the class expression inside a try so that a static block,
        // static field, computed key or `extends` that throws still reports this scope.
        flush();
        const t = newTemp();
        out.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(t)], ts.NodeFlags.Let)));
        out.push(wrap([f.createExpressionStatement(f.createAssignment(f.createIdentifier(t), classExpression(st)))], blockCatch(b, new Set(initialized))));
        out.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([
          f.createVariableDeclaration(st.name.text, undefined, undefined, f.createIdentifier(t))], ts.NodeFlags.Let)));
        initialized.add(st.name.text);
        continue;
      }
      if (ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st) || ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st)
        || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
        flush();
        out.push(visitStatement(st));
        if (ts.isClassDeclaration(st) && st.name) initialized.add(st.name.text);
        continue;
      }
      run.push(visitStatement(st));
    }
    flush();
    return out;
  };

  /** `class C {...}` as the expression `class C {...}` (visited). */
  const classExpression = (st: TS.ClassDeclaration): TS.ClassExpression => {
    const visited = visitNode(st) as TS.ClassDeclaration;
    const mods = visited.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.AbstractKeyword) as TS.Modifier[] | undefined;
    return ts.setTextRange(f.createClassExpression(mods, visited.name, visited.typeParameters, visited.heritageClauses, visited.members), st);
  };

  /** A binding name as an assignment target: `x`, `{ a, b: [c = 1] }` (defaults and nested patterns kept). */
  const assignmentTarget = (name: TS.BindingName): TS.Expression => {
    if (ts.isIdentifier(name)) return f.createIdentifier(name.text);
    if (ts.isObjectBindingPattern(name)) {
      return f.createObjectLiteralExpression(name.elements.map((el): TS.ObjectLiteralElementLike => {
        if (el.dotDotDotToken) return f.createSpreadAssignment(assignmentTarget(el.name));
        const init = el.initializer && visitExpr(el.initializer);
        if (!el.propertyName && ts.isIdentifier(el.name)) return f.createShorthandPropertyAssignment(el.name.text, init);
        const target = assignmentTarget(el.name);
        return f.createPropertyAssignment(visitNode(el.propertyName!) as TS.PropertyName, init ? f.createAssignment(target, init) : target);
      }));
    }
    return f.createArrayLiteralExpression(name.elements.map((el): TS.Expression => {
      if (ts.isOmittedExpression(el)) return f.createOmittedExpression();
      if (el.dotDotDotToken) return f.createSpreadElement(assignmentTarget(el.name));
      const target = assignmentTarget(el.name);
      return el.initializer ? f.createAssignment(target, visitExpr(el.initializer)) : target;
    }));
  };

  /** `let x = init` as `x = init` (`x = void 0` without initialiser; a pattern as a destructuring assignment). */
  const assignDeclaration = (d: TS.VariableDeclaration): TS.Expression => {
    const value = d.initializer ? visitExpr(d.initializer) : f.createVoidZero();
    const target = assignmentTarget(d.name);
    const assign = f.createAssignment(target, value);
    return ts.isIdentifier(d.name) ? assign : f.createParenthesizedExpression(assign);
  };

  const blockCtxFor = (node: TS.Node, guard = false): BlockCtx | undefined => {
    const names = blockCapture(info!.scopes.get(node));
    return names ? { idx: registerScope(node, names), names, guard } : undefined;
  };

  const visitBlock = (block: TS.Block, preInit: string[] = [], ctxNode: TS.Node = block): TS.Block => {
    const b = blockCtxFor(ctxNode);
    return f.updateBlock(block, processList(block.statements, b, preInit));
  };

  /**
   * A loop body: the bindings moved to its top are declared there (one binding per iteration,
   * as written), and one catch sees them and the loop head's own bindings that stayed.
   */
  const visitLoopBody = (loop: TS.IterationStatement, body: TS.Statement): TS.Statement => {
    const here = loopMoves.get(loop) ?? [];
    const inner = ts.isBlock(body) ? visitBlock(body) : visitStatement(body);
    const head = blockCapture(info!.scopes.get(loop)) ?? [];
    if (!here.length && !head.length) return inner;
    const names: Capturable[] = [...here.map((b) => ({ name: b.name, kind: b.kind as BindingKind })), ...head];
    const declEnds = here.length ? [...here.map(declEndOf), ...head.map(() => null)] : undefined;
    const ctx: BlockCtx = { idx: registerScope(loop, names, declEnds), names, guard: false };
    const stmts = ts.isBlock(inner) ? [...inner.statements] : [inner];
    const declare = here.length ? [f.createVariableStatement(undefined, f.createVariableDeclarationList(
      here.map((b) => f.createVariableDeclaration(b.name)), ts.NodeFlags.Let))] : [];
    return f.createBlock([...declare, wrap(stmts, blockCatch(ctx, new Set(names.map((n) => n.name))))], true);
  };

  const visitStatement = (st: TS.Statement): TS.Statement => {
    if (ts.isBlock(st)) return visitBlock(st);
    if (ts.isIfStatement(st)) {
      return f.updateIfStatement(st, visitExpr(st.expression), visitStatement(st.thenStatement),
        st.elseStatement && visitStatement(st.elseStatement));
    }
    if (ts.isForStatement(st)) {
      return f.updateForStatement(st, st.initializer && loopHead(st.initializer),
        st.condition && visitExpr(st.condition), st.incrementor && visitExpr(st.incrementor), visitLoopBody(st, st.statement));
    }
    if (ts.isForOfStatement(st)) {
      return f.updateForOfStatement(st, st.awaitModifier, loopHead(st.initializer), visitExpr(st.expression),
        visitLoopBody(st, st.statement));
    }
    if (ts.isForInStatement(st)) {
      return f.updateForInStatement(st, loopHead(st.initializer), visitExpr(st.expression), visitLoopBody(st, st.statement));
    }
    if (ts.isWhileStatement(st)) return f.updateWhileStatement(st, visitExpr(st.expression), visitLoopBody(st, st.statement));
    if (ts.isDoStatement(st)) return f.updateDoStatement(st, visitLoopBody(st, st.statement), visitExpr(st.expression));
    if (ts.isLabeledStatement(st)) return f.updateLabeledStatement(st, st.label, visitStatement(st.statement));
    if (ts.isTryStatement(st)) {
      const c = st.catchClause;
      let catchClause: TS.CatchClause | undefined;
      if (c && c.variableDeclaration && movedDecls.has(c.variableDeclaration)) {
        // The parameter lives at function level: the clause takes the value under a new name.
        const t = newTemp();
        const block = visitBlock(c.block, [], c);
        const take = f.createExpressionStatement(assignDeclaration(f.updateVariableDeclaration(c.variableDeclaration,
          c.variableDeclaration.name, undefined, undefined, f.createIdentifier(t))));
        catchClause = f.updateCatchClause(c, f.createVariableDeclaration(t), f.updateBlock(block, [take, ...block.statements]));
      } else if (c) {
        catchClause = f.updateCatchClause(c, c.variableDeclaration && (visitNode(c.variableDeclaration) as TS.VariableDeclaration),
          visitBlock(c.block, c.variableDeclaration ? boundNames(ts, c.variableDeclaration.name) : [], c));
      }
      return f.updateTryStatement(st, visitBlock(st.tryBlock), catchClause, st.finallyBlock && visitBlock(st.finallyBlock));
    }
    if (ts.isSwitchStatement(st)) {
      const b = blockCtxFor(st.caseBlock, true);
      const clauses = st.caseBlock.clauses.map((cl) => ts.isCaseClause(cl)
        ? f.updateCaseClause(cl, visitExpr(cl.expression), processList(cl.statements, b, []))
        : f.updateDefaultClause(cl, processList(cl.statements, b, [])));
      return f.updateSwitchStatement(st, visitExpr(st.expression), f.updateCaseBlock(st.caseBlock, clauses));
    }
    return visitNode(st) as TS.Statement;
  };
  const visitExpr = (e: TS.Expression): TS.Expression => visitNode(e) as TS.Expression;

  /** A loop head: declarations moved to function level become assignments (`for (x of xs)`). */
  const loopHead = (init: TS.ForInitializer): TS.ForInitializer => {
    if (!ts.isVariableDeclarationList(init) || !init.declarations.length || !init.declarations.every((d) => movedDecls.has(d))) {
      return visitNode(init) as TS.ForInitializer;
    }
    if (init.parent && (ts.isForOfStatement(init.parent) || ts.isForInStatement(init.parent))) {
      return assignmentTarget(init.declarations[0].name);
    }
    return init.declarations.map(assignDeclaration).reduce((a, b) => f.createComma(a, b));
  };

  // ---------------------------------------------------------------- functions

  const instrumentFunction = (fn: TS.FunctionLikeDeclaration, role: 'boundary' | 'frame'): TS.Node => {
    const scope = info!.scopes.get(fn)!;
    const isArrow = ts.isArrowFunction(fn);
    const bodyStmts: readonly TS.Statement[] = ts.isBlock(fn.body!) ? fn.body!.statements
      : [ts.setTextRange(f.createReturnStatement(fn.body as TS.Expression), fn.body!)];
    let i = 0;
    while (i < bodyStmts.length && ts.isExpressionStatement(bodyStmts[i]) && ts.isStringLiteral((bodyStmts[i] as TS.ExpressionStatement).expression)) i++;
    const directives = bodyStmts.slice(0, i);
    const rest = bodyStmts.slice(i);
    // Nothing in the body can throw (a constructor with parameter properties only, `() => {}`):
    // an empty try would only make the function bigger.
    if (!rest.length || rest.every((st) => ts.isEmptyStatement(st))) return visitChildrenOnly(fn);

    const hoist = planHoist(hoistSyntax, info!, fn);
    const plan = hoist.fn;
    const allMoved = [...plan, ...[...hoist.loops.values()].flat()];
    for (const b of allMoved) { moved.add(b); movedDecls.add(b.decl!); }
    for (const [loop, list] of hoist.loops) loopMoves.set(loop, list);

    // Top-level function declarations stay at function level (out of the try: that is their own
    // scope) unless they read a top-level binding that stays in the try block; one of those that
    // cannot move into a block (same name as a parameter or var, declared twice) leaves the
    // function as written.
    const params = scope.order.filter((n) => scope.bindings.get(n)!.kind === 'param');
    const topFns = rest.filter((st): st is TS.FunctionDeclaration => ts.isFunctionDeclaration(st) && !!st.name && !!st.body);
    const staying = new Set(lexicalDeclarations(ts, rest, true)
      .filter((d) => d.kind !== 'function' && d.kind !== 'enum' && !movedDecls.has(d.decl)).map((d) => d.name));
    const seen = new Map<string, number>();
    for (const fd of topFns) seen.set(fd.name!.text, (seen.get(fd.name!.text) ?? 0) + 1);
    const stayingFns = stayingFunctions(topFns.map((fd) => ({ name: fd.name!.text, node: fd })), staying, (fd, names) => referencesAny(ts, fd, names));
    const hoisted: TS.FunctionDeclaration[] = [];
    for (const fd of topFns) {
      if (!stayingFns.has(fd)) { hoisted.push(fd); continue; }
      const n = fd.name!.text;
      if (params.includes(n) || rest.some((st) => declaresVar(ts, st, n)) || n === 'arguments' || seen.get(n)! > 1) {
        for (const b of allMoved) { moved.delete(b); movedDecls.delete(b.decl!); }
        for (const loop of hoist.loops.keys()) loopMoves.delete(loop);
        return visitChildrenOnly(fn);
      }
    }
    const fnVarNames = frameNames(scope, plan, hoisted.map((h) => h.name!.text));
    const closure = closureOf(scope);
    const hasThis = !isArrow || scope.usesThis;
    const derivedCtor = ts.isConstructorDeclaration(fn) && !!fn.parent.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
    const inArrowOfCtor = isArrow && scope.usesThis;

    const again = retryable(role, ts.isConstructorDeclaration(fn), !!(fn as TS.FunctionLikeDeclarationBase).asteriskToken);
    const p = pos(fn);
    const end = sf.getLineAndCharacterOfPosition(fn.getEnd());
    const outerFn = metaOut.begin({
      name: displayName(ts, sf, fn), line: p.line, col: p.col, endLine: end.line + 1, endCol: end.character,
      closure: closure.map((c) => c.name), boundary: role === 'boundary', hasThis, retry: again,
    }, fnVarNames, (name) => { const b = plan.find((m) => m.name === name); return b && declEndOf(b); });
    const fnIdx = metaOut.current;

    // Top level of the body: the bindings that could not move stay in the try block, captured by
    // its segments.
    const topNames = topLevelNames(scope, moved);
    const topCtx: BlockCtx | undefined = topNames.length ? { idx: registerScope(fn, topNames), names: topNames, guard: false } : undefined;
    const inner = processList(rest.filter((st) => !hoisted.includes(st as TS.FunctionDeclaration)), topCtx, []);
    // The moved bindings, declared first, uninitialised (`let x;`): no sentinel store on entry; the
    // runtime tells from where their declarations end whether one was initialised.
    const declareMoved: TS.Statement[] = plan.length ? [f.createVariableStatement(undefined, f.createVariableDeclarationList(
      plan.map((b) => f.createVariableDeclaration(b.name)), ts.NodeFlags.Let))] : [];

    const catchBody: TS.Statement[] = [];
    let thisExpr: TS.Expression = f.createVoidZero();
    if (hasThis) thisExpr = derivedCtor || inArrowOfCtor ? guardedRead(f.createThis(), catchBody) : f.createThis();
    // Parameters have a TDZ too while the parameter list runs (a closure in a default).
    const closureValues = closure.map((b) => (closureReadMayThrow(b)
      ? guardedRead(f.createIdentifier(b.name), catchBody) : f.createIdentifier(b.name)));
    // Values as arguments (bindings, then closure variables): fewer bytes of bytecode than arrays.
    const entry = catchEntry(role, ts.isConstructorDeclaration(fn));
    const record = f.createCallExpression(rt(entry), undefined, [
      f.createIdentifier(ERR), f.createIdentifier(MOD), f.createNumericLiteral(fnIdx), thisExpr,
      ...fnVarNames.map((v) => f.createIdentifier(v.name)), ...closureValues,
    ]);
    const returnValue = f.createReturnStatement(f.createCallExpression(rt('r'), undefined, []));
    // `B`: the session may end with `return expr` (1: return that value instead of throwing) or,
    // for a retryable boundary, `retry` (2: run the body again).
    if (again) {
      catchBody.push(f.createSwitchStatement(record, f.createCaseBlock([
        f.createCaseClause(f.createNumericLiteral(1), [returnValue]),
        f.createCaseClause(f.createNumericLiteral(2), [f.createContinueStatement()]),
      ])));
    } else {
      catchBody.push(entry === 'B' ? f.createIfStatement(record, returnValue) : f.createExpressionStatement(record));
    }
    const newBody = f.createBlock([
      ...directives,
      ...hoisted.map((h) => visitNode(h) as TS.Statement),
      ...declareMoved,
      again
        ? f.createForStatement(undefined, undefined, undefined, f.createBlock([wrap(endsWithExit(inner) ? inner : [...inner, f.createReturnStatement()], catchClause(catchBody, true))], true))
        : wrap(inner, catchClause(catchBody, true)),
    ], true);
    metaOut.end(outerFn);

    const newParams = f.createNodeArray(fn.parameters.map((pd) => visitNode(pd) as TS.ParameterDeclaration));
    const mods = keptModifiers(fn);
    if (ts.isFunctionDeclaration(fn)) return f.updateFunctionDeclaration(fn, mods, fn.asteriskToken, fn.name, fn.typeParameters, newParams, fn.type, newBody);
    if (ts.isFunctionExpression(fn)) return f.updateFunctionExpression(fn, mods as TS.Modifier[] | undefined, fn.asteriskToken, fn.name, fn.typeParameters, newParams, fn.type, newBody);
    if (ts.isArrowFunction(fn)) return f.updateArrowFunction(fn, mods as TS.Modifier[] | undefined, fn.typeParameters, newParams, fn.type, fn.equalsGreaterThanToken, newBody);
    if (ts.isMethodDeclaration(fn)) return f.updateMethodDeclaration(fn, mods, fn.asteriskToken, visitNode(fn.name) as TS.PropertyName, fn.questionToken, fn.typeParameters, newParams, fn.type, newBody);
    if (ts.isConstructorDeclaration(fn)) return f.updateConstructorDeclaration(fn, mods, newParams, newBody);
    if (ts.isGetAccessorDeclaration(fn)) return f.updateGetAccessorDeclaration(fn, mods, visitNode(fn.name) as TS.PropertyName, newParams, fn.type, newBody);
    return f.updateSetAccessorDeclaration(fn as TS.SetAccessorDeclaration, mods, visitNode(fn.name) as TS.PropertyName, newParams, newBody);
  };

  /** Modifiers and decorators of a node, without ts-pdb's marker decorators (visited). */
  const keptModifiers = (node: TS.Node): TS.ModifierLike[] | undefined => {
    if (!ts.canHaveModifiers(node)) return undefined;
    const mods = (node as TS.HasModifiers).modifiers;
    if (!mods) return undefined;
    return mods.filter((m) => !(ts.isDecorator(m) && removedDecorators.has(m))).map((m) => visitNode(m) as TS.ModifierLike);
  };

  /** True for `breakpoint(...)` or `Debugger.setTrace(...)` whose name is ts-pdb's import (not shadowed). */
  const isBreakpointCall = (call: TS.CallExpression): boolean => {
    const c = call.expression;
    if (ts.isIdentifier(c)) return markers.breakpoint.has(c.text) && info!.refBinding.get(c)?.kind === 'import';
    return ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && c.name.text === SET_TRACE_MEMBER
      && markers.debuggerNs.has(c.expression.text) && info!.refBinding.get(c.expression)?.kind === 'import';
  };

  /**
   * `breakpoint(args)` → `__tsPdb.settings.enabled ? __tsPdb.bp(M, site, this, args[0], () => [..], [..]) : (args, void 0)`
   * (core/breakpoints.ts): the arguments are evaluated either way, as the call would.
   */
  const breakpointCall = (call: TS.CallExpression): TS.Expression => {
    const args = call.arguments.map((a) => visitNode(a) as TS.Expression);
    let scope: Scope | undefined;
    let around: TS.FunctionLikeDeclaration | undefined;
    for (let p: TS.Node | undefined = call.parent; p; p = p.parent) {
      scope ??= info!.scopes.get(p);
      if (isFunctionLike(ts, p)) { around = p as TS.FunctionLikeDeclaration; break; }
    }
    scope ??= info!.module;
    const start = call.getStart(sf);
    const { own, outer } = siteBindings(scope, (b) => !!b.decl && (b.decl as TS.Node).getEnd() <= start);
    const fnRange = around
      ? (() => {
        const p = pos(around); const e = sf.getLineAndCharacterOfPosition(around.getEnd());
        return { name: displayName(ts, sf, around), line: p.line, col: p.col, endLine: e.line + 1, endCol: e.character, hasThis: !ts.isArrowFunction(around) };
      })()
      : (() => {
        const e = sf.getLineAndCharacterOfPosition(sf.getEnd());
        return { name: '<module>', line: 1, col: 0, endLine: e.line + 1, endCol: e.character, hasThis: false };
      })();
    const site = metaOut.site(fnRange, own.map((b) => ({ name: b.name, kind: b.kind })), outer.map((b) => ({ name: b.name, kind: b.kind })));
    const all = [...own, ...outer];
    const derivedCtor = around && ts.isConstructorDeclaration(around) && !!around.parent.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
    const thisExpr = around && !derivedCtor ? f.createThis() : f.createVoidZero();
    // Values, not closures (a closure would keep the bindings in the function's context on every
    // pass); what the session changed comes back in __tsPdb.w and is assigned here.
    const stop = f.createCallExpression(rt('bp'), undefined, [
      f.createIdentifier(MOD), f.createNumericLiteral(site), thisExpr, args[0] ?? f.createVoidZero(),
      f.createArrayLiteralExpression(all.map((b) => f.createIdentifier(b.name))),
    ]);
    const writes = all.flatMap((b, i) => (b.writable
      ? [f.createAssignment(f.createIdentifier(b.name), f.createElementAccessExpression(rt('w'), i))] : []));
    const live = writes.length
      ? f.createCommaListExpression([f.createLogicalAnd(stop, f.createParenthesizedExpression(f.createCommaListExpression(writes))), f.createVoidZero()])
      : f.createCommaListExpression([stop, f.createVoidZero()]);
    const off = args.length ? f.createParenthesizedExpression(f.createCommaListExpression([...args, f.createVoidZero()])) : f.createVoidZero();
    return f.createParenthesizedExpression(f.createConditionalExpression(
      f.createPropertyAccessExpression(rt('settings'), 'enabled'), undefined, f.createParenthesizedExpression(live), undefined, off));
  };

  /** A function left uninstrumented: visit its children (nested functions, marker decorators). */
  const visitChildrenOnly = (node: TS.Node): TS.Node => ts.visitEachChild(node, visitNode, context);

  // Marked mode: a statement, class member or object literal member holding no `@debuggable`
  // comment and no marker decorator (its range includes its leading comments) cannot change.
  const hot = options.instrument === 'marked'
    ? new Hotspots(sf.text, [...removedDecorators].map((d) => d.pos).concat(breakpointOffsets(sf.text, markers))) : undefined;
  const visitNode = (node: TS.Node): TS.Node | undefined => {
    if (hot && (ts.isStatement(node) || ts.isClassElement(node) || ts.isObjectLiteralElementLike(node))
      && !hot.within(node.pos, node.end)) return node;
    if (ts.isDecorator(node) && removedDecorators.has(node)) return undefined;
    if (info && ts.isCallExpression(node) && isBreakpointCall(node)) return breakpointCall(node);
    if (isFunctionLike(ts, node)) {
      const role = shouldInstrument(node);
      if (role) return instrumentFunction(node, role);
    }
    return ts.visitEachChild(node, visitNode, context);
  };

  let result = ts.visitEachChild(sf, visitNode, context);

  // Marker imports go when nothing else uses them (so a build-off program never loads ts-pdb).
  const stillUsed = usedOutside(ts, sf, removedDecorators);
  const statements = result.statements.flatMap((st): TS.Statement[] => {
    const original = ts.getOriginalNode(st);
    if (!ts.isImportDeclaration(original) || !markers.declarations.has(original) || !removedDecorators.size) return [st];
    const imp = original;
    const nb = imp.importClause!.namedBindings as TS.NamedImports;
    const keep = nb.elements.filter((el) => stillUsed.has(el.name.text)
      || !(markers.decorator.has(el.name.text) || markers.debuggerNs.has(el.name.text)));
    if (keep.length === nb.elements.length) return [st];
    if (!keep.length && !imp.importClause!.name) return [];
    return [f.updateImportDeclaration(imp, imp.modifiers, f.updateImportClause(imp.importClause!, imp.importClause!.phaseModifier,
      imp.importClause!.name, keep.length ? f.updateNamedImports(nb, keep) : undefined), imp.moduleSpecifier, imp.attributes)];
  });
  if (!metaOut.fns.length) {
    return statements.length === result.statements.length && statements.every((s, k) => s === result.statements[k])
      ? result : f.updateSourceFile(result, statements);
  }

  // Module prologue: the capture import and the module descriptor, after the directives.
  const meta = metaOut.meta();
  const getters: TS.ObjectLiteralElementLike[] = [];
  for (const name of info!.module.order) {
    const b = info!.module.bindings.get(name)!;
    if (name === NS || name === MOD) continue;
    const ref = info!.firstRef.get(b);
    if (b.kind === 'import' && (!ref || markers.decorator.has(name) || markers.debuggerNs.has(name))) continue;
    // A clone of a real reference keeps its link to the declaration, so that a later pass which
    // renames the binding (CommonJS `fs_1.readFile`, `exports.x`) renames the getter's read too.
    const read = ref ? ts.setOriginalNode(f.createIdentifier(name), ref) : f.createIdentifier(name);
    getters.push(f.createGetAccessorDeclaration(undefined, f.createIdentifier(name), [], undefined,
      f.createBlock([f.createReturnStatement(read)])));
    // A setter only where the program itself assigns the binding: an assignment that V8 can see
    // would make it treat a constant-like binding as mutable (and slower) everywhere.
    const written = b.refs.find((r) => isWriteReference(ts, r.id as TS.Identifier));
    if ((b.kind === 'let' || b.kind === 'var') && written) {
      const v = unique('__tsPdbV');
      getters.push(f.createSetAccessorDeclaration(undefined, f.createIdentifier(name),
        [f.createParameterDeclaration(undefined, undefined, v)],
        f.createBlock([f.createExpressionStatement(f.createAssignment(ts.setOriginalNode(f.createIdentifier(name), written.id), f.createIdentifier(v)))])));
    }
  }
  // CommonJS: the module wrapper's own names (`require` is given by the session itself, from the
  // module's file: a getter returning `require` makes bundlers warn about a dynamic require).
  const cjs = emitsCommonJs(ts, context.getCompilerOptions(), sf);
  if (cjs) {
    for (const name of ['module', 'exports', '__filename', '__dirname']) {
      if (info!.module.bindings.has(name)) continue;
      getters.push(f.createGetAccessorDeclaration(undefined, f.createIdentifier(name), [], undefined,
        f.createBlock([f.createReturnStatement(f.createIdentifier(name))])));
    }
  }
  const desc = f.createObjectLiteralExpression([
    f.createPropertyAssignment('file', f.createStringLiteral(sf.fileName)),
    f.createPropertyAssignment('g', f.createObjectLiteralExpression(getters)),
    f.createPropertyAssignment('meta', f.createStringLiteral(JSON.stringify(meta))),
  ], false);
  // CommonJS output: a plain `require` (an `import * as` would make TypeScript emit its
  // `__importStar` helper, whose name the program may use itself). `module.require` when the
  // program declares its own `require`.
  const requireFn = info!.module.bindings.has('require')
    ? f.createPropertyAccessExpression(f.createIdentifier('module'), 'require') : f.createIdentifier('require');
  const importRuntime: TS.Statement = cjs
    ? f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(NS, undefined, undefined,
      f.createCallExpression(requireFn, undefined, [f.createStringLiteral(options.runtimeModule)]))], ts.NodeFlags.None))
    : f.createImportDeclaration(undefined, f.createImportClause(undefined, undefined, f.createNamespaceImport(f.createIdentifier(NS))),
      f.createStringLiteral(options.runtimeModule));
  const descriptor = f.createVariableStatement(undefined, f.createVariableDeclarationList([
    f.createVariableDeclaration(MOD, undefined, undefined, f.createCallExpression(rt('m'), undefined, [desc])),
  ], ts.NodeFlags.None));
  let d = 0;
  while (d < statements.length && ts.isExpressionStatement(statements[d]) && ts.isStringLiteral((statements[d] as TS.ExpressionStatement).expression)) d++;
  result = f.updateSourceFile(result, [...statements.slice(0, d), importRuntime, descriptor, ...statements.slice(d)]);
  return result;
}

/** True when `st` (or a statement nested in it, outside nested functions) declares `var name`. */
function declaresVar(ts: typeof TS, st: TS.Node, name: string): boolean {
  let found = false;
  const visit = (n: TS.Node): void => {
    if (found || isFunctionLike(ts, n) || ts.isClassLike(n)) return;
    if (ts.isVariableDeclarationList(n) && listKind(ts, n) === 'var') {
      for (const d of n.declarations) if (boundNames(ts, d.name).includes(name)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(st);
  return found;
}

/** True when any identifier inside `node` has one of `names` as its text (a conservative check). */
function referencesAny(ts: typeof TS, node: TS.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (n: TS.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && names.has(n.text)) found = true;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** Identifier texts used anywhere in the file other than inside the removed marker decorators. */
function usedOutside(ts: typeof TS, sf: TS.SourceFile, removed: Set<TS.Decorator>): Set<string> {
  const out = new Set<string>();
  const visit = (n: TS.Node): void => {
    if (ts.isDecorator(n) && removed.has(n)) return;
    if (ts.isImportDeclaration(n)) return;
    if (ts.isIdentifier(n)) out.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** True when `node` contains a `with` statement (outside nested functions too: they see its object). */
function containsWith(ts: typeof TS, node: TS.Node): boolean {
  let found = false;
  const visit = (n: TS.Node): void => {
    if (found) return;
    if (ts.isWithStatement(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** True when `node` lies in the body of a `with` statement. */
function insideWith(ts: typeof TS, node: TS.Node): boolean {
  for (let p = node.parent; p; p = p.parent) if (ts.isWithStatement(p)) return true;
  return false;
}

/**
 * True when `class C {...}` may be emitted as `let C = class C {...}` with the same behaviour:
 * not when TypeScript would treat the expression differently, i.e. decorators anywhere in it
 * (`experimentalDecorators` only applies to declarations) or static members that a lower target
 * (or `useDefineForClassFields: false`) moves out of the class body, where the name would then
 * mean the outer binding.
 */
function canBeClassExpression(ts: typeof TS, cls: TS.ClassDeclaration, options: TS.CompilerOptions): boolean {
  if (hasModifier(ts, cls, ts.SyntaxKind.DeclareKeyword)) return false;
  let decorated = !!ts.getDecorators(cls)?.length;
  let statics = false;
  for (const m of cls.members) {
    if (ts.canHaveDecorators(m) && ts.getDecorators(m)?.length) decorated = true;
    if ((ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m) || ts.isAccessor(m))
      && m.parameters.some((p) => ts.getDecorators(p)?.length)) decorated = true;
    if (ts.isClassStaticBlockDeclaration(m) || (ts.isPropertyDeclaration(m) && hasModifier(ts, m, ts.SyntaxKind.StaticKeyword))) statics = true;
    if (m.name && ts.isPrivateIdentifier(m.name)) statics = true; // lowered to WeakMaps below ES2022 as well
  }
  if (decorated) return false;
  const target = options.target ?? ts.ScriptTarget.ES5;
  const nativeClasses = target >= ts.ScriptTarget.ES2022 && options.useDefineForClassFields !== false;
  return !statics || nativeClasses;
}

/** True when `node` contains a call `eval(...)` (a direct eval, unless `eval` is shadowed). */
function containsDirectEval(ts: typeof TS, node: TS.Node): boolean {
  let found = false;
  const visit = (n: TS.Node): void => {
    if (found) return;
    // `(eval)(...)`, `eval!(...)` and `(eval as any)(...)` are direct evals too; so is one in a
    // call's callee or arguments (`(() => eval('x'))()`, `f(eval('x'))`).
    if (ts.isCallExpression(n)) {
      const callee = skipOuter(ts, n.expression);
      if (ts.isIdentifier(callee) && callee.text === 'eval') { found = true; return; }
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}
